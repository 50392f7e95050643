import { App, type Authorize, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Bot } from '../../core/bot.js';
import type { MessageRef, PlatformAddress } from '../../core/cases/model.js';
import { DeliveryError, type Notifier } from '../../core/cases/notifier.js';
import { translator } from '../../core/i18n/index.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import { PostError } from '../../core/tips/fanout.js';
import type { Lang, Outgoing } from '../../core/types.js';
import type { CardRenderer } from '../../render/cards.js';
import type { ConversationPoster } from '../platforms.js';
import { registerAppHome } from './app-home.js';
import { registerCommands } from './commands.js';
import { type Backoff, SlackConnection } from './connection.js';
import { deduplicateDeliveries } from './dedup.js';
import { registerEvents } from './events.js';
import { registerInteractions } from './interactions.js';
import { SlackModals } from './modals.js';
import { RestifySlackReceiver } from './receiver.js';
import { SlackRenderer } from './render.js';
import { SlackReplier } from './replies.js';
import { registerReportShortcut } from './report-shortcut.js';
import { SlackTurns } from './turns.js';

export interface SlackChannelOptions {
  readonly bot: Bot;
  readonly store: Store;
  readonly cards: CardRenderer;
  readonly logger: Logger;
  readonly lang: Lang;
  readonly botToken: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  readonly apiUrl?: string;
  readonly now?: () => Date;
  /** Waits between attempts to reach Slack at start (tests shorten them). */
  readonly backoff?: Backoff;
  /** The workspace's one-time sign-in link for a Slack user, sent by DM from the App Home's button. */
  readonly workspaceSignIn?: (userId: string) => Promise<Outgoing>;
}

/** A Web API call that does not answer within this time counts as failed (the fan-out queue retries it). */
const API_TIMEOUT_MS = 10_000;

/**
 * Slack through @slack/bolt: events, the /vangnet command, buttons, modals and the App Home, on the same core.
 * The concerns live in their own files (events, commands, interactions, modals, app-home, dedup, connection);
 * this class wires them and is the notifier for private messages to Slack users.
 */
export class SlackChannel implements Notifier, ConversationPoster {
  readonly app: App;
  readonly receiver?: RestifySlackReceiver;
  /** The bot-token client for everything Vangnet sends. */
  private readonly client: WebClient;
  private readonly renderer: SlackRenderer;
  private readonly turns: SlackTurns;
  private readonly connection: SlackConnection;
  /** Who the bot is, from auth.test once Slack was reached. */
  private identity?: { botId?: string; botUserId?: string };
  /** Socket Mode: whether the WebSocket client was started (and must be stopped). */
  private socketStarted = false;

  constructor(private readonly opts: SlackChannelOptions) {
    // Rate-limited calls are rejected, not silently waited on: the fan-out queue decides how long to wait.
    const clientOptions = {
      slackApiUrl: opts.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: API_TIMEOUT_MS,
      // Failures are logged by Vangnet as codes; the client's own lines would repeat them with messages.
      logLevel: LogLevel.ERROR,
    };
    this.client = new WebClient(opts.botToken, clientOptions);
    // Bolt would call auth.test itself when constructed with the token, and a failure there (Slack unreachable)
    // is an unhandled rejection that ends the process. The connection calls it instead; Bolt asks here.
    const authorize: Authorize<boolean> = async () => {
      if (!this.identity) throw new Error('Slack is not connected yet');
      return { botToken: opts.botToken, ...this.identity };
    };
    if (opts.appToken) {
      this.app = new App({
        authorize,
        appToken: opts.appToken,
        socketMode: true,
        clientOptions,
        logLevel: LogLevel.ERROR,
      });
    } else {
      this.receiver = new RestifySlackReceiver(
        opts.signingSecret ?? '',
        opts.logger,
        opts.now,
        () => this.connection.ready,
      );
      this.app = new App({ authorize, receiver: this.receiver, clientOptions, logLevel: LogLevel.ERROR });
    }
    this.app.error(async (err) => {
      opts.logger.error('slack.handler_failed', errorFields(err));
    });
    this.connection = new SlackConnection(() => this.connect(), opts.logger, opts.backoff);

    const t = translator(opts.lang);
    this.renderer = new SlackRenderer(opts.cards, t, (inputs) =>
      opts.logger.warn('slack.choices_truncated', { inputs: inputs.length }),
    );
    this.turns = new SlackTurns({
      bot: opts.bot,
      store: opts.store,
      renderer: this.renderer,
      logger: opts.logger,
      lang: opts.lang,
      client: this.client,
    });
    const modals = new SlackModals(this.turns, this.renderer, this.client);
    // Retries first: a second delivery of the same event or click never reaches a handler.
    this.app.use(deduplicateDeliveries(opts.store, opts.logger));
    registerEvents(this.app, this.turns);
    registerCommands(this.app, this.turns);
    registerInteractions(this.app, {
      turns: this.turns,
      modals,
      renderer: this.renderer,
      client: this.client,
      workspaceSignIn: opts.workspaceSignIn,
    });
    modals.register(this.app);
    registerAppHome(this.app, {
      bot: opts.bot,
      renderer: this.renderer,
      lang: opts.lang,
      workspace: Boolean(opts.workspaceSignIn),
    });
    registerReportShortcut(this.app, { bot: opts.bot, renderer: this.renderer, lang: opts.lang });
  }

