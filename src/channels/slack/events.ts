import type { App } from '@slack/bolt';
import type { SlackBody } from './payload.js';
import type { SlackTurns } from './turns.js';

/** @Vangnet in a channel (answered in the thread of the mention) and direct messages to Vangnet. */
export function registerEvents(app: App, turns: SlackTurns): void {
  app.event('app_mention', async ({ event, context }) => {
    const e = event as SlackBody;
    const text = String(e.text ?? '')
      .replace(new RegExp(`<@${context.botUserId ?? 'U_NONE'}>`, 'g'), ' ')
      .replace(/<@[A-Z0-9]+>/g, ' ')
      .trim();
    await turns.dispatch(
      {
        type: 'message',
        text,
        addressed: true,
        actor: { id: e.user },
        // A mention is always in a channel or group the bot is in; only a DM with the bot is personal.
        conversation: turns.conversation(e.channel, e.team, false),
        lang: turns.lang,
      },
      { channel: e.channel, threadTs: e.thread_ts ?? e.ts },
    );
  });

  // message.im reaches the bot only from its own DMs.
  app.message(async ({ message }) => {
    const m = message as SlackBody;
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    await turns.dispatch(
      {
        type: 'message',
        text: String(m.text ?? ''),
        addressed: true,
        actor: { id: m.user },
        conversation: turns.conversation(m.channel, m.team, true),
        lang: turns.lang,
      },
      { channel: m.channel },
    );
  });
}
