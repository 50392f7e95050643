import { App, LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { VERB_ASK_EXPERT, VERB_HELP, VERB_REPORT } from '../../core/actions.js';
import type { Bot } from '../../core/bot.js';
import type { MessageRef, PlatformAddress } from '../../core/cases/model.js';
import { DeliveryError, type Notifier } from '../../core/cases/notifier.js';
import { translator } from '../../core/i18n/index.js';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Store } from '../../core/storage/store.js';
import { PostError } from '../../core/tips/fanout.js';
import type { Conversation, Incoming, Lang, Outgoing, Platform } from '../../core/types.js';
import type { CardJson, CardRenderer } from '../../render/cards.js';
import { adaptiveCardToBlocks, submittedData } from './blocks.js';
import { markdownToMrkdwn, truncate } from './mrkdwn.js';
import { RestifySlackReceiver } from './receiver.js';

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
  /** The workspace's one-time sign-in link for a Slack user, sent by DM from the App Home's button. */
  readonly workspaceSignIn?: (userId: string) => Promise<Outgoing>;
}

/** The App Home button that asks for a sign-in link to the workspace. */
export const VERB_WORKSPACE_SIGNIN = 'workspace.signin';

// biome-ignore lint/suspicious/noExplicitAny: Slack event and interaction payloads are loosely typed JSON
type Body = Record<string, any>;
const MODAL_CALLBACK = 'vangnet.modal';

/** Slack through @slack/bolt: events, the /vangnet command, buttons, modals and the App Home, on the same core. */
export class SlackChannel implements Notifier {
  readonly app: App;
  readonly receiver?: RestifySlackReceiver;
  /** Sub-cards of Action.ShowCard buttons of recent messages, opened as modals (by channel, message and action). */
  private readonly showCards = new Map<string, CardJson>();

  constructor(private readonly opts: SlackChannelOptions) {
    // Rate-limited calls are rejected, not silently waited on: the fan-out queue decides how long to wait.
    const clientOptions = {
      slackApiUrl: opts.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    };
    if (opts.appToken) {
      this.app = new App({
        token: opts.botToken,
        appToken: opts.appToken,
        socketMode: true,
        clientOptions,
        logLevel: LogLevel.ERROR,
      });
    } else {
      this.receiver = new RestifySlackReceiver(opts.signingSecret ?? '', opts.logger, opts.now);
      this.app = new App({
        token: opts.botToken,
        receiver: this.receiver,
        clientOptions,
        logLevel: LogLevel.ERROR,
      });
    }
    this.app.error(async (err) => {
      opts.logger.error('slack.handler_failed', errorFields(err));
    });
    this.register();
  }

  private get client(): WebClient {
    return this.app.client;
  }

  /** Renders a reply for Slack: blocks from the card template, or mrkdwn text. */
  private message(out: Outgoing): { text: string; blocks?: unknown[]; showCards: Map<string, CardJson> } {
    if (out.kind === 'text')
      return { text: truncate(markdownToMrkdwn(out.text), 3000), showCards: new Map() };
    const card = this.opts.cards.render(out.template, out.data);
    const t = adaptiveCardToBlocks(card);
    const showCards = new Map<string, CardJson>();
    for (const [id, target] of t.actions) if (target.showCard) showCards.set(id, target.showCard);
    return { text: truncate(markdownToMrkdwn(out.summary), 3000), blocks: t.blocks, showCards };
  }

  private remember(channel: string, ts: string | undefined, showCards: Map<string, CardJson>) {
    if (!ts) return;
    for (const [id, card] of showCards) this.showCards.set(`${channel}:${ts}:${id}`, card);
    while (this.showCards.size > 5000) this.showCards.delete(this.showCards.keys().next().value as string);
  }

  private async post(
    channel: string,
    out: Outgoing,
    extra: { thread_ts?: string; ephemeralUser?: string } = {},
  ) {
    const m = this.message(out);
    if (extra.ephemeralUser) {
      await this.client.chat.postEphemeral({
        channel,
        user: extra.ephemeralUser,
        text: m.text,
        blocks: m.blocks as never,
      });
      return undefined;
    }
    const res = await this.client.chat.postMessage({
      channel,
      text: m.text,
      blocks: m.blocks as never,
      thread_ts: extra.thread_ts,
    });
    this.remember(channel, res.ts, m.showCards);
    return res.ts;
  }

