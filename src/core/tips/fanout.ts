import type { Platform } from '../types.js';

/** How a post failed, as the channel saw it. */
export class PostError extends Error {
  constructor(
    readonly kind: 'rate-limited' | 'transient' | 'gone' | 'fatal',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

export interface FanOutOptions {
  /** Posts in flight at once. */
  readonly concurrency: number;
  /** Posts per second per platform (the platforms' published limits, with margin). */
  readonly ratePerSecond: Readonly<Partial<Record<Platform, number>>>;
  /** Attempts per post for transient errors (5xx, timeouts) before it counts as failed. */
  readonly maxAttempts: number;
  /** First backoff for transient errors; doubles per attempt. */
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface FanOutResult<J> {
  readonly sent: J[];
  readonly gone: J[];
  readonly failed: J[];
  /** Retries made (after 429 or transient errors). */
  readonly retried: number;
}

export const DEFAULT_FANOUT: FanOutOptions = {
  concurrency: 8,
  // Teams allows about 7 messages/s per conversation and ~50/s per bot across a tenant; Slack ~1 message/s per
  // channel with bursts, and chat.postMessage is Tier "special": stay well below.
  ratePerSecond: { teams: 40, local: 200, slack: 20 },
  maxAttempts: 5,
  baseDelayMs: 1000,
};

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Posts to many conversations: a queue drained by `concurrency` workers, each post waiting for its platform's
 * rate-limit slot. On 429 it waits as told (Retry-After) plus jitter, and holds back the whole platform for that
 * long; 5xx and timeouts are retried with exponential backoff and jitter; a conversation that is gone (403/404)
 * is reported so the caller can unsubscribe it.
 */
export async function fanOut<J>(
  jobs: readonly J[],
  platformOf: (job: J) => Platform,
  post: (job: J) => Promise<void>,
  options: FanOutOptions = DEFAULT_FANOUT,
): Promise<FanOutResult<J>> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const nextSlot = new Map<Platform, number>();
  const result = { sent: [] as J[], gone: [] as J[], failed: [] as J[], retried: 0 };
  // One queue per platform, drained by its own workers: a slow or rate-limited platform never holds up another.
  const queues = new Map<Platform, J[]>();
  for (const job of jobs) {
    const p = platformOf(job);
    const q = queues.get(p);
    if (q) q.push(job);
    else queues.set(p, [job]);
  }
  // Time as the queue sees it: real time plus what it has slept (so an injected instant sleep still paces).
  let virtual = 0;
  const clock = () => Date.now() + virtual;
  const wait = async (ms: number) => {
    if (ms <= 0) return;
    if (options.sleep) virtual += ms;
    await sleep(ms);
  };

  const slot = async (platform: Platform) => {
    const rate = options.ratePerSecond[platform] ?? 10;
    const interval = 1000 / rate;
    const now = clock();
    const at = Math.max(now, nextSlot.get(platform) ?? 0);
    nextSlot.set(platform, at + interval);
    await wait(at - now);
  };

  const worker = async (platform: Platform, queue: J[]) => {
    for (;;) {
      const job = queue.shift();
      if (job === undefined) return;
      for (let attempt = 1; ; attempt++) {
        await slot(platform);
        try {
          await post(job);
          result.sent.push(job);
          break;
        } catch (err) {
          const e = err instanceof PostError ? err : new PostError('transient', String(err));
          if (e.kind === 'gone') {
            result.gone.push(job);
            break;
          }
          if (e.kind === 'fatal' || attempt >= options.maxAttempts) {
            result.failed.push(job);
            break;
          }
          result.retried += 1;
          const jitter = 1 + random() * 0.25;
          if (e.kind === 'rate-limited') {
            const ms = Math.ceil((e.retryAfterMs ?? options.baseDelayMs) * jitter);
            // The platform said slow down: hold back every post to it, not just this one.
            nextSlot.set(platform, Math.max(nextSlot.get(platform) ?? 0, clock() + ms));
            await wait(ms);
          } else {
            await wait(Math.ceil(options.baseDelayMs * 2 ** (attempt - 1) * jitter));
          }
        }
      }
    }
  };
  const perPlatform = Math.max(1, Math.floor(options.concurrency / Math.max(1, queues.size)));
  await Promise.all(
    [...queues].flatMap(([platform, queue]) =>
      Array.from({ length: Math.min(perPlatform, queue.length) }, () => worker(platform, queue)),
    ),
  );
  return result;
}
