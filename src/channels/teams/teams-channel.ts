import {
  type Activity,
  ActivityTypes,
  CloudAdapter,
  type ConfigurationBotFrameworkAuthentication,
  type Request,
  type Response,
  StatusCodes,
  TurnContext,
} from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Bot } from '../../core/bot.js';
import { translator } from '../../core/i18n/index.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import type { Lang, Outgoing, Platform } from '../../core/types.js';
import type { CardRenderer } from '../../render/cards.js';
import {
  cardForPlatform,
  conversationKeyOf,
  conversationKindOf,
  isAutomaticRefresh,
  platformOf,
  toActivity,
  toIncoming,
} from './activity-mapping.js';
import {
  authenticateActivity,
  type BotFrameworkEndpoints,
  botFrameworkAuthentication,
  UnauthorizedRequest,
} from './authentication.js';
import { CardActionTurn } from './card-action-turn.js';
import { MESSAGE_ACTION_INVOKES, messageActionToIncoming, replyText } from './message-action.js';

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
  /** Token checking and issuing other than Microsoft's public cloud (tests: a fake key server on loopback). */
  readonly endpoints?: BotFrameworkEndpoints;
}

/** How long an activity id is remembered for spotting a redelivery. */
const DELIVERY_TTL_MS = 60 * 60_000;

/** CloudAdapter with its turn pipeline callable directly, so `TeamsChannel.process` controls HTTP answers. */
class VangnetAdapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

/**
 * Microsoft Teams through the Bot Framework (botbuilder CloudAdapter). Also serves the local chat, whose
 * built-in Direct Line posts into the same endpoint.
 */
export class TeamsChannel {
  readonly adapter: VangnetAdapter;
  private readonly auth: ConfigurationBotFrameworkAuthentication;

  constructor(private readonly opts: TeamsChannelOptions) {
    this.auth = botFrameworkAuthentication(opts.credentials, opts.endpoints);
    this.adapter = new VangnetAdapter(this.auth);
    this.adapter.onTurnError = async (context, error) => {
      opts.logger.error('teams.turn_error', { channel: context.activity.channelId, ...errorFields(error) });
    };
  }

  /**
   * restify handler for `POST /api/messages`. Does what `CloudAdapter.process` does, but answers bad input with
   * a 4xx instead of a 500 and logs only error codes (`process` prints whole errors, with stacks, to the console).
   */
  async process(req: Request, res: Response): Promise<void> {
    const body = req.body as Record<string, unknown> | undefined;
    const invalid = activityProblem(body);
    if (invalid) {
      res.status(400);
      res.send({ code: 'BadRequest', message: invalid });
      res.end();
      return;
    }
    const header = req.headers.authorization ?? req.headers.Authorization;
    const activity = body as unknown as Activity;
    try {
      // Authentication first and on its own: whatever fails there is a 401, never a 500.
      const auth = await authenticateActivity(
        this.auth,
        activity,
        typeof header === 'string' ? header : '',
        this.opts.logger,
      );
      const invokeResponse = await this.adapter.run(auth, activity, (context) => this.onTurn(context));
      res.status(invokeResponse?.status ?? StatusCodes.OK);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
      res.end();
    } catch (err) {
      const unauthorized = err instanceof UnauthorizedRequest;
      this.opts.logger.warn(unauthorized ? 'teams.unauthorized' : 'teams.process_failed', errorFields(err));
      res.status(unauthorized ? StatusCodes.UNAUTHORIZED : StatusCodes.INTERNAL_SERVER_ERROR);
      res.send({
        code: unauthorized ? 'Unauthorized' : 'Internal',
        message: unauthorized ? 'Unauthorized' : 'Internal error',
      });
      res.end();
    }
  }

  /** Renders a card as the client of this platform needs it (Teams: Universal Actions; local: submits). */
  private renderer(platform: Platform) {
    return (template: string, out: Outgoing & { kind: 'card' }) =>
      cardForPlatform(platform, this.opts.cards.render(template, out.data));
  }

  private async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const render = this.renderer(platformOf(activity));
    await this.rememberConversation(context);

    if (activity.type === ActivityTypes.ConversationUpdate) {
      const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
      if (botAdded && conversationKindOf(activity) === 'personal') {
        await context.sendActivity(toActivity(this.opts.bot.welcome(), render));
      }
      return;
    }

