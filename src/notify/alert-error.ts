/**
 * An alert that could not be sent. The code says what happened in a word that is safe to log (`smtp_ECONNECTION`,
 * `smtp_rejected`, `webhook_http_500`, `webhook_timeout`); the message never holds an address, a URL or a secret.
 */
export class AlertError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AlertError';
  }
}
