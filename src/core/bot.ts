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
import { addressOf, prefillText } from './escalation/flow-handler.js';
import { type StringKey, type Translate, translator } from './i18n/index.js';
import type { Article, KnowledgeBase } from './knowledge/model.js';
import { inlineToPlain } from './knowledge/parse.js';
import type { KnowledgeIndex } from './knowledge/search.js';
import { errorFields, type Logger } from './logger.js';
import { scrubPersonalData } from './privacy.js';
import type { Store } from './storage/store.js';
import type { TipService } from './tips/service.js';
import type { Incoming, IncomingAction, IncomingMessage, Lang, Outgoing, TurnContext } from './types.js';

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
}

/** Messages longer than this are refused politely (a question, not a document). */
export const MAX_MESSAGE_CHARS = 2000;
const MAX_STEPS_ON_CARD = 3;

/**
 * The platform-neutral bot: routes incoming messages and card actions to answers. Channels give it neutral
 * `Incoming` events and render the `Outgoing` replies it produces.
 */
export class Bot {
  private readonly now: () => Date;
  /** The router for commands and card verbs, with every handler bound. */
  readonly registry: CommandRegistry;

  constructor(private readonly deps: BotDeps) {
    this.now = deps.now ?? (() => new Date());
    const { kb, store, flows, cases, tips, notifier, logger } = deps;
    const knowledge = knowledgeHandlers({
      kb,
      store,
      now: this.now,
      articleCard: (a, t) => this.articleCard(a, t),
      answerCard: (a, t) => this.answerCard(a, [], t),
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
    await this.answer(text, msg, reply, t);
  }

  private async answer(
    question: string,
    incoming: IncomingMessage | IncomingAction,
    reply: TurnContext['reply'],
    t: Translate,
  ): Promise<void> {
    const result = this.deps.index.search(question, 4);
    const platform = incoming.conversation.platform;
    if (!result.answered) {
      await this.deps.store.gaps.add({
        at: this.now().toISOString(),
        reason: 'unanswered',
        query: scrubPersonalData(question),
        platform,
      });
      this.deps.logger.info('kb.unanswered', { platform, results: result.results.length });
      await reply({
        kind: 'card',
        template: 'unknown',
        summary: t('unknown.summary'),
        data: {
          title: t('unknown.title'),
          body: t('unknown.body'),
          suggestions: result.results.slice(0, 3).map((r) => ({ slug: r.slug, title: r.title })),
          // Prefills "ask an expert": the asker's own words, back to the asker only.
          question: prefillText(question),
          labels: this.labels(t),
        },
      });
      return;
    }
    const [best, ...others] = result.results;
    if (!best) return;
    this.deps.logger.info('kb.answered', { platform, slug: best.slug, score: best.score });
    await reply(
      this.answerCard(
        best.article,
        others.slice(0, 2).map((o) => o.article),
        t,
      ),
    );
  }

  private labels(t: Translate) {
    const keys: Record<string, StringKey> = {
      firstSteps: 'answer.firstSteps',
      related: 'answer.related',
      readMore: 'answer.readMore',
      helpful: 'answer.helpful',
      yes: 'answer.yes',
      no: 'answer.no',
      askExpert: 'answer.askExpert',
      report: 'answer.report',
      otherMatches: 'answer.otherMatches',
      help: 'article.backToHelp',
    };
    return Object.fromEntries(Object.entries(keys).map(([k, key]) => [k, t(key)]));
  }

  /** The greeting a user gets when the bot is added to a personal chat, or when the local chat opens. */
  welcome(lang?: Lang): Outgoing {
    const l = lang ?? this.deps.lang;
    return helpCard(translator(l), l, 'personal');
  }

  helpCard(t: Translate, lang: Lang = this.deps.lang): Outgoing {
    return helpCard(t, lang, 'personal');
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

  answerCard(article: Article, others: readonly Article[], t: Translate): Outgoing {
    return {
      kind: 'card',
      template: 'answer',
      summary: t('answer.summary', { title: article.title }),
      data: {
        ...articleBasics(article),
        // One TextBlock holds the whole list: separate blocks would each start numbering at 1.
        steps: article.firstSteps
          .slice(0, MAX_STEPS_ON_CARD)
          .map((text, i) => `${i + 1}. ${text}`)
          .join('\n'),
        related: this.related(article, others),
        labels: this.labels(t),
      },
    };
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
        labels: this.labels(t),
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
