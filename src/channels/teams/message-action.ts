import type { Activity } from 'botbuilder';
import { VERB_REPORT_MESSAGE } from '../../core/actions.js';
import { MESSAGE_ACTIONS } from '../../core/commands/specs.js';
import type { IncomingAction, Lang, Outgoing } from '../../core/types.js';
import { conversationKindOf, toIncoming } from './activity-mapping.js';

/** The invokes of a Teams message action ("…" on a message → "Melden bij Vangnet"). */
export const MESSAGE_ACTION_INVOKES = new Set([
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
]);

interface MessagePayload {
  readonly createdDateTime?: unknown;
  readonly linkToMessage?: unknown;
  readonly from?: { readonly user?: { readonly displayName?: unknown }; readonly application?: unknown };
}

/**
 * A message action invoke as the neutral "report this message" action: the message's place, time, author and link.
 * Its text, attachments and images are never passed on: names in free text cannot be removed reliably, and the link
 * leads the expert to the message where it is.
 */
export function messageActionToIncoming(activity: Partial<Activity>, lang: Lang): IncomingAction | undefined {
  const value = activity.value as { commandId?: unknown; messagePayload?: MessagePayload } | undefined;
  if (!MESSAGE_ACTIONS.some((a) => a.id === value?.commandId)) return undefined;
  // The actor, conversation and language as for any other activity from this conversation.
  const base = toIncoming({ ...activity, type: 'message', value: undefined, text: '' }, lang);
  if (base?.type !== 'message') return undefined;
  const payload = value?.messagePayload ?? {};
  const channelData = activity.channelData as
    | { team?: { name?: unknown }; channel?: { name?: unknown } }
    | undefined;
  const names = [channelData?.team?.name, channelData?.channel?.name].filter(
    (n): n is string => typeof n === 'string' && n.length > 0,
  );
  const author = payload.from?.user?.displayName;
  const { type: _type, text: _text, addressed: _addressed, ...rest } = base;
  return {
    ...rest,
    type: 'action',
    verb: VERB_REPORT_MESSAGE,
    data: {
      author: typeof author === 'string' ? author : undefined,
      sentAt: typeof payload.createdDateTime === 'string' ? payload.createdDateTime : undefined,
      link: typeof payload.linkToMessage === 'string' ? payload.linkToMessage : undefined,
      place: conversationKindOf(activity),
      placeName: names.length ? names.join(' › ') : undefined,
    },
  };
}

/** A reply as the plain text of a Teams dialog: a card's title and body, or the text itself. */
export function replyText(out: Outgoing): string {
  if (out.kind === 'text') return out.text;
  const { title, body } = out.data as { title?: unknown; body?: unknown };
  const text = [title, body].filter((x): x is string => typeof x === 'string' && x.length > 0).join('\n\n');
  // A dialog shows plain text: no markdown bold.
  return (text || out.summary).replace(/\*\*/g, '');
}
