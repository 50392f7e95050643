import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errorFields, type Logger } from '../../core/logger.js';

/**
 * A Direct Line 3.0-compatible endpoint for the local chat page, on loopback only. Web Chat talks to it with
 * polling (start conversation, post activity, get activities since a watermark). Each user activity is forwarded
 * to the bot's own `/api/messages`, exactly as the Azure Direct Line service would do, with `serviceUrl` pointing
 * back at the small connector emulation below, where the bot's replies are collected for polling.
 *
 * Both sides need a per-conversation secret: Web Chat its bearer token, the bot the connector key inside its
 * `serviceUrl` (`…/local/<key>`). So no other local process can read a conversation or put "bot" messages in it.
 *
 * A conversation is a private chat, or (`kind: 'channel'`) a stand-in for a Teams channel: the bot sees it as a
 * channel, and a message that starts with "@Vangnet" reaches it as an @mention, as in Teams.
 */

export interface DirectLineActivity {
  type: string;
  id?: string;
  timestamp?: string;
  from?: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
  conversation?: { id: string; conversationType?: string; isGroup?: boolean };
  text?: string;
  value?: unknown;
  attachments?: unknown[];
  channelData?: Record<string, unknown>;
  replyToId?: string;
  [key: string]: unknown;
}

export type LocalKind = 'personal' | 'channel';

interface LocalConversation {
  readonly id: string;
  readonly token: string;
  /** The bot's key to this conversation in the connector emulation (part of its serviceUrl). */
  readonly connectorKey: string;
  readonly kind: LocalKind;
  /** Activities in stream order, each with the sequence number the watermark counts. */
  readonly activities: { seq: number; activity: DirectLineActivity }[];
  lastUsed: number;
  seq: number;
}

export const LOCAL_BOT = { id: 'vangnet', name: 'Vangnet', role: 'bot' } as const;
/** The one user of the local chat page; the demo school gives this person every role. */
export const LOCAL_USER = { id: 'local-user', name: 'Lokale gebruiker', role: 'user' } as const;
/** How a message in the channel tab mentions the bot (typed as in Teams). */
const MENTION = /^\s*@vangnet\b[\s,:]*/i;
const AT_BOT = `<at>${LOCAL_BOT.name}</at>`;
/** Web Chat orders activities by this channel data value. */
const SEQUENCE_ID = 'webchat:sequence-id';
const MAX_CONVERSATIONS = 200;
const MAX_ACTIVITIES = 2000;
const TOKEN_TTL_SECONDS = 3600;

