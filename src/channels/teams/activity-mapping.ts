import type { Activity, Attachment, ConversationReference } from 'botbuilder';
import type { ConversationKind, Incoming, Lang, Outgoing, Platform } from '../../core/types.js';
import type { CardJson } from '../../render/cards.js';

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
    id: conv.id,
    kind: conversationKindOf(activity),
    tenantId: conv.tenantId,
  };
  const lang = langOf(activity) ?? defaultLang;

  if (activity.type === 'message') {
    const value = activity.value as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { verb, ...data } = value as Record<string, unknown>;
      if (typeof verb === 'string') {
        return { type: 'action', verb, data, actor, conversation, lang, sourceMessageId: activity.replyToId };
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
      sourceMessageId: activity.replyToId,
    };
  }
  return undefined;
}

export function cardAttachment(card: CardJson): Attachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

/** A neutral reply as a Bot Framework message activity. */
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
  } as Partial<Activity>;
}

export type StoredReference = Partial<ConversationReference>;
