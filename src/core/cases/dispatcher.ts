import { errorFields, type Logger } from '../logger.js';
import type { Store } from '../storage/store.js';
import type { Outgoing } from '../types.js';
import { type Alert, type AlertSender, WEBHOOK_RECIPIENT } from './alerts.js';
import type { CaseCommand } from './decide.js';
import type { CaseRecord, MessageRef, OutboxItem, PlatformAddress } from './model.js';
import { DeliveryError, type Notifier } from './notifier.js';

/** Retry delays for notifications that could not be delivered: 30 s, 1, 2, 4 … up to 30 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/**
 * How long a worker holds a claimed notification before another may take it over. Each notification is claimed
 * on its own, right before it is sent, so the claim only has to outlast one send (the Bot Framework and Slack
 * answer within 15 s): after a crash, what the dead instance held waits at most this long for another instance,
 * and a long queue can never outlive its claims and be delivered twice.
 */
export const CLAIM_MS = 30_000;
const BATCH = 1;

export interface DispatcherDeps {
  readonly store: Store;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly now: () => Date;
  /** This process, as the owner of claims. */
  readonly owner: string;
  /** How to reach a case's recipient ('reporter' or a person id). */
  readonly addressOf: (c: CaseRecord, who: string) => PlatformAddress | undefined;
  /** The notification for its recipient, or undefined when it no longer makes sense. */
  readonly render: (c: CaseRecord, item: OutboxItem, to: PlatformAddress) => Outgoing | undefined;
  /**
   * Urgent-case alerts outside chat: the alert an item stands for (undefined when it no longer makes sense: the case
   * was taken up, the channel is off), and what sends it. Without it, alert items are dropped.
   */
  readonly alerts?: {
    readonly render: (c: CaseRecord, item: OutboxItem) => Alert | undefined;
    readonly sender: AlertSender;
  };
  /**
   * Records what happened to a delivery on the case (card reference, timeline) together with the outbox change,
   * through the same decide-and-write loop as every other case change.
   */
  readonly record: (
    caseId: string,
    command: CaseCommand,
    write: (next: CaseRecord | undefined, more: readonly OutboxItem[]) => Promise<boolean>,
  ) => Promise<void>;
}

/**
 * Delivers queued notifications: claims the due ones (so no other worker or instance delivers them too), renders
 * each in its recipient's language from the current case, sends it, and records the result with the outbox change
 * in one write. Failures are retried with backoff. `kick()` after a change delivers at once, in the background.
 */
export class OutboxDispatcher {
  private running?: Promise<{ sent: number; failed: number }>;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Deliver now, in the background; a run already going picks new items up. */
  kick(): void {
    if (this.stopped) return;
    void this.run().catch((err) => this.deps.logger.error('outbox.run_failed', errorFields(err)));
  }

  /** One delivery round (until nothing due is left); concurrent calls share the round. */
  run(): Promise<{ sent: number; failed: number }> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves when no round is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async loop(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    do {
      this.again = false;
      for (;;) {
        if (this.stopped) break;
        const items = await this.deps.store.outbox.claimDue(
          this.deps.now().toISOString(),
          this.deps.owner,
          CLAIM_MS,
          BATCH,
        );
        if (items.length === 0) break;
        for (const item of items) {
          if (await this.deliver(item)) sent++;
          else failed++;
        }
      }
    } while (this.again && !this.stopped);
    return { sent, failed };
  }

  /** How to send an item, or undefined when there is nothing to deliver any more. */
  private sending(c: CaseRecord, item: OutboxItem): (() => Promise<MessageRef | undefined>) | undefined {
    if (item.kind === 'alert') {
      const alerts = this.deps.alerts;
      const alert = alerts?.render(c, item);
      return alerts && alert && (() => alerts.sender.send(alert).then(() => undefined));
    }
    const address = this.deps.addressOf(c, item.to);
    const out = address && this.deps.render(c, item, address);
    if (address && !out) return undefined;
    return async () => {
      if (!address || !out) throw new DeliveryError('no-address', 'no address for recipient');
      return this.deps.notifier.send(address, out);
    };
  }

  private async deliver(item: OutboxItem): Promise<boolean> {
    const { store, owner } = this.deps;
    const c = await store.cases.get(item.caseId);
    const send = c && this.sending(c, item);
    if (!c || !send) {
      // Nothing to deliver any more (case gone, reminder or alert overtaken by a take-up): drop it.
      await store.outbox.complete(item.id, owner);
      return true;
    }
    let ref: MessageRef | undefined;
    try {
      ref = await send();
    } catch (err) {
      const attempts = item.attempts + 1;
      const nextAttemptAt = new Date(this.deps.now().getTime() + retryDelayMs(attempts)).toISOString();
      this.deps.logger.warn('case.delivery_failed', {
        caseId: c.id,
        kind: item.kind,
        channel: channelOf(item),
        attempts,
        ...errorFields(err),
      });
      await this.deps.record(
        c.id,
        { kind: 'delivery-failed', to: item.to, outbox: item.kind, attempts },
        (next, more) => store.outbox.reschedule({ ...item, attempts, nextAttemptAt }, owner, next, more),
      );
      return false;
    }
    const about = item.message?.params?.ref === undefined ? undefined : String(item.message.params.ref);
    await this.deps.record(c.id, { kind: 'delivered', to: item.to, outbox: item.kind, ref, about }, (next) =>
      store.outbox.complete(item.id, owner, next),
    );
    this.deps.logger.info('case.delivered', { caseId: c.id, kind: item.kind, channel: channelOf(item) });
    return true;
  }
}

/** For logs: how an alert went out (never the address). */
function channelOf(item: OutboxItem): string | undefined {
  if (item.kind !== 'alert') return undefined;
  return item.to === WEBHOOK_RECIPIENT ? 'webhook' : 'email';
}
