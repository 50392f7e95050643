import type { Server } from 'node:http';

/** How long a client may take; Node's defaults hold a slow body 300 s and an idle socket forever. */
export interface HttpTimeouts {
  /** Headers must be complete within this time. */
  readonly headersMs: number;
  /** The whole request (headers and body) within this time. */
  readonly requestMs: number;
  /** The body within this time once the headers are in (enforced by the body reader, precisely). */
  readonly bodyMs: number;
  /** A socket with no traffic at all is closed after this time. */
  readonly idleMs: number;
  /** A kept-alive socket waits this long for the next request. */
  readonly keepAliveMs: number;
}

/**
 * Short enough that a few slow clients cannot tie up the server, long enough for a 256 KiB body on a slow school
 * connection. Slack and Bot Framework answer within 3 and 15 seconds anyway.
 */
export const DEFAULT_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  bodyMs: 15_000,
  idleMs: 30_000,
  keepAliveMs: 5_000,
};

/**
 * Applies the timeouts to Node's server. Node checks `requestTimeout` and `headersTimeout` only every 30 seconds
 * (its connection-checking interval), so the body reader and the idle timer do the precise work.
 */
export function applyTimeouts(server: Server, t: HttpTimeouts): void {
  server.headersTimeout = t.headersMs;
  server.requestTimeout = t.requestMs;
  server.keepAliveTimeout = t.keepAliveMs;
  server.setTimeout(t.idleMs, (socket) => socket.destroy());
}
