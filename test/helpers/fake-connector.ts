import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.js';

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  readonly method: string;
  readonly conversationId: string;
  readonly activityId?: string;
  readonly body: Record<string, unknown> & {
    type?: string;
    text?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
  readonly authorization?: string;
  /** The id the connector gave the message (for POST) or kept (for PUT): what a later replyToId refers to. */
  responseId?: string;
}

/**
 * A fake Bot Framework connector on loopback: accepts what the real Connector API accepts for replies and
 * updates (`POST /v3/conversations/:id/activities[/:replyTo]`, `PUT …/activities/:id`), records every call,
 * and can be told to fail.
 */
export class FakeConnector {
  private readonly log = new CallLog<ConnectorCall>('a connector call');
  readonly calls = this.log.calls;
  /** Status codes to answer for the next calls, in order, instead of success. */
  readonly failures: number[] = [];
  /** Status codes to answer for the next calls into one conversation, in order. */
  readonly failuresFor = new Map<string, number[]>();
  /** Bodies of create-conversation calls. */
  readonly created: Record<string, unknown>[] = [];
  /** Member ids for which creating a conversation is refused (app not installed for them). */
  readonly unreachable = new Set<string>();
  private server?: Server;
  private seq = 0;

  get url(): string {
    const addr = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const body = await readJson(req);
      if (req.method === 'POST' && (req.url ?? '').replace(/\?.*$/, '') === '/v3/conversations') {
        // Create a conversation: a 1:1 with a member (proactive messaging; members that are "unreachable" are refused
        // like Teams refuses users who do not have the app installed), or a new post in a channel
        // (`channelData.channel.id`, with the post as `activity`).
        const params = body as {
          members?: { id?: string }[];
          channelData?: { channel?: { id?: string } };
          activity?: ConnectorCall['body'];
        };
        const member = params.members?.[0]?.id ?? '';
        const channel = params.channelData?.channel?.id;
        this.created.push(body as Record<string, unknown>);
        if (channel && this.failNext(channel, res)) return;
        if (this.unreachable.has(member)) {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'Forbidden' } }));
          return;
        }
        this.seq += 1;
        const id = channel ? `${channel};messageid=post-${this.seq}` : `a:dm-${member}`;
        if (channel && params.activity) {
          // The new post, recorded like any other message the bot sent (method CREATE, in the channel).
          this.log.record({
            method: 'CREATE',
            conversationId: channel,
            body: params.activity,
            authorization: req.headers.authorization,
            responseId: `post-${this.seq}`,
          });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, activityId: `post-${this.seq}` }));
        return;
      }
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (!m || !['POST', 'PUT'].includes(req.method ?? '')) {
        res.writeHead(404);
        res.end();
        return;
      }
      const call: ConnectorCall = {
        method: req.method ?? '',
        conversationId: decodeURIComponent(m[1] ?? ''),
        activityId: m[2] ? decodeURIComponent(m[2]) : undefined,
        body: body as ConnectorCall['body'],
        authorization: req.headers.authorization,
      };
      if (this.failNext(call.conversationId, res)) return;
      this.seq += 1;
      call.responseId = call.method === 'PUT' && call.activityId ? call.activityId : `act-${this.seq}`;
      this.log.record(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: call.responseId }));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return this;
  }

  /** Answers with the next failure queued for this conversation (or for any), if there is one. */
  private failNext(conversationId: string, res: ServerResponse): boolean {
    const failure = this.failuresFor.get(conversationId)?.shift() ?? this.failures.shift();
    if (!failure) return false;
    res.writeHead(failure, {
      'content-type': 'application/json',
      ...(failure === 429 ? { 'retry-after': '2' } : {}),
    });
    res.end(JSON.stringify({ error: { code: 'Fail' } }));
    return true;
  }

  /** Resolves with the first call (already recorded or future) that matches, or rejects after `ms`. */
  waitFor(pred: (c: ConnectorCall) => boolean, ms = 5000): Promise<ConnectorCall> {
    return this.log.waitFor(pred, ms);
  }

  /** The Adaptive Card in a call, if it has one. */
  static card(call: ConnectorCall): Record<string, unknown> | undefined {
    return call.body.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
      ?.content;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** All texts of an Adaptive Card (TextBlocks and button titles), for assertions. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string') out.push(o.title);
      // FactSet facts: { title, value }
      if (typeof o.title === 'string' && typeof o.value === 'string' && !('type' in o)) out.push(o.value);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return out;
}

/** The card button (Action.Submit or Action.Execute, also inside Action.ShowCard sub-cards) with this title. */
export function findAction(card: unknown, title: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ((o.type === 'Action.Submit' || o.type === 'Action.Execute') && o.title === title) found = o;
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return found;
}

/** What the card button with this title sends: its data, with the verb of an Action.Execute in front. */
export function buttonData(card: unknown, title: string): Record<string, unknown> | undefined {
  const a = findAction(card, title);
  if (!a) return undefined;
  const data = (a.data as Record<string, unknown> | undefined) ?? {};
  return a.type === 'Action.Execute' ? { verb: a.verb, ...data } : data;
}
