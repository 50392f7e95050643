import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert } from '../core/cases/alerts.js';
import { AlertError } from './alert-error.js';

export type WebhookAlert = Extract<Alert, { channel: 'webhook' }>;

export const TIMESTAMP_HEADER = 'X-Vangnet-Timestamp';
export const SIGNATURE_HEADER = 'X-Vangnet-Signature';
/** How old a signed call a receiver should still accept. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Well within the outbox claim (30 s): see `SMTP_TIMEOUT_MS`. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex>`: HMAC-SHA256 with the shared secret over `${timestamp}.${rawBody}` (timestamp in Unix seconds). */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * What a receiver does with a call: recompute the signature over the exact bytes received, compare in constant time,
 * and refuse a timestamp more than `toleranceSeconds` away from its own clock (a replayed old call).
 */
export function verifyWebhook(input: {
  readonly secret: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly rawBody: string;
  readonly now: Date;
  readonly toleranceSeconds?: number;
}): boolean {
  const { secret, timestamp, signature, rawBody, now } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const age = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (age > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Webhook alerts: one signed JSON POST per batch, for a school's SMS or paging service. Any answer other than 2xx,
 * a redirect, a timeout or a network error fails the send (and the outbox retries it).
 */
export class WebhookAlertSender {
  constructor(
    private readonly settings: { readonly url: string; readonly secret: string },
    private readonly now: () => Date = () => new Date(),
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  async send(alert: WebhookAlert): Promise<void> {
    const rawBody = JSON.stringify(alert.body);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Vangnet-Alerts',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.settings.secret, timestamp, rawBody),
        },
        body: rawBody,
        // A redirect would carry the body to an address nobody configured.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timeout = (err as Error).name === 'TimeoutError';
      throw new AlertError(timeout ? 'webhook_timeout' : 'webhook_network', 'webhook call failed', {
        cause: err,
      });
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300)
      throw new AlertError(`webhook_http_${res.status}`, `webhook answered ${res.status}`);
  }
}
