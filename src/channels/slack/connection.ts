import { errorFields, type Logger } from '../../core/logger.js';

/** How long to wait between attempts to reach Slack: doubling from `firstMs` up to `maxMs`. */
export interface Backoff {
  readonly firstMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, maxMs: 5 * 60_000 };

/** The wait before attempt `n` (0-based) after a failure, with ±20 % jitter so instances do not retry in step. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Why Slack could not be reached, as a code for the log (never a message: those can quote tokens or URLs). */
export function unavailableReason(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e?.data?.error) return e.data.error;
  if (e?.statusCode) return `http_${e.statusCode}`;
  return e?.code ?? (err instanceof Error ? err.name : 'unknown');
}

/**
 * Slack's side of start-up, kept apart from the rest of the process: when Slack cannot be reached (or refuses
 * the token), Slack stays off with the reason in the log and is tried again with backoff, while Teams and the
 * rest of the server run on. The first attempt is awaited so a healthy start is ready at once.
 */
export class SlackConnection {
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private connected = false;

  constructor(
    private readonly connect: () => Promise<void>,
    private readonly logger: Logger,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  get ready(): boolean {
    return this.connected;
  }

  /** Tries once now; on failure keeps trying in the background. Never throws. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tryConnect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async tryConnect(): Promise<void> {
    try {
      await this.connect();
      if (this.stopped) return;
      this.connected = true;
      this.logger.info('slack.connected', { attempts: this.attempt + 1 });
    } catch (err) {
      if (this.stopped) return;
      const retryInMs = backoffDelay(this.attempt, this.backoff);
      this.logger.warn('slack.unavailable', {
        reason: unavailableReason(err),
        attempt: this.attempt + 1,
        retryInMs,
        ...errorFields(err),
      });
      this.attempt += 1;
      this.timer = setTimeout(() => void this.tryConnect(), retryInMs);
      this.timer.unref();
    }
  }
}
