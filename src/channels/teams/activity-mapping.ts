import type { Activity, Attachment, ConversationReference } from 'botbuilder';
import type { ConversationKind, Incoming, Lang, Outgoing, Platform } from '../../core/types.js';
import type { CardJson } from '../../render/cards.js';
import { executeToSubmit } from '../../render/execute-to-submit.js';

/** Bot Framework channel ids that are the local chat (Web Chat over the built-in Direct Line). */
const LOCAL_CHANNELS = new Set(['directline', 'webchat', 'emulator', 'test']);

export function platformOf(activity: Partial<Activity>): Platform {
  return LOCAL_CHANNELS.has(activity.channelId ?? '') ? 'local' : 'teams';
}

export function conversationKindOf(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'group';
  return 'personal';
}

/**
 * The key of a conversation: a Teams channel by its channel id. Teams gives each thread of a channel its own
 * conversation id (`19:…@thread.tacv2;messageid=<root post>`), so state keyed on that would follow one thread —
 * "tips aan" in one post, "tips uit" in another, and every tip a reply buried in the first.
 */
export function conversationKeyOf(activity: Partial<Activity>): string {
  const id = activity.conversation?.id ?? '';
  if (conversationKindOf(activity) !== 'channel') return id;
  const channel = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
  return typeof channel === 'string' && channel ? channel : channelKey(id);
}

/** A Teams channel conversation id without the thread part (also how stored keys are migrated). */
export function channelKey(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

/**
 * The deep link that opens the user's 1:1 chat with the bot in Teams, from the bot's own id in the activity
 * (`28:<app id>`); undefined elsewhere.
 */
export function privateChatUrlOf(activity: Partial<Activity>): string | undefined {
  const bot = activity.recipient?.id ?? '';
  // The id is checked to be URL-safe as it is: Teams' own links use `users=28:<app id>` unencoded.
  if (platformOf(activity) !== 'teams' || !/^28:[0-9a-z-]+$/i.test(bot)) return undefined;
  return `https://teams.microsoft.com/l/chat/0/0?users=${bot}`;
}

function langOf(activity: Partial<Activity>): Lang | undefined {
  const locale = (activity.locale ?? '').toLowerCase();
  if (locale.startsWith('nl')) return 'nl';
  if (locale.startsWith('en')) return 'en';
  return undefined;
}

/**
 * Removes the bot's own @mention from a message. Teams puts `<at>Name</at>` in the text and a mention entity
 * naming the recipient; other users' mentions stay (as their plain name).
 */
export function stripBotMention(activity: Partial<Activity>): { text: string; mentioned: boolean } {
  let text = activity.text ?? '';
  let mentioned = false;
  for (const e of activity.entities ?? []) {
    if (e.type !== 'mention') continue;
    const m = e as { mentioned?: { id?: string }; text?: string };
    if (m.mentioned?.id && m.mentioned.id === activity.recipient?.id && m.text) {
      mentioned = true;
      text = text.split(m.text).join(' ');
    }
  }
  text = text.replace(/<at>([^<]*)<\/at>/g, '$1');
  return { text: text.replace(/\s+/g, ' ').trim(), mentioned };
}

/** A Bot Framework activity as a neutral incoming event, or undefined when it is not for the core. */
export function toIncoming(activity: Partial<Activity>, defaultLang?: Lang): Incoming | undefined {
  const from = activity.from;
  const conv = activity.conversation;
  if (!from?.id || !conv?.id) return undefined;
  const actor = { id: from.id, name: from.name, aadObjectId: from.aadObjectId };
  const conversation = {
    platform: platformOf(activity),
    id: conversationKeyOf(activity),
    kind: conversationKindOf(activity),
    tenantId: conv.tenantId,
  };
  const lang = langOf(activity) ?? defaultLang;
  const privateChatUrl = privateChatUrlOf(activity);

  if (activity.type === 'message') {
    const value = activity.value as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { verb, ...data } = value as Record<string, unknown>;
      if (typeof verb === 'string') {
        return {
          type: 'action',
          verb,
          data,
          actor,
          conversation,
          lang,
          privateChatUrl,
          sourceMessageId: activity.replyToId,
        };
      }
    }
    const { text, mentioned } = stripBotMention(activity);
    return {
      type: 'message',
      text,
      addressed: mentioned || conversation.kind === 'personal',
      actor,
      conversation,
      lang,
      privateChatUrl,
    };
  }
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    const data =
      action?.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {};
    const verb = typeof action?.verb === 'string' ? action.verb : data.verb;
    if (typeof verb !== 'string') return undefined;
    const { verb: _ignored, ...rest } = data;
    return {
      type: 'action',
      verb,
      data: rest,
      actor,
      conversation,
      lang,
      privateChatUrl,
      sourceMessageId: activity.replyToId,
    };
  }
  return undefined;
}

/** Whether an invoke is Teams refreshing a card by itself (never to be answered with a chat message). */
export function isAutomaticRefresh(activity: Partial<Activity>): boolean {
  return (activity.value as { trigger?: unknown } | undefined)?.trigger === 'automatic';
}

export function cardAttachment(card: CardJson): Attachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

/** A neutral reply as a Bot Framework message activity; urgent ones ask Teams to alert the recipient. */
export function toActivity(
  out: Outgoing,
  render: (template: string, data: Outgoing & { kind: 'card' }) => CardJson,
) {
  if (out.kind === 'text')
    return { type: 'message', text: out.text, textFormat: 'markdown' } as Partial<Activity>;
  return {
    type: 'message',
    summary: out.summary,
    attachments: [cardAttachment(render(out.template, out))],
    ...(out.alert ? { channelData: { notification: { alert: true } } } : {}),
  } as Partial<Activity>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The card as each Bot Framework client needs it. Teams gets Universal Actions, with the users of an automatic refresh
 * named as Teams names them (an Entra object id as the MRI `8:orgid:<id>`); the local chat (Web Chat) gets plain
 * submits, the only buttons it sends.
 */
export function cardForPlatform(platform: Platform, card: CardJson): CardJson {
  if (platform !== 'teams') return executeToSubmit(card);
  const refresh = card.refresh as { userIds?: unknown } | undefined;
  if (!refresh || !Array.isArray(refresh.userIds)) return card;
  const userIds = refresh.userIds.map((id) =>
    typeof id === 'string' && GUID.test(id) ? `8:orgid:${id}` : id,
  );
  return { ...card, refresh: { ...refresh, userIds } };
}

export type StoredReference = Partial<ConversationReference>;
