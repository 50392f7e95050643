import type { Activity, TurnContext as BotTurnContext } from 'botbuilder';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Outgoing, TurnContext } from '../../core/types.js';
import type { CardJson } from '../../render/cards.js';

/** The body of an `adaptiveCard/action` invoke response. */
export type CardActionResponse =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: CardJson }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

/**
 * The core's reply functions for one `adaptiveCard/action` invoke (Action.Execute), answered in the HTTP response
 * as Teams expects:
 * - a card update (`updateSource`, `updateForActor`) becomes the response card, which Teams shows at once to the
 *   person who pressed; `updateSource` also updates the message itself, for everyone and every device;
 * - a single text answer becomes the response message instead of a chat post;
 * - an automatic refresh (`trigger: automatic`) never posts anything: it only answers the card it came from.
 */
export class CardActionTurn {
  private card?: Outgoing;
  private readonly texts: string[] = [];

  constructor(
    private readonly context: BotTurnContext,
    private readonly opts: {
      readonly automatic: boolean;
      readonly toActivity: (out: Outgoing) => Partial<Activity>;
      readonly render: (out: Outgoing & { kind: 'card' }) => CardJson;
      readonly logger: Logger;
    },
  ) {}

  readonly reply: TurnContext['reply'] = async (out) => {
    if (this.opts.automatic) {
      this.opts.logger.debug('teams.refresh_reply_dropped', {});
      return undefined;
    }
    if (out.kind === 'text') {
      this.texts.push(out.text);
      return undefined;
    }
    return (await this.context.sendActivity(this.opts.toActivity(out)))?.id;
  };

  readonly updateSource: TurnContext['updateSource'] = async (out) => {
    const id = this.context.activity.replyToId;
    if (!this.opts.automatic && id) {
      try {
        await this.context.updateActivity({ ...this.opts.toActivity(out), id });
      } catch (err) {
        this.opts.logger.warn('teams.update_failed', errorFields(err));
      }
    }
    this.card = out;
    return true;
  };

  readonly updateForActor: TurnContext['updateForActor'] = async (out) => {
    this.card = out;
    return true;
  };

  /** The invoke's answer; texts that do not fit in it are posted (never for an automatic refresh). */
  async response(): Promise<CardActionResponse> {
    const card = this.card;
    if (card?.kind === 'card') {
      await this.post(this.texts);
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: this.opts.render(card),
      };
    }
    if (card?.kind === 'text') this.texts.unshift(card.text);
    if (this.texts.length === 1)
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: this.texts[0] ?? '',
      };
    await this.post(this.texts);
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' };
  }

  private async post(texts: readonly string[]) {
    if (this.opts.automatic) return;
    for (const text of texts) await this.context.sendActivity(this.opts.toActivity({ kind: 'text', text }));
  }
}
