import { ConflictError } from '../errors.js';
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
  for (const sub of await store.subscriptions.list()) {
    const next = key(sub.platform, sub.conversationId);
    if (next === sub.conversationId || sub.endedReason === 'moved') continue;
    const id = subscriptionId(sub.platform, next);
    try {
      // A subscription made under the new key since then wins; the old one only ends.
      if (!(await store.subscriptions.get(id)))
        await store.subscriptions.save({ ...sub, id, conversationId: next, version: 0 });
      const conversation = await store.conversations.get(sub.platform, sub.conversationId);
      if (conversation && !(await store.conversations.get(sub.platform, next)))
        await store.conversations.save({ ...conversation, conversationId: next });
      await store.subscriptions.save({ ...sub, active: false, endedReason: 'moved' });
      moved++;
    } catch (err) {
      // Another instance starting at the same moment moved it first.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  if (moved) logger.info('tips.keys_migrated', { moved });
  return moved;
}
