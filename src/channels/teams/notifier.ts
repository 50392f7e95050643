import type { CloudAdapter } from 'botbuilder';
import { type Activity, type ConversationReference, TurnContext } from 'botbuilder';
import type { MessageRef, PlatformAddress } from '../../core/cases/model.js';
import { DeliveryError, type Notifier } from '../../core/cases/notifier.js';
import type { Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import { PostError } from '../../core/tips/fanout.js';
import type { Outgoing, Platform } from '../../core/types.js';
import type { CardRenderer } from '../../render/cards.js';
import { cardForPlatform, toActivity } from './activity-mapping.js';

/**
 * Private messages through the Bot Framework (Teams and the local chat): continues the person's stored 1:1
 * conversation, or, in Teams, creates one (the app must be installed for the user, which admins can do for
 * everyone with an app setup policy).
 */
export class BotFrameworkNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly store: Store,
    private readonly cards: CardRenderer,
    private readonly appId: string,
    private readonly logger: Logger,
  ) {}

  private activity(out: Outgoing, platform: Platform): Partial<Activity> {
    return toActivity(out, (template, o) => cardForPlatform(platform, this.cards.render(template, o.data)));
  }

  private async reference(to: PlatformAddress): Promise<Partial<ConversationReference>> {
    const key = to.userId ?? to.aadObjectId;
    const known =
      (to.userId && (await this.store.conversations.findPersonal(to.platform, to.userId))) ||
      (to.aadObjectId && (await this.store.conversations.findPersonal(to.platform, to.aadObjectId)));
    if (known) return known.reference as Partial<ConversationReference>;
    if (to.platform !== 'teams' || !key)
      throw new DeliveryError('no-address', 'no conversation with this person');
    return this.createTeamsConversation(to);
  }

  /** A new 1:1 chat in Teams, using the service URL and tenant of a conversation the bot already has. */
  private async createTeamsConversation(to: PlatformAddress): Promise<Partial<ConversationReference>> {
    const any = await this.store.conversations.findAny('teams');
    const ref = any?.reference as Partial<ConversationReference> | undefined;
    if (!ref?.serviceUrl) throw new DeliveryError('no-address', 'the bot has no Teams conversation yet');
    const tenantId = (ref.conversation as { tenantId?: string } | undefined)?.tenantId;
    let created: Partial<ConversationReference> | undefined;
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      ref.serviceUrl,
      null as unknown as string,
      {
        isGroup: false,
        bot: ref.bot as { id: string; name: string },
        members: [{ id: to.userId ?? (to.aadObjectId as string), name: to.name ?? '' }],
        tenantId,
        channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
      } as never,
      async (context) => {
        created = TurnContext.getConversationReference(context.activity);
      },
    );
    const conversationId = created?.conversation?.id;
    if (!created || !conversationId)
      throw new DeliveryError('unreachable', 'Teams did not create a conversation');
    await this.store.conversations.save({
      platform: 'teams',
      conversationId,
      kind: 'personal',
      userId: to.userId,
      aadObjectId: to.aadObjectId,
      reference: created,
      updatedAt: new Date().toISOString(),
    });
    this.logger.info('teams.conversation_created', {});
    return created;
  }

  /**
   * Runs `logic` in a proactive turn and rethrows what failed inside it: the adapter would otherwise hand the
   * error to onTurnError and report success.
   */
  private async inTurn(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ) {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        await logic(context);
      } catch (err) {
        failure = err ?? new Error('failed');
      }
    });
    if (failure) throw failure;
  }

  async send(to: PlatformAddress, out: Outgoing): Promise<MessageRef> {
    const reference = await this.reference(to);
    let id: string | undefined;
    try {
      await this.inTurn(reference, async (context) => {
        id = (await context.sendActivity(this.activity(out, to.platform)))?.id;
      });
    } catch (err) {
      throw new DeliveryError('unreachable', 'the message could not be delivered', { cause: err });
    }
    return { platform: to.platform, conversationId: reference.conversation?.id ?? '', activityId: id ?? '' };
  }

  /**
   * Posts into a conversation the bot was added to (weekly tips); failures classified for the fan-out queue. In a
   * Teams channel every post is a new post in the channel, never a reply in the thread where tips were switched on.
   */
  async post(platform: Platform, conversationId: string, out: Outgoing): Promise<void> {
    const known = await this.store.conversations.get(platform, conversationId);
    if (!known) throw new PostError('gone', 'unknown conversation');
    const reference = known.reference as Partial<ConversationReference>;
    try {
      if (platform === 'teams' && known.kind === 'channel')
        await this.newChannelPost(reference, conversationId, out);
      else
        await this.inTurn(reference, async (context) => {
          await context.sendActivity(this.activity(out, platform));
        });
    } catch (err) {
      throw classifyHttpError(err);
    }
  }

  /** A new post in a Teams channel: a conversation created in the channel with the message as its first activity. */
  private async newChannelPost(reference: Partial<ConversationReference>, channelId: string, out: Outgoing) {
    if (!reference.serviceUrl) throw new PostError('gone', 'no service URL for the channel');
    const tenantId = (reference.conversation as { tenantId?: string } | undefined)?.tenantId;
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      reference.serviceUrl,
      null as unknown as string,
      {
        isGroup: true,
        bot: reference.bot as { id: string; name: string },
        channelData: { channel: { id: channelId }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
        tenantId,
        activity: this.activity(out, 'teams'),
      } as never,
      async () => undefined,
    );
  }

  async update(ref: MessageRef, out: Outgoing): Promise<void> {
    if (!ref.activityId) throw new DeliveryError('no-address', 'no message id to update');
    const known = await this.store.conversations.get(ref.platform, ref.conversationId);
    if (!known) throw new DeliveryError('no-address', 'unknown conversation');
    await this.inTurn(known.reference as Partial<ConversationReference>, async (context) => {
      await context.updateActivity({ ...this.activity(out, ref.platform), id: ref.activityId });
    });
  }
}

/** Bot Framework / HTTP errors as the fan-out queue needs them: 429 with Retry-After, gone, transient, fatal. */
export function classifyHttpError(err: unknown): PostError {
  const e = err as {
    statusCode?: number;
    code?: string;
    response?: {
      status?: number;
      headers?: { get?: (n: string) => string | undefined } & Record<string, unknown>;
    };
  };
  const status = e.statusCode ?? e.response?.status;
  if (status === 429) {
    const h = e.response?.headers;
    const raw =
      (typeof h?.get === 'function' ? h.get('retry-after') : (h?.['retry-after'] as string | undefined)) ??
      '1';
    const seconds = Number(raw);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(raw) - Date.now());
    return new PostError('rate-limited', 'rate limited', Math.min(ms, 10 * 60_000));
  }
  if (status === 403 || status === 404) return new PostError('gone', `conversation gone (${status})`);
  if (status === undefined || status >= 500 || status === 408)
    return new PostError('transient', `transient (${status ?? e.code ?? 'network'})`);
  return new PostError('fatal', `failed (${status})`);
}