  private async updateIn(channel: string, ts: string, out: Outgoing): Promise<void> {
    const m = this.message(out);
    await this.client.chat.update({ channel, ts, text: m.text, blocks: m.blocks as never });
    this.remember(channel, ts, m.showCards);
  }

  /** Runs one neutral event through the bot with reply and in-place update wired to Slack. */
  private async dispatch(
    incoming: Incoming,
    where: { channel: string; thread_ts?: string; ephemeralUser?: string; sourceTs?: string },
  ): Promise<void> {
    await this.remember_conversation(incoming);
    await this.opts.bot.handle({
      incoming,
      reply: (out) => this.post(where.channel, out, where),
      updateSource: where.sourceTs
        ? async (out) => {
            try {
              await this.updateIn(where.channel, where.sourceTs as string, out);
              return true;
            } catch (err) {
              this.opts.logger.warn('slack.update_failed', errorFields(err));
              return false;
            }
          }
        : undefined,
    });
  }

  private async remember_conversation(incoming: Incoming) {
    const c = incoming.conversation;
    const known = await this.opts.store.getConversation('slack', c.id);
    if (known) return;
    await this.opts.store
      .saveConversation({
        platform: 'slack',
        conversationId: c.id,
        kind: c.kind,
        userId: c.kind === 'personal' ? incoming.actor.id : undefined,
        reference: { channel: c.id, team: c.tenantId },
        updatedAt: new Date().toISOString(),
      })
      .catch((err) => this.opts.logger.warn('slack.reference_not_saved', errorFields(err)));
  }

  private conversation(channel: string, team?: string, kind?: Conversation['kind']): Conversation {
    return {
      platform: 'slack',
      id: channel,
      kind: kind ?? (channel.startsWith('D') ? 'personal' : channel.startsWith('G') ? 'group' : 'channel'),
      tenantId: team,
    };
  }