  /** Whether Slack has been reached and answers events. */
  get ready(): boolean {
    return this.connection.ready;
  }

  /** Reaches Slack (retrying in the background when it cannot); never throws, so Teams starts regardless. */
  start(): Promise<void> {
    return this.connection.start();
  }

  async stop(): Promise<void> {
    this.connection.stop();
    if (this.socketStarted) await this.app.stop();
    this.socketStarted = false;
  }

  private async connect(): Promise<void> {
    const me = await this.client.auth.test();
    this.identity = { botId: me.bot_id, botUserId: me.user_id };
    if (!this.opts.appToken) return;
    this.socketStarted = true;
    try {
      await this.app.start();
    } catch (err) {
      // A half-open Socket Mode client would reconnect on its own; the next attempt starts a fresh one.
      await this.app.stop().catch(() => undefined);
      this.socketStarted = false;
      throw err;
    }
  }

  // Notifier: private messages to people (case cards, reporter notices, flow steps from a channel).

  async send(to: PlatformAddress, out: Outgoing): Promise<MessageRef> {
    if (!to.userId) throw new DeliveryError('no-address', 'no Slack user id');
    try {
      const open = await this.client.conversations.open({ users: to.userId });
      const channel = open.channel?.id;
      if (!channel) throw new DeliveryError('unreachable', 'Slack opened no DM');
      this.turns.knowBotDm(to.userId, channel);
      await this.opts.store.conversations.save({
        platform: 'slack',
        conversationId: channel,
        kind: 'personal',
        userId: to.userId,
        reference: { channel },
        updatedAt: new Date().toISOString(),
      });
      const replier = new SlackReplier(this.client, { channel });
      let ts: string | undefined;
      for (const m of this.renderer.messages(out)) ts ??= await replier.send(m);
      return { platform: 'slack', conversationId: channel, activityId: ts ?? '' };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw new DeliveryError('unreachable', 'Slack refused the message', { cause: err });
    }
  }

  async update(ref: MessageRef, out: Outgoing): Promise<void> {
    const replier = new SlackReplier(this.client, {
      channel: ref.conversationId,
      source: { ts: ref.activityId, ephemeral: false },
    });
    await replier.replace(this.renderer.message(out));
  }

  /** Posts into a channel (weekly tips); failures classified for the fan-out queue. */
  async postToConversation(conversationId: string, out: Outgoing): Promise<void> {
    try {
      const replier = new SlackReplier(this.client, { channel: conversationId });
      for (const m of this.renderer.messages(out)) await replier.send(m);
    } catch (err) {
      throw postErrorOf(err);
    }
  }
}

/** Slack's answer to a post, as the fan-out queue's classes: wait, retry, give up on the channel, or fail. */
function postErrorOf(err: unknown): PostError {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new PostError('rate-limited', 'rate limited', (e.retryAfter ?? 1) * 1000);
  }
  const gone = ['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'missing_scope'];
  if (e.data?.error && gone.includes(e.data.error)) return new PostError('gone', e.data.error);
  if (e.code === 'slack_webapi_http_error' && (e.statusCode ?? 500) < 500)
    return new PostError('fatal', `http ${e.statusCode}`);
  return new PostError('transient', e.code ?? 'network');
}
