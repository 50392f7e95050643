import { createHash } from 'node:crypto';
import { VERB_ANSWER, VERB_ARTICLE, VERB_ASK, VERB_FEEDBACK, VERB_HELP } from '../../actions.js';
import type { Translate } from '../../i18n/index.js';
import type { Article, KnowledgeBase } from '../../knowledge/model.js';
import type { Store } from '../../storage/store.js';
import type {
  ConversationKind,
  IncomingAction,
  IncomingMessage,
  Lang,
  Outgoing,
  TurnContext,
} from '../../types.js';
import { helpCard } from '../help.js';
import { SLUG } from '../payload.js';
import type { CommandHandlers, VerbHandlers } from '../registry.js';

export interface KnowledgeHandlerDeps {
  readonly kb: KnowledgeBase;
  readonly store: Store;
  readonly now: () => Date;
  readonly articleCard: (article: Article, t: Translate) => Outgoing;
  /** The answer card of an article, in this language (with "Wie schakel je in" for the school). */
  readonly answerCard: (article: Article, lang: Lang) => Promise<Outgoing>;
  /** Handles a text as if the user had typed it (example questions on cards). */
  readonly retype: (turn: TurnContext & { incoming: IncomingMessage }) => Promise<void>;
}

/** Help, articles and feedback on answers. */
export function knowledgeHandlers(d: KnowledgeHandlerDeps) {
  const article = (slug: string) => (SLUG.test(slug) ? d.kb.bySlug.get(slug) : undefined);
  const help = (t: Translate, lang: Lang, kind: ConversationKind) => helpCard(t, lang, kind);
  const commands = {
    help: async ({ incoming, reply, t, lang }) =>
      void (await reply(help(t, lang, incoming.conversation.kind))),
  } satisfies Partial<CommandHandlers>;
  const verbs = {
    [VERB_HELP]: async ({ action, reply, t, lang }) =>
      void (await reply(help(t, lang, action.conversation.kind))),
    [VERB_ASK]: async ({ turn, data }) => {
      const { verb: _verb, data: _data, sourceMessageId: _source, ...base } = turn.incoming;
      await d.retype({ ...turn, incoming: { ...base, type: 'message', text: data.q, addressed: true } });
    },
    // A choice of "Bedoel je …?": that article's answer card.
    [VERB_ANSWER]: async ({ data, reply, t, lang }) => {
      const found = article(data.slug);
      await reply(
        found ? await d.answerCard(found, lang) : { kind: 'text', text: t('error.unknownArticle') },
      );
    },
    [VERB_ARTICLE]: async ({ data, reply, t }) => {
      const found = article(data.slug);
      await reply(found ? d.articleCard(found, t) : { kind: 'text', text: t('error.unknownArticle') });
    },
    [VERB_FEEDBACK]: async ({ turn, action, data, reply, t, lang }) => {
      const found = article(data.slug);
      if (!found) {
        await reply({ kind: 'text', text: t('error.unknownAction') });
        return;
      }
      const at = d.now().toISOString();
      const platform = action.conversation.platform;
      const first = await d.store.feedback.add(
        { at, slug: found.slug, helpful: data.helpful, platform },
        feedbackKey(action, found.slug),
      );
      if (first && !data.helpful)
        await d.store.gaps.add({ at, reason: 'not-helpful', query: found.title, slug: found.slug, platform });
      const thanks = t(!first ? 'feedback.already' : data.helpful ? 'feedback.thanks' : 'feedback.sorry');
      await thankOnly(turn, withFeedback(await d.answerCard(found, lang), thanks), thanks);
    },
  } satisfies Partial<VerbHandlers>;
  return { commands, verbs };
}

/**
 * Feedback counts once per person per card: a hash of who, where, on which card (the message, where the platform
 * says it) and about what. The person is not stored, only this hash.
 */
export function feedbackKey(action: IncomingAction, subject: string): string {
  const { platform, id } = action.conversation;
  return createHash('sha256')
    .update([platform, action.actor.id, id, action.sourceMessageId ?? '', subject].join('\u0000'))
    .digest('hex');
}

/** A card with the "was this useful?" buttons replaced by the thanks. */
export function withFeedback(card: Outgoing, thanks: string): Outgoing {
  return card.kind === 'card' ? { ...card, data: { ...card.data, feedback: thanks } } : card;
}

/**
 * Thanks the person who gave feedback, and nobody else: their own copy of the card where the platform can (Teams),
 * a message in a private chat, and in a shared conversation nothing, since a reply there would show everyone who
 * clicked what. The feedback is recorded either way.
 */
export async function thankOnly(turn: TurnContext, card: Outgoing, text: string): Promise<void> {
  if (turn.updateForActor && (await turn.updateForActor(card))) return;
  if (turn.incoming.conversation.kind === 'personal') await turn.reply({ kind: 'text', text });
}
