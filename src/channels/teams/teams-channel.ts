import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Request,
  type Response,
  StatusCodes,
  TurnContext,
} from 'botbuilder';
import type { Bot } from '../../core/bot.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import type { Lang, Outgoing } from '../../core/types.js';
import type { CardRenderer } from '../../render/cards.js';
import { conversationKindOf, platformOf, toActivity, toIncoming } from './activity-mapping.js';

export interface TeamsChannelOptions {
  readonly bot: Bot;
  readonly store: Store;
  readonly cards: CardRenderer;
  readonly logger: Logger;
  readonly lang: Lang;
  /** Absent in local mode: then unauthenticated (emulator-style) traffic is accepted. */
  readonly credentials?: {
    readonly appId: string;
    readonly appPassword?: string;
    readonly appType: string;
    readonly tenantId?: string;
  };
}

/**
 * Microsoft Teams through the Bot Framework (botbuilder CloudAdapter). Also serves the local chat, whose
 * built-in Direct Line posts into the same endpoint.
 */
export class TeamsChannel {
  readonly adapter: CloudAdapter;

  constructor(private readonly opts: TeamsChannelOptions) {
    const c = opts.credentials;
    const auth = new ConfigurationBotFrameworkAuthentication(
      c
        ? {
            MicrosoftAppId: c.appId,
            MicrosoftAppPassword: c.appPassword,
            MicrosoftAppType: c.appType,
            MicrosoftAppTenantId: c.tenantId,
          }
        : {},
    );
    this.adapter = new CloudAdapter(auth);
    this.adapter.onTurnError = async (context, error) => {
      opts.logger.error('teams.turn_error', { channel: context.activity.channelId, ...errorFields(error) });
    };
  }

  /** restify handler for `POST /api/messages`. */
  async process(req: Request, res: Response): Promise<void> {
    await this.adapter.process(req, res, (context) => this.onTurn(context));
  }

  private render = (template: string, out: Outgoing & { kind: 'card' }) =>
    this.opts.cards.render(template, out.data);

  private async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    await this.rememberConversation(context);

    if (activity.type === ActivityTypes.ConversationUpdate) {
      const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
      if (botAdded && conversationKindOf(activity) === 'personal') {
        await context.sendActivity(toActivity(this.opts.bot.welcome(), this.render));
      }
      return;
    }

    const incoming = toIncoming(activity, this.opts.lang);
    if (!incoming) {
      if (activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: { status: StatusCodes.BAD_REQUEST },
        });
      }
      return;
    }
    // In group chats and channels, only react when the bot is @mentioned.
    if (incoming.type === 'message' && !incoming.addressed) return;

    await this.opts.bot.handle({
      incoming,
      reply: async (out) => {
        await context.sendActivity(toActivity(out, this.render));
      },
    });

    if (activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: StatusCodes.OK,
          body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' },
        },
      });
    }
  }

  private async rememberConversation(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (!a.conversation?.id) return;
    const kind = conversationKindOf(a);
    const platform = platformOf(a);
    try {
      // Skip the write when nothing changed: most turns come from conversations the bot already knows.
      const known = await this.opts.store.getConversation(platform, a.conversation.id);
      const ref = known?.reference as { serviceUrl?: string } | undefined;
      if (known && ref?.serviceUrl === a.serviceUrl && (kind !== 'personal' || known.userId === a.from?.id))
        return;
      await this.opts.store.saveConversation({
        platform,
        conversationId: a.conversation.id,
        kind,
        userId: kind === 'personal' ? a.from?.id : undefined,
        aadObjectId: kind === 'personal' ? a.from?.aadObjectId : undefined,
        reference: TurnContext.getConversationReference(a),
        updatedAt: new Date().toISOString(),
      });
    } catch (err) {
      this.opts.logger.warn('teams.reference_not_saved', errorFields(err));
    }
  }
}
