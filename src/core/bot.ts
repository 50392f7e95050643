import {
  type AnswerViewContext,
  answerCard,
  articleCard,
  choicesCard,
  smallTalkReply,
  unknownCard,
} from './answers/answer-views.js';
import { Answerer, type AnswerPlan } from './answers/answerer.js';
import type { CaseHandler } from './cases/case-handler.js';
import type { Notifier } from './cases/notifier.js';
import { caseHandlers } from './commands/handlers/cases.js';
import { knowledgeHandlers } from './commands/handlers/knowledge.js';
import { reportHandlers } from './commands/handlers/reports.js';
import { tipHandlers } from './commands/handlers/tips.js';
import { helpCard } from './commands/help.js';
import { CommandRegistry } from './commands/registry.js';
import type { Audience } from './commands/types.js';
import type { FlowHandler } from './escalation/flow-handler.js';
import { addressOf } from './escalation/flow-handler.js';
import { type Translate, translator } from './i18n/index.js';
import type { Article, KnowledgeBase } from './knowledge/model.js';
import type { KnowledgeIndex } from './knowledge/search.js';
import { errorFields, type Logger } from './logger.js';
import { gapText } from './privacy.js';
import type { SchoolDirectory } from './school/directory.js';
import type { Store } from './storage/store.js';
import type { TipService } from './tips/service.js';
import type { Incoming, IncomingMessage, Lang, Outgoing, TurnContext } from './types.js';

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
  /** Weekly tips. */
  readonly tips?: TipService;
  /** Who the actor is to the school (admin, expert or anyone): decides who may use which command. */
  readonly access?: (incoming: Incoming) => Audience;
  /** Private messages, for commands that only answer in the private chat when typed in a shared one. */
  readonly notifier?: Notifier;
  /** Who holds which role, for "Wie schakel je in" on answers; absent without a school configuration. */
  readonly directory?: SchoolDirectory;
}

/** Messages longer than this are refused politely (a question, not a document). */
export const MAX_MESSAGE_CHARS = 2000;

/**
 * The platform-neutral bot: routes incoming messages and card actions to answers. Channels give it neutral
 * `Incoming` events and render the `Outgoing` replies it produces. Commands and card verbs go through the registry;
 * anything else typed is a question for the answerer.
 */
export class Bot {
  private readonly now: () => Date;
  private readonly answerer: Answerer;
  /** The router for commands and card verbs, with every handler bound. */
  readonly registry: CommandRegistry;

  constructor(private readonly deps: BotDeps) {
    this.now = deps.now ?? (() => new Date());
    this.answerer = new Answerer({ kb: deps.kb, index: deps.index });
    const { kb, store, flows, cases, tips, notifier, logger } = deps;
    const knowledge = knowledgeHandlers({
      kb,
      store,
      now: this.now,
      articleCard: (a, t) => this.articleCard(a, t),
      answerCard: (a, lang) => answerCard({ article: a }, this.viewContext(lang)),
      retype: (turn) => this.handle(turn),
    });
    const reports = reportHandlers({ flows });
    const caseParts = caseHandlers({ cases });
    const tipParts = tipHandlers({ tips, store, now: this.now });
    this.registry = new CommandRegistry({
      commands: { ...knowledge.commands, ...reports.commands, ...caseParts.commands, ...tipParts.commands },
      verbs: { ...knowledge.verbs, ...reports.verbs, ...caseParts.verbs, ...tipParts.verbs },
      access: deps.access ?? (() => 'everyone'),
      sendPrivately: notifier
        ? async (incoming, out) => void (await notifier.send(addressOf(incoming), out))
        : undefined,
      logger,
    });
  }

  async handle(ctx: TurnContext): Promise<void> {
    const { incoming } = ctx;
    const lang = incoming.lang ?? this.deps.lang;
    const t = translator(lang);
    try {
      if (incoming.type === 'message') {
        const turn = { ...ctx, incoming };
        if (!(await this.registry.onMessage(turn, t, lang)))
          await this.onMessage(incoming, ctx.reply, t, lang);
      } else {
        await this.registry.onAction({ ...ctx, incoming }, t, lang);
      }
    } catch (err) {
      this.deps.logger.error('bot.turn_failed', {
        platform: incoming.conversation.platform,
        ...errorFields(err),
      });
      await ctx.reply({ kind: 'text', text: t('error.generic') });
    }
  }

  private async onMessage(
    msg: IncomingMessage,
    reply: TurnContext['reply'],
    t: Translate,
    lang: Lang,
  ): Promise<void> {
    const text = msg.text.trim();
    if (text.length > MAX_MESSAGE_CHARS) {
      await reply({ kind: 'text', text: t('error.tooLong', { max: MAX_MESSAGE_CHARS }) });
      return;
    }
    if (text === '') {
      await reply(helpCard(t, lang, msg.conversation.kind));
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

  /** The greeting a user gets when the bot is added to a personal chat, or when the local chat opens. */
  welcome(lang?: Lang): Outgoing {
    const l = lang ?? this.deps.lang;
    return helpCard(translator(l), l, 'personal');
  }

  helpCard(t: Translate, lang: Lang = this.deps.lang): Outgoing {
    return helpCard(t, lang, 'personal');
  }

  articleCard(article: Article, t: Translate): Outgoing {
    return articleCard(article, { t, kb: this.deps.kb });
  }
}
