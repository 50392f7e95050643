import { createHash } from 'node:crypto';
import {
  MAX_ACTION_FIELD,
  VERB_ANSWER,
  VERB_ARTICLE,
  VERB_ASK,
  VERB_ASK_EXPERT,
  VERB_EXPERT_SEND,
  VERB_FEEDBACK,
  VERB_HELP,
  VERB_REPORT,
} from './actions.js';
import {
  type AnswerViewContext,
  answerCard,
  cardLabels,
  choicesCard,
  smallTalkReply,
  unknownCard,
} from './answers/answer-views.js';
import { Answerer, type AnswerPlan } from './answers/answerer.js';
import { CASE_VERBS, type CaseHandler, VERB_SETTINGS_SAVE } from './cases/case-handler.js';
import { type FlowHandler, MAX_QUESTION } from './escalation/flow-handler.js';
import { VERB_FLOW } from './escalation/views.js';
import { type Translate, translator } from './i18n/index.js';
import { type Article, type KnowledgeBase, ROLE_IDS, type RoleId } from './knowledge/model.js';
import { inlineToPlain } from './knowledge/parse.js';
import type { KnowledgeIndex } from './knowledge/search.js';
import { errorFields, type Logger } from './logger.js';
import { gapText } from './privacy.js';
import type { SchoolDirectory } from './school/directory.js';
import type { Store } from './storage/store.js';
import type { TipService } from './tips/service.js';
import type { IncomingAction, IncomingMessage, Lang, Outgoing, Platform, TurnContext } from './types.js';

export interface BotDeps {
  readonly kb: KnowledgeBase;
  readonly index: KnowledgeIndex;
  readonly store: Store;
  readonly logger: Logger;
  readonly lang: Lang;
  readonly now?: () => Date;
  /** Escalation ("melding") and cases; without them the bot only answers questions. */
  readonly flows?: FlowHandler;
  readonly cases?: CaseHandler;
  /** Weekly tips; `isAdmin` decides who may list the subscriptions. */
  readonly tips?: TipService;
  readonly isAdmin?: (platform: Platform, actor: IncomingMessage['actor']) => boolean;
  /** Who holds which role, for "Wie schakel je in" on answers; absent without a school configuration. */
  readonly directory?: SchoolDirectory;
}

/** Messages longer than this are refused politely (a question, not a document). */
export const MAX_MESSAGE_CHARS = 2000;
const HELP_WORDS =
  /^(help|hulp|hallo|hoi|hey|hi|hello|goedemorgen|goedemiddag|start|menu|\?|wat kan je|wat kun je|wat kan vangnet|wie ben je)[\s!?.]*$/i;
const REPORT_WORDS = /^(melding|melding maken|nieuwe melding|incident melden|meld(en)?|report)[\s!?.]*$/i;
const EXPERT_WORDS = /^(vraag een expert|vraag aan een expert|expert|ask an expert)[\s!?.]*$/i;
const MY_CASES = /^(mijn meldingen|my reports)[\s!?.]*$/i;
const OPEN_CASES = /^(open meldingen|open reports)[\s!?.]*$/i;
const SETTINGS = /^(instellingen|settings)[\s!?.]*$/i;
const TIPS_ON = /^tips? aan[\s!?.]*$/i;
const TIPS_OFF = /^tips? uit[\s!?.]*$/i;
const TIP_NOW = /^(tip|tip van de week|geef een tip)[\s!?.]*$/i;
const TIPS_LIST = /^(tips|tips lijst|abonnementen)[\s!?.]*$/i;
export const VERB_TIP_FEEDBACK = 'tip.feedback';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The platform-neutral bot: routes incoming messages and card actions to answers. Channels give it neutral
 * `Incoming` events and render the `Outgoing` replies it produces.
 */
export class Bot {
  private readonly now: () => Date;
  private readonly answerer: Answerer;

  constructor(private readonly deps: BotDeps) {
    this.now = deps.now ?? (() => new Date());
    this.answerer = new Answerer({ kb: deps.kb, index: deps.index });
  }

