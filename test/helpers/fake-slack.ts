import { createHmac } from 'node:crypto';

// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are loosely typed JSON; tests read them freely
type Json = any;

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.js';

export interface SlackCall {
  /** The Web API method, or `respond` for a post to a response_url. */
  readonly method: string;
  readonly args: Record<string, Json>;
  readonly token?: string;
  /** For `respond`: which response_url (the id given to `responseUrl`). */
  readonly responseUrl?: string;
  /** For chat.postMessage: the ts the fake gave the new message. */
  readonly ts?: string;
}

/**
 * A fake Slack Web API on loopback: answers the methods Vangnet uses the way Slack does (form-encoded or JSON
 * requests, `blocks` as JSON text, bearer token) and records every call. It also serves response_urls
 * (`responseUrl(id)`): what an app posts there is recorded as method `respond`.
 */
export class FakeSlackApi {
  private readonly log = new CallLog<SlackCall>('a Slack API call');
  readonly calls = this.log.calls;
  private server?: Server;
  private seq = 0;

  /** Answers to give instead of success for the next calls into a channel: HTTP status, or a Slack error code. */
  readonly failuresFor = new Map<string, (number | string)[]>();

  /** `socketUrl`: what apps.connections.open answers (Socket Mode). */
  constructor(private readonly options: { socketUrl?: string } = {}) {}

  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url as Slack puts in commands and interactions; posts to it are recorded. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${encodeURIComponent(id)}`;
  }

  /** Starts on `port` (0: any free one; a fixed one to bring a stopped fake back where the app looks). */
  async start(port = 0): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const respondTo = /^\/respond\/([^/?]+)/.exec(req.url ?? '');
      if (respondTo) {
        this.log.record({
          method: 'respond',
          args: raw ? JSON.parse(raw) : {},
          responseUrl: decodeURIComponent(respondTo[1] ?? ''),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
        return;
      }
      const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
      let args: Record<string, Json> = {};
      if ((req.headers['content-type'] ?? '').includes('json')) args = raw ? JSON.parse(raw) : {};
      else for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
      for (const k of ['blocks', 'view', 'attachments']) {
        if (typeof args[k] === 'string') args[k] = JSON.parse(args[k]);
      }
      const ts = `1700000000.${String(this.seq + 1).padStart(6, '0')}`;
      const call: SlackCall = {
        method,
        args,
        token: req.headers.authorization?.replace(/^Bearer /, ''),
        ts: method === 'chat.postMessage' ? ts : undefined,
      };
      const failure =
        typeof args.channel === 'string' ? this.failuresFor.get(args.channel)?.shift() : undefined;
      if (typeof failure === 'number') {
        res.writeHead(failure, {
          'content-type': 'application/json',
          ...(failure === 429 ? { 'retry-after': '3' } : {}),
        });
        res.end(JSON.stringify({ ok: false, error: failure === 429 ? 'ratelimited' : 'internal_error' }));
        return;
      }
      if (typeof failure === 'string') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: failure }));
        return;
      }
      this.log.record(call);
      this.seq += 1;
      const body: Record<string, unknown> =
        method === 'apps.connections.open'
          ? { ok: true, url: this.options.socketUrl ?? 'ws://127.0.0.1:1/none' }
          : method === 'auth.test'
            ? { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'vangnet' }
            : method === 'conversations.open'
              ? { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } }
              : method === 'chat.postMessage'
                ? { ok: true, channel: args.channel, ts }
                : method === 'chat.update'
                  ? { ok: true, channel: args.channel, ts: args.ts }
                  : method === 'chat.postEphemeral'
                    ? { ok: true, message_ts: ts }
                    : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => this.server?.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  waitFor(pred: (c: SlackCall) => boolean, ms = 5000): Promise<SlackCall> {
    return this.log.waitFor(pred, ms);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** Every text in a Block Kit payload (sections, fields, buttons, options), for assertions. */
export function blockTexts(blocks: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(blocks);
  return out.join(' | ');
}

/** The button with this label in a Block Kit payload. */
export function findButton(blocks: unknown, label: string): Record<string, Json> | undefined {
  let found: Record<string, Json> | undefined;
  const walk = (n: unknown) => {
    if (found) return;
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, Json>;
      if (o.type === 'button' && o.text?.text === label) found = o;
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(blocks);
  return found;
}

/** Sends a request to /slack/events signed with `secret` (or a wrong one), as Slack does. */
export async function signedPost(
  appUrl: string,
  secret: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  opts: { timestamp?: number; badSignature?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', opts.badSignature ? 'wrong-secret' : secret)
    .update(`v0:${ts}:${body}`)
    .digest('hex')}`;
  return fetch(`${appUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sig,
      ...opts.headers,
    },
    body,
  });
}
