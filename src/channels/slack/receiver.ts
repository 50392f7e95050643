import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Request, Response } from 'restify';
import { errorFields, type Logger } from '../../core/logger.js';

/** Requests older (or newer) than this are refused: a captured request cannot be replayed later. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function verifySlackSignature(opts: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowSeconds: number;
}): boolean {
  const { signingSecret, timestamp, signature, rawBody, nowSeconds } = opts;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return false;
  const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Slack's HTTP mode on the shared restify server (`POST /slack/events`): verifies every request's signature and
 * age before anything else, then hands the body to Bolt and answers with Bolt's acknowledgement. While Slack's
 * Web API has not been reached yet, signed requests get 503, which Slack retries later.
 */
export class RestifySlackReceiver implements Receiver {
  private app?: App;

  constructor(
    private readonly signingSecret: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly ready: () => boolean = () => true,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async handle(req: Request, res: Response): Promise<void> {
    const raw = (req as Request & { rawBody?: string | Buffer }).rawBody;
    const rawBody = typeof raw === 'string' ? raw : raw ? raw.toString('utf8') : '';
    const ok = verifySlackSignature({
      signingSecret: this.signingSecret,
      timestamp: req.header('x-slack-request-timestamp') || undefined,
      signature: req.header('x-slack-signature') || undefined,
      rawBody,
      nowSeconds: Math.floor(this.now().getTime() / 1000),
    });
    if (!ok) {
      this.logger.warn('slack.bad_signature', {});
      res.json(401, { error: 'invalid_signature' });
      return;
    }
    let body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body.payload === 'string') {
      try {
        body = JSON.parse(body.payload) as Record<string, unknown>;
      } catch {
        res.json(400, { error: 'invalid_payload' });
        return;
      }
    }
    // An event, an interaction (both have a type) or a slash command; anything else is not from Slack.
    if (
      !body ||
      typeof body !== 'object' ||
      Array.isArray(body) ||
      (typeof body.type !== 'string' && typeof body.command !== 'string')
    ) {
      res.json(400, { error: 'invalid_body' });
      return;
    }
    if (body.type === 'url_verification' && typeof body.challenge === 'string') {
      res.json(200, { challenge: body.challenge });
      return;
    }
    if (!this.app || !this.ready()) {
      res.json(503, { error: 'not_ready' });
      return;
    }
    let acked = false;
    const done = new Promise<void>((resolve) => {
      const event: ReceiverEvent = {
        body,
        retryNum: Number(req.header('x-slack-retry-num')) || undefined,
        retryReason: req.header('x-slack-retry-reason') || undefined,
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          if (response === undefined || response === '') {
            res.status(200);
            res.end();
          } else if (typeof response === 'string') {
            res.setHeader('content-type', 'text/plain; charset=utf-8');
            res.status(200);
            res.end(response);
          } else {
            res.json(200, response);
          }
          resolve();
        },
      };
      (this.app as App).processEvent(event).then(
        () => {
          if (!acked) void event.ack();
        },
        (err: unknown) => {
          this.logger.error('slack.process_failed', errorFields(err));
          if (!acked) {
            acked = true;
            res.json(500, { error: 'internal' });
            resolve();
          }
        },
      );
    });
    await done;
  }
}