  async handle(ctx: TurnContext): Promise<void> {
    const { incoming, reply } = ctx;
    const lang = incoming.lang ?? this.deps.lang;
    const t = translator(lang);
    // A button that asks something ("Mijn meldingen", an example question) is handled as if it was typed.
    if (incoming.type === 'action' && incoming.verb === VERB_ASK) {
      const q = stringField(incoming.data, 'q');
      if (q) {
        const { verb: _verb, data: _data, sourceMessageId: _source, ...base } = incoming;
        return this.handle({ ...ctx, incoming: { ...base, type: 'message', text: q, addressed: true } });
      }
    }
    try {
      if (incoming.type === 'message') {
        if (!(await this.onCommand(ctx, incoming, t, lang))) await this.onMessage(incoming, reply, t);
      } else if (!(await this.onEscalationAction(ctx, incoming, t, lang))) {
        await this.onAction(incoming, reply, t);
      }
    } catch (err) {
      this.deps.logger.error('bot.turn_failed', {
        platform: incoming.conversation.platform,
        ...errorFields(err),
      });
      await reply({ kind: 'text', text: t('error.generic') });
    }
  }

  /** Escalation commands typed as messages; true when handled. */
  private async onCommand(
    ctx: TurnContext,
    msg: IncomingMessage,
    t: Translate,
    lang: Lang,
  ): Promise<boolean> {
    const text = msg.text.trim();
    const { flows, cases, tips } = this.deps;
    if (tips && (await this.onTipCommand(ctx, msg, text, tips, t))) return true;
    if (flows && REPORT_WORDS.test(text)) {
      await flows.start(ctx, t, lang);
      return true;
    }
    if (flows && EXPERT_WORDS.test(text)) {
      await flows.startQuestion(ctx, t);
      return true;
    }
    if (!cases) return false;
    const command = MY_CASES.test(text)
      ? 'mine'
      : OPEN_CASES.test(text)
        ? 'queue'
        : SETTINGS.test(text)
          ? 'settings'
          : undefined;
    if (!command) return false;
    // Lists and settings name cases and staff: only in a private chat.
    if (msg.conversation.kind !== 'personal') {
      await ctx.reply({ kind: 'text', text: t('flow.redirect.failed') });
      return true;
    }
    if (command === 'mine') await cases.mine(ctx, t);
    else if (command === 'queue') await cases.queue(ctx, t);
    else await cases.settings(ctx, t);
    return true;
  }

  private async onTipCommand(
    ctx: TurnContext,
    msg: IncomingMessage,
    text: string,
    tips: TipService,
    t: Translate,
  ): Promise<boolean> {
    const { platform, id, kind } = msg.conversation;
    if (TIPS_ON.test(text) || TIPS_OFF.test(text)) {
      if (kind === 'personal') {
        await ctx.reply({ kind: 'text', text: t('tips.personal') });
      } else if (TIPS_ON.test(text)) {
        const r = await tips.subscribe(platform, id, kind, msg.actor.id);
        await ctx.reply({
          kind: 'text',
          text: t(r === 'on' ? 'tips.on' : 'tips.alreadyOn', { when: tips.whenText() }),
        });
      } else {
        await ctx.reply({
          kind: 'text',
          text: t((await tips.unsubscribe(platform, id)) ? 'tips.off' : 'tips.notOn'),
        });
      }
      return true;
    }
    if (TIP_NOW.test(text)) {
      const sub = await this.deps.store.subscriptions.get(`${platform}:${id}`);
      const tip = tips.nextTip({
        id: `${platform}:${id}:${msg.actor.id}:${Date.now()}`,
        used: sub?.used ?? [],
      });
      await ctx.reply(tip ? tips.tipCard(tip) : { kind: 'text', text: t('tips.none') });
      return true;
    }
    if (TIPS_LIST.test(text)) {
      if (kind !== 'personal' || !this.deps.isAdmin?.(platform, msg.actor)) {
        await ctx.reply({ kind: 'text', text: t('tips.notAdmin') });
        return true;
      }
      const subs = (await this.deps.store.subscriptions.list()).filter((s) => s.active);
      const lines = subs.map(
        (s) => `- ${s.platform} · ${s.kind} · ${s.conversationId} · ${Object.keys(s.weeks).length}`,
      );
      await ctx.reply({
        kind: 'text',
        text: subs.length ? `**${t('tips.list.title')}**\n${lines.join('\n')}` : t('tips.list.none'),
      });
      return true;
    }
    return false;
  }

