import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './render.js';

/** Bolt's `respond()`: posts to the payload's `response_url`. */
export type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/**
 * Where one turn's answers go in Slack.
 *
 * In the bot's own DM Vangnet posts with its token: messages that stay and can be updated in place. Everywhere
 * else — a slash command in a channel or in a DM between two people, a button on an "only visible to you"
 * message, a button on a public message in a channel — only the person who acted sees the answer, through the
 * payload's `response_url`. The bot may not even be a member there, and an answer posted with its token would
 * be public.
 */
export interface ReplyTarget {
  readonly channel: string;
  /** Bot-token posts go into this thread (answers to an @mention). */
  readonly threadTs?: string;
  /** Answer only the person who acted, through the payload's response_url. */
  readonly respond?: Respond;
  /** Answer only this user with chat.postEphemeral when a payload has no response_url (the bot must be there). */
  readonly ephemeralTo?: string;
  /** The message whose button was pressed, when it can be replaced. */
  readonly source?: { readonly ts?: string; readonly ephemeral: boolean };
}

/** Sends a turn's messages to its target. */
export class SlackReplier {
  constructor(
    private readonly client: WebClient,
    private readonly target: ReplyTarget,
  ) {}

  /** A new message; resolves with its ts when Slack gives one (not for answers through response_url). */
  async send(message: SlackMessage): Promise<string | undefined> {
    const { respond, channel, threadTs, ephemeralTo } = this.target;
    if (respond) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...message });
      return undefined;
    }
    if (ephemeralTo) {
      await this.client.chat.postEphemeral({
        channel,
        user: ephemeralTo,
        text: message.text,
        blocks: message.blocks as never,
      });
      return undefined;
    }
    const res = await this.client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: message.text,
      blocks: message.blocks as never,
    });
    return res.ts;
  }

  /**
   * Whether the pressed message can be replaced: an ephemeral one through response_url (chat.update cannot
   * reach it), one in the bot's DM with chat.update. A public message in a channel is left as it is: the answer
   * to one person does not change what everyone sees.
   */
  get canReplace(): boolean {
    const { respond, source, ephemeralTo } = this.target;
    return Boolean(source && (source.ephemeral ? respond : !respond && !ephemeralTo && source.ts));
  }

  /** Replaces the pressed message (check `canReplace` first). */
  async replace(message: SlackMessage): Promise<void> {
    const { respond, source, channel } = this.target;
    if (source?.ephemeral && respond) {
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
      return;
    }
    if (!source?.ts) throw new Error('no message to replace');
    await this.client.chat.update({
      channel,
      ts: source.ts,
      text: message.text,
      blocks: message.blocks as never,
    });
  }
}
