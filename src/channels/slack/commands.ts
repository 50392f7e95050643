import type { App } from '@slack/bolt';
import { SLASH_COMMAND } from './payload.js';
import type { Respond } from './replies.js';
import type { SlackTurns } from './turns.js';

/**
 * `/vangnet <vraag> | melding | help | tips aan|uit`. In the bot's own DM the answer is an ordinary message;
 * anywhere else (a channel, a DM between two people, a channel Vangnet is not in) only the person who typed it
 * sees the answer, through the command's response_url: the bot's token may not reach there, and must not
 * answer publicly.
 */
export function registerCommands(app: App, turns: SlackTurns): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const channel = String(command.channel_id);
    const user = String(command.user_id);
    const botDm = await turns.isBotDm(channel, user);
    await turns.dispatch(
      {
        type: 'message',
        text: String(command.text ?? ''),
        addressed: true,
        actor: { id: user, name: command.user_name },
        conversation: turns.conversation(channel, command.team_id, botDm),
        lang: turns.lang,
      },
      botDm ? { channel } : { channel, respond: respond as Respond },
    );
  });
}