  /** Flow steps, case buttons and settings; true when handled. */
  private async onEscalationAction(
    ctx: TurnContext,
    action: IncomingAction,
    t: Translate,
    lang: Lang,
  ): Promise<boolean> {
    const { flows, cases } = this.deps;
    const actx = { ...ctx, incoming: action };
    if (action.verb === VERB_TIP_FEEDBACK) {
      const tipId = stringField(action.data, 'tipId');
      if (tipId && /^tip-\d{3}$/.test(tipId) && typeof action.data.helpful === 'boolean') {
        const first = await this.deps.store.feedback.add(
          {
            at: this.now().toISOString(),
            slug: tipId,
            helpful: action.data.helpful,
            platform: action.conversation.platform,
          },
          feedbackKey(action, tipId),
        );
        await ctx.reply({ kind: 'text', text: t(first ? 'tips.feedback' : 'feedback.already') });
        return true;
      }
      return false;
    }
    if (flows && action.verb === VERB_REPORT) {
      const slug = stringField(action.data, 'slug');
      await flows.start(ctx, t, lang, slug && SLUG.test(slug) ? slug : undefined);
      return true;
    }
    if (flows && action.verb === VERB_ASK_EXPERT) {
      const slug = stringField(action.data, 'slug');
      const question = action.data.question;
      const role = stringField(action.data, 'role');
      await flows.startQuestion(ctx, t, {
        slug: slug && SLUG.test(slug) ? slug : undefined,
        question: typeof question === 'string' ? question.slice(0, MAX_QUESTION) : undefined,
        role: (ROLE_IDS as readonly string[]).includes(role ?? '') ? (role as RoleId) : undefined,
      });
      return true;
    }
    if (flows && action.verb === VERB_EXPERT_SEND) {
      await flows.submitQuestion(actx, t);
      return true;
    }
    if (flows && action.verb === VERB_FLOW) {
      await flows.onAction(actx, t, lang);
      return true;
    }
    if (cases && (CASE_VERBS as readonly string[]).includes(action.verb)) {
      await cases.onAction(actx, t);
      return true;
    }
    if (cases && action.verb === VERB_SETTINGS_SAVE) {
      await cases.saveSettings(actx, t);
      return true;
    }
    return false;
  }

  private async onMessage(msg: IncomingMessage, reply: TurnContext['reply'], t: Translate): Promise<void> {
    const text = msg.text.trim();
    if (text.length > MAX_MESSAGE_CHARS) {
      await reply({ kind: 'text', text: t('error.tooLong', { max: MAX_MESSAGE_CHARS }) });
      return;
    }
    if (text === '' || HELP_WORDS.test(text)) {
      await reply(this.helpCard(t));
      return;
    }
    if (REPORT_WORDS.test(text)) {
      await reply({ kind: 'text', text: t('expert.soon') });
      return;
    }
    await this.answer(text, msg, reply);
  }

  /** A question: what the answerer decides, rendered in the question's language; only real gaps are kept. */
  private async answer(
    question: string,
    incoming: IncomingMessage,
    reply: TurnContext['reply'],
  ): Promise<void> {
    const plan = this.answerer.plan(question);
    const platform = incoming.conversation.platform;
    const lang = plan.lang ?? incoming.lang ?? this.deps.lang;
    const view = this.viewContext(lang);
    this.deps.logger.info('kb.plan', {
      platform,
      kind: plan.kind,
      slug: plan.kind === 'answer' ? plan.article.slug : undefined,
      acute: plan.kind === 'answer' ? plan.acute?.id : undefined,
    });
    if (plan.kind === 'unknown') {
      await this.deps.store.gaps.add({
        at: this.now().toISOString(),
        reason: 'unanswered',
        query: gapText(question, this.deps.index.knownWords),
        platform,
      });
    }
    await reply(await this.render(plan, question, view));
  }

  private render(plan: AnswerPlan, question: string, view: AnswerViewContext): Promise<Outgoing> | Outgoing {
    switch (plan.kind) {
      case 'answer':
        return answerCard(plan, view);
      case 'choices':
        return choicesCard(plan.choices, question, view);
      case 'small-talk':
        return smallTalkReply(plan.talk, view.t);
      case 'off-topic':
        return unknownCard(question, view, true);
      default:
        return unknownCard(question, view);
    }
  }

  private viewContext(lang: Lang): AnswerViewContext {
    return {
      t: translator(lang),
      kb: this.deps.kb,
      directory: this.deps.directory,
      dutchNote: lang === 'en',
    };
  }

