import type { Logger } from '../logger.js';
import type { Store } from '../storage/store.js';
import type { Platform } from '../types.js';
import { subscriptionId } from './model.js';

/**
 * Moves subscriptions (and the conversation records they post through) to the key their channel has now. Teams
 * channel subscriptions used to be keyed on one thread of the channel (`…;messageid=<root>`); `key` gives the
 * channel's own id. Runs at start-up and is idempotent: the old record is marked `moved`, the new one keeps the
 * rotation and the weeks already posted, so nothing is posted twice and no tip is lost.
 */
export async function migrateSubscriptionKeys(
  store: Store,
  key: (platform: Platform, conversationId: string) => string,
  logger: Logger,
): Promise<number> {
  let moved = 0;
  for (const sub of await store.listSubscriptions()) {
    const next = key(sub.platform, sub.conversationId);
    if (next === sub.conversationId || sub.endedReason === 'moved') continue;
    const id = subscriptionId(sub.platform, next);
    const existing = await store.getSubscription(id);
    // A subscription made under the new key since then wins; the old one only ends.
    if (!existing) await store.saveSubscription({ ...sub, id, conversationId: next });
    const conversation = await store.getConversation(sub.platform, sub.conversationId);
    if (conversation && !(await store.getConversation(sub.platform, next)))
      await store.saveConversation({ ...conversation, conversationId: next });
    await store.saveSubscription({ ...sub, active: false, endedReason: 'moved' });
    moved++;
  }
  if (moved) logger.info('tips.keys_migrated', { moved });
  return moved;
}