export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class LocalDirectLine {
  private readonly conversations = new Map<string, LocalConversation>();

  constructor(
    /** Posts a Bot Framework activity to the bot (the server's own /api/messages). */
    private readonly deliver: (activity: DirectLineActivity) => Promise<void>,
    /** Base URL of the connector emulation, e.g. http://127.0.0.1:3978/local; each conversation adds its key. */
    private readonly serviceUrl: () => string,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts a conversation and, as the Azure Direct Line does, tells the bot that it and the user joined: in the
   * private chat the bot greets at once.
   */
  startConversation(kind: LocalKind = 'personal') {
    if (this.conversations.size >= MAX_CONVERSATIONS) {
      const oldest = [...this.conversations.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (oldest) this.conversations.delete(oldest.id);
    }
    const id = randomUUID();
    const conv: LocalConversation = {
      id,
      token: randomBytes(24).toString('base64url'),
      connectorKey: randomBytes(24).toString('base64url'),
      kind,
      activities: [],
      lastUsed: Date.now(),
      seq: 0,
    };
    this.conversations.set(id, conv);
    this.toBot(conv, {
      type: 'conversationUpdate',
      from: { ...LOCAL_USER },
      membersAdded: [{ ...LOCAL_BOT }, { id: LOCAL_USER.id, name: LOCAL_USER.name }],
    });
    return { conversationId: id, token: conv.token, expires_in: TOKEN_TTL_SECONDS };
  }

  /**
   * An activity as the bot receives it: from this conversation, with its `serviceUrl` (and key), and, in the channel
   * stand-in, Teams' channel fields and a leading "@Vangnet" as a mention.
   */
  private toBot(conv: LocalConversation, activity: DirectLineActivity, id?: string): void {
    const channel = conv.kind === 'channel';
    let { text, entities } = activity as { text?: string; entities?: unknown[] };
    if (channel && typeof text === 'string' && MENTION.test(text)) {
      text = text.replace(MENTION, `${AT_BOT} `);
      entities = [...(entities ?? []), { type: 'mention', text: AT_BOT, mentioned: { ...LOCAL_BOT } }];
    }
    const toBot: DirectLineActivity = {
      ...activity,
      ...(text !== undefined ? { text } : {}),
      ...(entities ? { entities } : {}),
      id: id ?? `${conv.id}|event-${randomUUID()}`,
      channelId: 'directline',
      serviceUrl: `${this.serviceUrl()}/${conv.connectorKey}`,
      recipient: { ...LOCAL_BOT },
      conversation: channel
        ? { id: conv.id, conversationType: 'channel', isGroup: true }
        : { id: conv.id, conversationType: 'personal' },
      channelData: channel ? { ...activity.channelData, channel: { id: conv.id } } : activity.channelData,
      timestamp: new Date().toISOString(),
      locale: typeof activity.locale === 'string' ? activity.locale : 'nl-NL',
    };
    this.deliver(toBot).catch((err) => this.logger.warn('local.deliver_failed', errorFields(err)));
  }

  /** The conversation, after checking the bearer token the client got from `startConversation`. */
  private get(id: string, authorization: string | undefined): LocalConversation {
    const conv = this.conversations.get(id);
    if (!conv) throw new DirectLineError(404, 'Unknown conversation');
    if (!safeEqual(authorization ?? '', `Bearer ${conv.token}`))
      throw new DirectLineError(403, 'Invalid token');
    conv.lastUsed = Date.now();
    return conv;
  }

  reconnect(id: string, authorization: string | undefined) {
    const conv = this.get(id, authorization);
    return { conversationId: conv.id, token: conv.token, expires_in: TOKEN_TTL_SECONDS };
  }

  refreshToken(authorization: string | undefined) {
    const conv = [...this.conversations.values()].find((c) => authorization === `Bearer ${c.token}`);
    if (!conv) throw new DirectLineError(403, 'Invalid token');
    return { conversationId: conv.id, token: conv.token, expires_in: TOKEN_TTL_SECONDS };
  }

  /**
   * Adds an activity to the stream. Each carries Web Chat's `webchat:sequence-id`, the place it is shown at: a new
   * activity gets its own stream number, an update keeps the place of the activity it replaces.
   */
  private append(
    conv: LocalConversation,
    activity: DirectLineActivity,
    replaces?: { id: string; place: number },
  ): string {
    conv.seq += 1;
    const activityId = replaces?.id ?? `${conv.id}|${String(conv.seq).padStart(7, '0')}`;
    conv.activities.push({
      seq: conv.seq,
      activity: {
        ...activity,
        id: activityId,
        timestamp: new Date().toISOString(),
        conversation: { id: conv.id },
        channelData: { ...activity.channelData, [SEQUENCE_ID]: replaces?.place ?? conv.seq },
      },
    });
    if (conv.activities.length > MAX_ACTIVITIES)
      conv.activities.splice(0, conv.activities.length - MAX_ACTIVITIES);
    return activityId;
  }

  /** A user activity from Web Chat: echo it into the stream (Web Chat waits for that) and pass it to the bot. */
  postActivity(id: string, authorization: string | undefined, body: unknown): { id: string } {
    const conv = this.get(id, authorization);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new DirectLineError(400, 'Activity must be an object');
    const a = body as DirectLineActivity;
    if (typeof a.type !== 'string') throw new DirectLineError(400, 'Activity needs a type');
    const from = {
      id: typeof a.from?.id === 'string' && a.from.id ? a.from.id.slice(0, 100) : 'local-user',
      name: typeof a.from?.name === 'string' ? a.from.name.slice(0, 100) : undefined,
      role: 'user',
    };
    const activity: DirectLineActivity = { ...a, from, recipient: { ...LOCAL_BOT } };
    const activityId = this.append(conv, activity);
    this.toBot(conv, activity, activityId);
    return { id: activityId };
  }

  getActivities(id: string, authorization: string | undefined, watermark: string | undefined) {
    const conv = this.get(id, authorization);
    const after = Math.max(0, Number.parseInt(watermark ?? '0', 10) || 0);
    const activities = conv.activities.filter((x) => x.seq > after).map((x) => x.activity);
    return { activities, watermark: String(conv.seq) };
  }

  /** The conversation the bot writes to, after checking the connector key of its serviceUrl. */
  private forBot(conversationId: string, key: string): LocalConversation {
    const conv = this.conversations.get(conversationId);
    if (!conv) throw new DirectLineError(404, 'Unknown conversation');
    if (!safeEqual(key, conv.connectorKey)) throw new DirectLineError(403, 'Invalid connector key');
    return conv;
  }

  /** The connector emulation: the bot posts a reply (`POST /v3/conversations/:id/activities[/:replyTo]`). */
  botActivity(key: string, conversationId: string, body: unknown): { id: string } {
    const conv = this.forBot(conversationId, key);
    if (!body || typeof body !== 'object') throw new DirectLineError(400, 'Activity must be an object');
    const a = body as DirectLineActivity;
    return { id: this.append(conv, { ...a, from: { ...LOCAL_BOT } }) };
  }

  /**
   * The bot updates a card (`PUT /v3/conversations/:id/activities/:activityId`): the new version goes out with
   * the same id and the same place, and Web Chat replaces the old one where it stood. The old version leaves the
   * stream, so a client that reconnects sees only the current card.
   */
  updateBotActivity(key: string, conversationId: string, activityId: string, body: unknown): { id: string } {
    const conv = this.forBot(conversationId, key);
    if (!body || typeof body !== 'object') throw new DirectLineError(400, 'Activity must be an object');
    const index = conv.activities.findIndex((x) => x.activity.id === activityId);
    const old = conv.activities[index];
    if (!old) throw new DirectLineError(404, 'Unknown activity');
    conv.activities.splice(index, 1);
    const place = Number(old.activity.channelData?.[SEQUENCE_ID] ?? old.seq);
    this.append(
      conv,
      { ...(body as DirectLineActivity), replyToId: old.activity.replyToId, from: { ...LOCAL_BOT } },
      { id: activityId, place },
    );
    return { id: activityId };
  }
}

/** Compares secrets in constant time. */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
