import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import type { SlackBody } from './payload.js';

/** How long a delivery is remembered: Slack retries an event after about 0, 1 and 5 minutes. */
export const DELIVERY_TTL_MS = 60 * 60 * 1000;

/**
 * What identifies one delivery of a Slack payload across retries: an event's `event_id`, an interaction's or a
 * command's `trigger_id` (with the action's timestamp). Options requests only read, and are not deduplicated.
 */
export function deliveryKey(body: SlackBody | undefined): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const id = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined);
  if (body.type === 'event_callback') {
    const event = id(body.event_id);
    return event && `slack:event:${event}`;
  }
  const trigger = id(body.trigger_id);
  if (!trigger) return undefined;
  if (body.type === 'block_actions') {
    const first = Array.isArray(body.actions) ? body.actions[0] : undefined;
    return `slack:action:${trigger}:${id(first?.action_ts) ?? ''}`;
  }
  if (body.type === 'view_submission') return `slack:view:${trigger}`;
  if (typeof body.command === 'string') return `slack:command:${trigger}`;
  return undefined;
}

/**
 * Bolt middleware: the same delivery (a retry after a slow answer, `X-Slack-Retry-Num`) is acknowledged and
 * dropped, so nothing is answered or done twice. When the store cannot say, the delivery goes through: better a
 * rare double answer than a lost report.
 */
export function deduplicateDeliveries(store: Store, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, next } = args;
    const key = deliveryKey(body as SlackBody);
    if (key) {
      let first = true;
      try {
        first = await store.once.claim(key, DELIVERY_TTL_MS);
      } catch (err) {
        logger.warn('slack.dedup_unavailable', errorFields(err));
      }
      if (!first) {
        logger.info('slack.duplicate', { kind: key.split(':')[1], retry: args.context.retryNum });
        const ack = (args as { ack?: () => Promise<void> }).ack;
        if (ack) await ack();
        return;
      }
    }
    await next();
  };
}