    if (activity.type === ActivityTypes.Invoke && MESSAGE_ACTION_INVOKES.has(activity.name ?? '')) {
      await this.onMessageAction(context);
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

    if (activity.type === ActivityTypes.Invoke) {
      // Action.Execute: answered in the invoke response, never by chat messages for an automatic refresh.
      const turn = new CardActionTurn(context, {
        automatic: isAutomaticRefresh(activity),
        toActivity: (out) => toActivity(out, render),
        render: (out) => render(out.template, out),
        logger: this.opts.logger,
      });
      await this.opts.bot.handle({
        incoming,
        reply: turn.reply,
        updateSource: turn.updateSource,
        updateForActor: turn.updateForActor,
      });
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: StatusCodes.OK, body: await turn.response() },
      });
      return;
    }

    // The Bot Framework delivers an activity again when the answer was slow: act on each activity id once.
    if (
      activity.id &&
      !(await this.opts.store.once.claim(
        `teams:${activity.conversation?.id}:${activity.id}`,
        DELIVERY_TTL_MS,
      ))
    ) {
      this.opts.logger.info('teams.duplicate', { kind: incoming.type });
      return;
    }
    const sourceId = incoming.type === 'action' ? incoming.sourceMessageId : undefined;
    await this.opts.bot.handle({
      incoming,
      reply: async (out) => (await context.sendActivity(toActivity(out, render)))?.id,
      updateSource: sourceId
        ? async (out) => {
            try {
              await context.updateActivity({ ...toActivity(out, render), id: sourceId });
              return true;
            } catch (err) {
              this.opts.logger.warn('teams.update_failed', errorFields(err));
              return false;
            }
          }
        : undefined,
    });
  }

  /**
   * "Melden bij Vangnet" on a message: the report continues in the private chat; the dialog says so. Nothing is
   * posted where the message was: the poster must not see that it was reported.
   */
  private async onMessageAction(context: TurnContext): Promise<void> {
    const incoming = messageActionToIncoming(context.activity, this.opts.lang);
    const texts: string[] = [];
    if (incoming) {
      await this.opts.bot.handle({
        incoming,
        reply: async (out) => {
          texts.push(replyText(out));
          return undefined;
        },
      });
    } else {
      texts.push(translator(this.opts.lang)('error.unknownAction'));
    }
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: StatusCodes.OK, body: { task: { type: 'message', value: texts.join('\n\n') } } },
    });
  }

  private async rememberConversation(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (!a.conversation?.id) return;
    // A message action can come from any chat (even a 1:1 between colleagues): not a conversation of the bot's.
    if (a.type === ActivityTypes.Invoke && MESSAGE_ACTION_INVOKES.has(a.name ?? '')) return;
    const kind = conversationKindOf(a);
    const platform = platformOf(a);
    // A channel is kept under its channel id: tips and notices start new posts there, not replies in one thread.
    const conversationId = conversationKeyOf(a);
    try {
      // Skip the write when nothing changed: most turns come from conversations the bot already knows.
      const known = await this.opts.store.conversations.get(platform, conversationId);
      const ref = known?.reference as { serviceUrl?: string } | undefined;
      if (known && ref?.serviceUrl === a.serviceUrl && (kind !== 'personal' || known.userId === a.from?.id))
        return;
      await this.opts.store.conversations.save({
        platform,
        conversationId,
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

const MAX_ID = 1024;

/** Why a request body is not a usable Bot Framework activity, or undefined when it is. */
export function activityProblem(body: Record<string, unknown> | undefined): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Expected a JSON activity object';
  if (typeof body.type !== 'string' || !body.type) return 'Activity type is missing';
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl))
    return 'Activity serviceUrl is missing';
  const conv = body.conversation as { id?: unknown } | undefined;
  if (!conv || typeof conv.id !== 'string' || !conv.id || conv.id.length > MAX_ID)
    return 'Activity conversation.id is missing';
  const from = body.from as { id?: unknown } | undefined;
  if (
    from !== undefined &&
    (typeof from !== 'object' || (from.id !== undefined && typeof from.id !== 'string'))
  ) {
    return 'Activity from is malformed';
  }
  if (body.text !== undefined && typeof body.text !== 'string') return 'Activity text must be a string';
  return undefined;
}