  private register() {
    const lang = this.opts.lang;
    // @Vangnet in a channel: answer in the thread of the mention.
    this.app.event('app_mention', async ({ event, context }) => {
      const e = event as Body;
      const text = String(e.text ?? '')
        .replace(new RegExp(`<@${context.botUserId ?? 'U_NONE'}>`, 'g'), ' ')
        .replace(/<@[A-Z0-9]+>/g, ' ')
        .trim();
      await this.dispatch(
        {
          type: 'message',
          text,
          addressed: true,
          actor: { id: e.user },
          conversation: this.conversation(e.channel, e.team, 'channel'),
          lang,
        },
        { channel: e.channel, thread_ts: e.thread_ts ?? e.ts },
      );
    });

    // Direct messages.
    this.app.message(async ({ message }) => {
      const m = message as Body;
      if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
      await this.dispatch(
        {
          type: 'message',
          text: String(m.text ?? ''),
          addressed: true,
          actor: { id: m.user },
          conversation: this.conversation(m.channel, m.team, 'personal'),
          lang,
        },
        { channel: m.channel },
      );
    });

    // /vangnet <vraag> | melding | help | tips aan|uit: answers only the person who typed it.
    this.app.command('/vangnet', async ({ command, ack }) => {
      await ack();
      const personal = String(command.channel_id).startsWith('D');
      await this.dispatch(
        {
          type: 'message',
          text: String(command.text ?? ''),
          addressed: true,
          actor: { id: command.user_id, name: command.user_name },
          conversation: this.conversation(command.channel_id, command.team_id),
          lang,
        },
        personal
          ? { channel: command.channel_id }
          : { channel: command.channel_id, ephemeralUser: command.user_id },
      );
    });

    // Buttons on Vangnet's messages and in the App Home.
    this.app.action(/.*/, async ({ ack, body, action, client }) => {
      await ack();
      const b = body as Body;
      const a = action as Body;
      const user = String(b.user?.id ?? '');
      let channel: string | undefined = b.channel?.id ?? b.container?.channel_id;
      const ts: string | undefined = b.message?.ts ?? b.container?.message_ts;
      if (String(a.action_id).startsWith('showcard#')) {
        const sub = channel && ts ? this.showCards.get(`${channel}:${ts}:${a.action_id}`) : undefined;
        if (!sub || !b.trigger_id) {
          if (channel)
            await this.post(channel, { kind: 'text', text: translator(lang)('error.unknownAction') });
          return;
        }
        await this.openModal(client, String(b.trigger_id), sub, a.text?.text ?? 'Vangnet', {
          channel: channel as string,
          ts,
        });
        return;
      }
      const data = submittedData(typeof a.value === 'string' ? a.value : undefined, b.state?.values);
      if (!data || typeof data.verb !== 'string') return;
      if (data.verb === VERB_WORKSPACE_SIGNIN && this.opts.workspaceSignIn) {
        // A personal link: always to the DM of the user who pressed, never where the button was.
        const dm = (await client.conversations.open({ users: user })).channel?.id;
        if (dm) await this.post(dm, await this.opts.workspaceSignIn(user));
        return;
      }
      if (!channel) {
        // From the App Home: answer in the user's DM with Vangnet.
        const open = await client.conversations.open({ users: user });
        channel = open.channel?.id;
        if (!channel) return;
      }
      const { verb, ...rest } = data;
      await this.dispatch(
        {
          type: 'action',
          verb: verb as string,
          data: rest,
          actor: { id: user, name: b.user?.name },
          conversation: this.conversation(channel, b.team?.id),
          lang,
          sourceMessageId: ts,
        },
        { channel, sourceTs: b.channel?.id ? ts : undefined },
      );
    });

    // A submitted modal (an Action.ShowCard's inputs).
    this.app.view(MODAL_CALLBACK, async ({ ack, body, view }) => {
      await ack();
      let meta: { channel?: string; ts?: string; data?: Record<string, unknown> } = {};
      try {
        meta = JSON.parse(view.private_metadata || '{}');
      } catch {
        return;
      }
      if (!meta.channel || !meta.data) return;
      const data = submittedData(JSON.stringify(meta.data), view.state?.values as never);
      if (!data || typeof data.verb !== 'string') return;
      const { verb, ...rest } = data;
      await this.dispatch(
        {
          type: 'action',
          verb: verb as string,
          data: rest,
          actor: { id: body.user.id, name: body.user.name },
          conversation: this.conversation(meta.channel),
          lang,
          sourceMessageId: meta.ts,
        },
        { channel: meta.channel, sourceTs: meta.ts },
      );
    });

    // The App Home: what Vangnet does, "Melding maken", "Vraag een expert", "Mijn meldingen".
    this.app.event('app_home_opened', async ({ event, client }) => {
      const e = event as Body;
      if (e.tab && e.tab !== 'home') return;
      const help = this.opts.bot.welcome(lang);
      const m = this.message(help);
      const t = translator(lang);
      await client.views.publish({
        user_id: e.user,
        view: {
          type: 'home',
          blocks: [
            ...((m.blocks ?? []).filter((x) => (x as Body).type !== 'actions') as never[]),
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  action_id: 'home-report',
                  style: 'primary',
                  text: { type: 'plain_text', text: t('answer.report') },
                  value: JSON.stringify({ verb: VERB_REPORT }),
                },
                {
                  type: 'button',
                  action_id: 'home-expert',
                  text: { type: 'plain_text', text: t('answer.askExpert') },
                  value: JSON.stringify({ verb: VERB_ASK_EXPERT }),
                },
                {
                  type: 'button',
                  action_id: 'home-mine',
                  text: { type: 'plain_text', text: t('cases.mine.title') },
                  value: JSON.stringify({ verb: 'ask', q: 'mijn meldingen' }),
                },
                {
                  type: 'button',
                  action_id: 'home-help',
                  text: { type: 'plain_text', text: t('article.backToHelp') },
                  value: JSON.stringify({ verb: VERB_HELP }),
                },
                ...(this.opts.workspaceSignIn
                  ? [
                      {
                        type: 'button',
                        action_id: 'home-workspace',
                        text: { type: 'plain_text', text: t('workspace.link.button') },
                        value: JSON.stringify({ verb: VERB_WORKSPACE_SIGNIN }),
                      },
                    ]
                  : []),
              ],
            },
          ] as never,
        },
      });
    });
  }

  private async openModal(
    client: WebClient,
    triggerId: string,
    sub: CardJson,
    title: string,
    where: { channel: string; ts?: string },
  ) {
    const submit = ((sub.actions as Body[] | undefined) ?? []).find((x) => x.type === 'Action.Submit');
    const t = adaptiveCardToBlocks({ ...sub, actions: [] });
    await client.views.open({
      trigger_id: triggerId,
      view: {
        type: 'modal',
        callback_id: MODAL_CALLBACK,
        title: { type: 'plain_text', text: truncate(title, 24) },
        submit: { type: 'plain_text', text: truncate(String(submit?.title ?? 'OK'), 24) },
        close: { type: 'plain_text', text: 'Annuleren' },
        private_metadata: JSON.stringify({ channel: where.channel, ts: where.ts, data: submit?.data ?? {} }),
        blocks: t.blocks as never,
      },
    });
  }

  // Notifier: private messages to people (case cards, reporter notices, flow steps from a channel).

  async send(to: PlatformAddress, out: Outgoing): Promise<MessageRef> {
    if (!to.userId) throw new DeliveryError('no-address', 'no Slack user id');
    try {
      const open = await this.client.conversations.open({ users: to.userId });
      const channel = open.channel?.id;
      if (!channel) throw new DeliveryError('unreachable', 'Slack opened no DM');
      await this.opts.store.saveConversation({
        platform: 'slack',
        conversationId: channel,
        kind: 'personal',
        userId: to.userId,
        reference: { channel },
        updatedAt: new Date().toISOString(),
      });
      const ts = await this.post(channel, out);
      return { platform: 'slack', conversationId: channel, activityId: ts ?? '' };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw new DeliveryError('unreachable', 'Slack refused the message', { cause: err });
    }
  }

  async update(ref: MessageRef, out: Outgoing): Promise<void> {
    await this.updateIn(ref.conversationId, ref.activityId, out);
  }

  /** Posts into a channel (weekly tips); failures classified for the fan-out queue. */
  async postToConversation(conversationId: string, out: Outgoing): Promise<void> {
    try {
      await this.post(conversationId, out);
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
      if (e.code === 'slack_webapi_rate_limited_error') {
        throw new PostError('rate-limited', 'rate limited', (e.retryAfter ?? 1) * 1000);
      }
      const gone = [
        'channel_not_found',
        'not_in_channel',
        'is_archived',
        'account_inactive',
        'missing_scope',
      ];
      if (e.data?.error && gone.includes(e.data.error)) throw new PostError('gone', e.data.error);
      if (e.code === 'slack_webapi_http_error' && (e.statusCode ?? 500) < 500)
        throw new PostError('fatal', `http ${e.statusCode}`);
      throw new PostError('transient', e.code ?? 'network');
    }
  }
}

/** Routes private messages to the notifier of the person's platform. */
export class PlatformNotifier implements Notifier {
  constructor(private readonly byPlatform: Partial<Record<string, Notifier>>) {}
  private pick(platform: string): Notifier {
    const n = this.byPlatform[platform];
    if (!n) throw new DeliveryError('no-address', `no channel for ${platform}`);
    return n;
  }
  send(to: PlatformAddress, out: Outgoing) {
    return this.pick(to.platform).send(to, out);
  }
  update(ref: MessageRef, out: Outgoing) {
    return this.pick(ref.platform).update(ref, out);
  }
}

/** Routes weekly tips to the poster of the subscription's platform. */
export class PlatformPoster {
  constructor(
    private readonly botFramework: {
      post(platform: Platform, conversationId: string, out: Outgoing): Promise<void>;
    },
    private readonly slack?: SlackChannel,
  ) {}
  async post(platform: Platform, conversationId: string, out: Outgoing): Promise<void> {
    if (platform === 'slack') {
      if (!this.slack) throw new PostError('gone', 'Slack is not configured');
      return this.slack.postToConversation(conversationId, out);
    }
    return this.botFramework.post(platform, conversationId, out);
  }
}
