import { errorFields, type Logger } from '../logger.js';
import type { Store } from '../storage/store.js';

/** A periodic job: delivering the outbox, deadlines and escalation, retention, weekly tips. */
export interface Job {
  readonly name: string;
  /** How often it runs across all instances together. */
  readonly everyMs: number;
  run(): Promise<unknown>;
}

export interface SchedulerDeps {
  readonly store: Store;
  readonly logger: Logger;
  /** This process, as the owner of leases. */
  readonly owner: string;
  readonly now: () => Date;
  readonly jobs: readonly Job[];
  /** How often to look whether a job is due. */
  readonly tickMs: number;
}

/**
 * Runs named jobs under leases: a job runs on the instance that takes its lease, and the lease is held for the
 * job's interval, so with N instances each job runs once per interval. An instance that dies lets its leases
 * expire and another takes over on its next tick.
 */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.tick();
    }, this.deps.tickMs);
    this.timer.unref();
  }

  /** One round: every job whose lease this instance gets. Rounds never overlap. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    for (const job of this.deps.jobs) {
      try {
        // Held a little shorter than the interval, so the next round on any instance can take it again.
        const ttl = Math.max(1000, job.everyMs - Math.min(5000, job.everyMs / 10));
        if (!(await this.deps.store.leases.acquire(`job:${job.name}`, this.deps.owner, ttl, this.deps.now())))
          continue;
        await job.run();
      } catch (err) {
        this.deps.logger.error('scheduler.job_failed', { job: job.name, ...errorFields(err) });
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