  private async onAction(action: IncomingAction, reply: TurnContext['reply'], t: Translate): Promise<void> {
    const data = action.data;
    switch (action.verb) {
      case VERB_HELP:
        await reply(this.helpCard(t));
        return;
      case VERB_ANSWER: {
        // A choice of "Bedoel je …?": that article's answer card.
        const article = this.articleFrom(data);
        if (!article) {
          await reply({ kind: 'text', text: t('error.unknownArticle') });
          return;
        }
        await reply(await answerCard({ article }, this.viewContext(action.lang ?? this.deps.lang)));
        return;
      }
      case VERB_ARTICLE: {
        const article = this.articleFrom(data);
        if (!article) {
          await reply({ kind: 'text', text: t('error.unknownArticle') });
          return;
        }
        await reply(this.articleCard(article, t));
        return;
      }
      case VERB_FEEDBACK: {
        const article = this.articleFrom(data);
        if (!article || typeof data.helpful !== 'boolean') break;
        const at = this.now().toISOString();
        const platform = action.conversation.platform;
        const first = await this.deps.store.feedback.add(
          { at, slug: article.slug, helpful: data.helpful, platform },
          feedbackKey(action, article.slug),
        );
        if (!first) {
          await reply({ kind: 'text', text: t('feedback.already') });
          return;
        }
        if (!data.helpful) {
          await this.deps.store.gaps.add({
            at,
            reason: 'not-helpful',
            query: article.title,
            slug: article.slug,
            platform,
          });
        }
        await reply({ kind: 'text', text: t(data.helpful ? 'feedback.thanks' : 'feedback.sorry') });
        return;
      }
      case VERB_ASK_EXPERT:
      case VERB_REPORT:
        await reply({ kind: 'text', text: t('expert.soon') });
        return;
      default:
        break;
    }
    this.deps.logger.warn('bot.unknown_action', { platform: action.conversation.platform });
    await reply({ kind: 'text', text: t('error.unknownAction') });
  }

  private articleFrom(data: IncomingAction['data']): Article | undefined {
    const slug = stringField(data, 'slug');
    return slug && SLUG.test(slug) ? this.deps.kb.bySlug.get(slug) : undefined;
  }

  /** The greeting a user gets when the bot is added to a personal chat. */
  welcome(lang?: Lang): Outgoing {
    return this.helpCard(translator(lang ?? this.deps.lang));
  }

  helpCard(t: Translate): Outgoing {
    return {
      kind: 'card',
      template: 'help',
      summary: t('help.summary'),
      data: {
        title: t('help.title'),
        intro: t('help.intro'),
        ask: t('help.ask'),
        report: t('help.report'),
        tips: t('help.tips'),
        privacy: t('help.privacy'),
        examplesLabel: t('help.examples'),
        examples: (['help.example1', 'help.example2', 'help.example3'] as const).map((k) => ({ text: t(k) })),
        reportLabel: t('answer.report'),
      },
    };
  }

  private related(article: Article, extra: readonly Article[]): { slug: string; title: string }[] {
    // The editor's choice first, then what the search found next to it.
    const slugs = [...new Set([...article.related, ...extra.map((a) => a.slug)])].filter(
      (s) => s !== article.slug,
    );
    return slugs
      .map((s) => this.deps.kb.bySlug.get(s))
      .filter((a): a is Article => Boolean(a))
      .slice(0, 2)
      .map((a) => ({ slug: a.slug, title: a.title }));
  }

  articleCard(article: Article, t: Translate): Outgoing {
    return {
      kind: 'card',
      template: 'article',
      summary: t('article.summary', { title: article.title }),
      data: {
        ...articleBasics(article),
        sections: article.sections.map((s) => ({ heading: s.heading, text: articleMarkdown(s.text) })),
        related: this.related(article, []),
        labels: cardLabels(t),
      },
    };
  }
}

/** What every article card shows about its article. */
function articleBasics(article: Article) {
  return { slug: article.slug, title: article.title, summary: article.summary, incident: article.incident };
}

/** Article markdown for a card TextBlock: links to sibling articles become plain labels (buttons cover them). */
function articleMarkdown(text: string): string {
  return text.replace(/\[([^\]]+)\]\(([a-z0-9-]+\.md)\)/g, '$1').replace(/^\s*\|.*\|\s*$/gm, (row) =>
    inlineToPlain(
      row
        .split('|')
        .map((c) => c.trim())
        .filter((c) => c && !/^-+$/.test(c))
        .join(' · '),
    ),
  );
}

/**
 * Feedback counts once per person per card: a hash of who, on which card (the message, where the platform says
 * it), about what. The person is not stored, only this hash.
 */
function feedbackKey(action: IncomingAction, subject: string): string {
  const { platform, id } = action.conversation;
  return createHash('sha256')
    .update([platform, action.actor.id, id, action.sourceMessageId ?? '', subject].join('\u0000'))
    .digest('hex');
}

function stringField(data: IncomingAction['data'], key: string): string | undefined {
  const v = data[key];
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ACTION_FIELD ? v : undefined;
}
