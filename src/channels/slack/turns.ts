import type { WebClient } from '@slack/web-api';
import { VERB_ASK } from '../../core/actions.js';
import type { Bot } from '../../core/bot.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import type { Conversation, Incoming, Lang, Outgoing } from '../../core/types.js';
import type { SlackRenderer } from './render.js';
import { type ReplyTarget, SlackReplier } from './replies.js';

export interface SlackTurnsDeps {
  readonly bot: Bot;
  readonly store: Store;
  readonly renderer: SlackRenderer;
  readonly logger: Logger;
  readonly lang: Lang;
  /** The bot-token client. */
  readonly client: WebClient;
}

/** How many users' bot DM ids are kept in memory (each is one conversations.open to find again). */
const MAX_KNOWN_DMS = 5000;

/** Runs Slack events through the platform-neutral bot and sends its answers where they belong. */
export class SlackTurns {
  private readonly botDms = new Map<string, string>();

  constructor(private readonly deps: SlackTurnsDeps) {}

  get lang(): Lang {
    return this.deps.lang;
  }

  /** Runs one neutral event through the bot; its answers go to `target`. */
  async dispatch(incoming: Incoming, target: ReplyTarget): Promise<void> {
    const { bot, renderer, logger } = this.deps;
    await this.remember(incoming);
    const replier = new SlackReplier(this.deps.client, target);
    const query = listQueryOf(incoming);
    await bot.handle({
      incoming,
      reply: async (out) => {
        let first: string | undefined;
        for (const m of renderer.messages(out, { query })) first ??= await replier.send(m);
        return first;
      },
      updateSource: replier.canReplace
        ? async (out) => {
            try {
              await replier.replace(renderer.message(out));
              return true;
            } catch (err) {
              logger.warn('slack.update_failed', errorFields(err));
              return false;
            }
          }
        : undefined,
      // Only the person who pressed sees this: their own copy (an ephemeral message, their DM with Vangnet), else
      // an "only visible to you" message through the click's response_url; never a change others would see.
      updateForActor: async (out) => {
        const message = renderer.message(out);
        try {
          if (replier.canReplace) await replier.replace(message);
          else if (target.respond) await replier.send(message);
          else return false;
          return true;
        } catch (err) {
          logger.warn('slack.update_failed', errorFields(err));
          return false;
        }
      },
    });
  }

  /** What the bot answers to an event, without sending anything: to make a card again (a modal, a list page). */
  async capture(incoming: Incoming): Promise<Outgoing[]> {
    const out: Outgoing[] = [];
    await this.deps.bot.handle({
      incoming,
      reply: async (o) => {
        out.push(o);
        return undefined;
      },
    });
    return out;
  }

  /** The user's DM with the bot (opened if need be); undefined when Slack cannot be reached. */
  async botDmOf(user: string): Promise<string | undefined> {
    const known = this.botDms.get(user);
    if (known) return known;
    try {
      const dm = (await this.deps.client.conversations.open({ users: user })).channel?.id;
      if (dm) this.knowBotDm(user, dm);
      return dm;
    } catch (err) {
      this.deps.logger.warn('slack.dm_not_opened', errorFields(err));
      return undefined;
    }
  }

  /** Remembers a user's bot DM id (the notifier learns them when it opens DMs). */
  knowBotDm(user: string, channel: string): void {
    this.botDms.delete(user);
    this.botDms.set(user, channel);
    if (this.botDms.size > MAX_KNOWN_DMS) this.botDms.delete(this.botDms.keys().next().value as string);
  }

  /**
   * Whether `channel` is the user's own DM with the bot. A slash command or an "only visible to you" message can
   * also be in a DM between two people, which the bot cannot post in and which is not private with Vangnet.
   */
  async isBotDm(channel: string, user: string): Promise<boolean> {
    if (!channel.startsWith('D')) return false;
    return (await this.botDmOf(user)) === channel;
  }

  /** A neutral conversation: personal only for the bot's own DM with the user. */
  conversation(channel: string, team: string | undefined, botDm: boolean): Conversation {
    return {
      platform: 'slack',
      id: channel,
      kind: botDm ? 'personal' : channel.startsWith('C') ? 'channel' : 'group',
      tenantId: team,
    };
  }

  private async remember(incoming: Incoming): Promise<void> {
    const c = incoming.conversation;
    const { store, logger } = this.deps;
    try {
      if (await store.conversations.get('slack', c.id)) return;
      await store.conversations.save({
        platform: 'slack',
        conversationId: c.id,
        kind: c.kind,
        userId: c.kind === 'personal' ? incoming.actor.id : undefined,
        reference: { channel: c.id, team: c.tenantId },
        updatedAt: new Date().toISOString(),
      });
    } catch (err) {
      logger.warn('slack.reference_not_saved', errorFields(err));
    }
  }
}

/** What made a reply, to make a long list again for its other pages: the text typed, or a button's question. */
function listQueryOf(incoming: Incoming): string | undefined {
  if (incoming.type === 'message') return incoming.text;
  if (incoming.verb === VERB_ASK && typeof incoming.data.q === 'string') return incoming.data.q;
  return undefined;
}
