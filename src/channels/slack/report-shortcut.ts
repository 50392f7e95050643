import type { App } from '@slack/bolt';
import { VERB_REPORT_MESSAGE } from '../../core/actions.js';
import type { Bot } from '../../core/bot.js';
import { MESSAGE_ACTIONS } from '../../core/commands/specs.js';
import type { ConversationKind, IncomingAction, Lang } from '../../core/types.js';
import type { SlackRenderer } from './render.js';

/** The Slack message shortcut "Melden bij Vangnet": its callback id is the registry's message action id. */
export const REPORT_SHORTCUT_ID = MESSAGE_ACTIONS[0].id;

// biome-ignore lint/suspicious/noExplicitAny: Slack interaction payloads are loosely typed JSON
type Body = Record<string, any>;

function kindOf(channelId: string): ConversationKind {
  return channelId.startsWith('D') ? 'personal' : channelId.startsWith('G') ? 'group' : 'channel';
}

/**
 * A `message_action` payload as the neutral "report this message" action: the message's place, time, author and
 * link. Its text, files and images are never passed on (names in free text cannot be removed reliably).
 */
export function messageShortcutToIncoming(body: Body, lang: Lang, link?: string): IncomingAction | undefined {
  const channel = String(body.channel?.id ?? '');
  const user = String(body.user?.id ?? '');
  if (body.callback_id !== REPORT_SHORTCUT_ID || !channel || !user) return undefined;
  const message = (body.message ?? {}) as Body;
  const seconds = Number.parseFloat(String(message.ts ?? ''));
  const kind = kindOf(channel);
  return {
    type: 'action',
    verb: VERB_REPORT_MESSAGE,
    data: {
      author: typeof message.user === 'string' ? message.user : undefined,
      sentAt: Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined,
      link,
      place: kind,
      placeName:
        kind === 'channel' && typeof body.channel?.name === 'string' ? `#${body.channel.name}` : undefined,
    },
    actor: { id: user, name: typeof body.user?.name === 'string' ? body.user.name : undefined },
    conversation: { platform: 'slack', id: channel, kind, tenantId: body.team?.id },
    lang,
  };
}

/**
 * "Melden bij Vangnet" on any message: the report continues in the user's DM with Vangnet; only the reporter hears
 * so, ephemerally, through the response URL. Not remembered as a conversation of the bot's: the shortcut works in
 * channels the bot is not in.
 */
export function registerReportShortcut(
  app: App,
  deps: { bot: Bot; renderer: SlackRenderer; lang: Lang },
): void {
  app.shortcut(
    { type: 'message_action', callback_id: REPORT_SHORTCUT_ID },
    async ({ ack, body, respond, client }) => {
      await ack();
      const b = body as Body;
      const link = await client.chat
        .getPermalink({ channel: String(b.channel?.id ?? ''), message_ts: String(b.message?.ts ?? '') })
        .then((r) => r.permalink)
        .catch(() => undefined);
      const incoming = messageShortcutToIncoming(b, deps.lang, link);
      if (!incoming) return;
      await deps.bot.handle({
        incoming,
        reply: async (out) => {
          const m = deps.renderer.message(out);
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: m.text,
            blocks: m.blocks as never,
          });
          return undefined;
        },
      });
    },
  );
}
