import { type AcuteConcern, acuteConcern } from '../knowledge/acute.js';
import type { Article, KnowledgeBase, RoleId } from '../knowledge/model.js';
import type { KnowledgeIndex, SearchResponse } from '../knowledge/search.js';
import { withoutNames } from '../privacy.js';
import type { Lang } from '../types.js';
import { DEFAULT_POLICY, type DecisionPolicy, decide } from './decision.js';
import { questionLanguage } from './language.js';
import { roleQuestion } from './role-question.js';
import { type SmallTalk, smallTalk } from './small-talk.js';

/**
 * What the bot does with a typed question, decided before anything is rendered or stored. The bot, `vangnet ask`
 * and the evaluation all go through here, so what the evaluation measures is what a teacher gets.
 *
 * - small talk ("bedankt", "stop") gets a short friendly reply;
 * - acute danger (suicide, a threat against the school, a missing pupil) is answered with the concern's article
 *   and the emergency lines, however unsure the search is;
 * - "wie is de vertrouwenspersoon" is answered with the roles article and the names of who holds the role;
 * - anything else is searched, and the search answers, asks "Bedoel je …?", says "daar help ik niet mee"
 *   (off-topic) or says it does not know (see `decision.ts`).
 */
export type AnswerPlan = (
  | {
      readonly kind: 'answer';
      readonly article: Article;
      /** The next-best articles the search found, for "Zie ook". */
      readonly runnersUp: readonly Article[];
      /** Set when the question is about acute danger: the card shows its emergency lines first. */
      readonly acute?: AcuteConcern;
      /** Set for a who-question: the roles asked about, shown with their holders' names. */
      readonly roles?: readonly RoleId[];
    }
  | { readonly kind: 'choices'; readonly choices: readonly Article[] }
  | { readonly kind: 'small-talk'; readonly talk: SmallTalk }
  | { readonly kind: 'off-topic' }
  | { readonly kind: 'unknown' }
) & {
  readonly search: SearchResponse;
  /** The language the question is written in, when it is clearly not Dutch. */
  readonly lang?: Lang;
};

/** How many results a question's search keeps: the answer, its runners-up and the choices. */
const RESULTS = 5;
/** The article that explains the roles; who-questions are answered with it. */
export const ROLES_ARTICLE = 'rollen-op-school';

export interface AnswererDeps {
  readonly kb: KnowledgeBase;
  readonly index: KnowledgeIndex;
  readonly policy?: DecisionPolicy;
}

export class Answerer {
  constructor(private readonly deps: AnswererDeps) {}

  plan(question: string): AnswerPlan {
    const { kb, index } = this.deps;
    const lang = questionLanguage(question);
    const talk = smallTalk(question);
    if (talk) return { kind: 'small-talk', talk, search: nothingSearched(question), lang };
    const cleaned = withoutNames(question, (w) => index.knows(w));
    const search = { ...index.search(cleaned, RESULTS), query: question };
    const answer = (article: Article, extra: { acute?: AcuteConcern; roles?: readonly RoleId[] } = {}) => {
      const runnersUp = search.results.filter((r) => r.slug !== article.slug).map((r) => r.article);
      // An acute article always comes with its emergency lines, however it was found.
      const acute = extra.acute ?? kb.acute.find((c) => c.article === article.slug);
      return {
        kind: 'answer',
        article,
        runnersUp: runnersUp.slice(0, 2),
        ...extra,
        acute,
        search,
        lang,
      } as const;
    };

    // Acute danger: an explicit term is enough. A softer signal needs the search to rank the concern's article
    // among its first three, or the search to have no confident answer of its own: a signal of danger never
    // ends in "ik weet het niet" or "daar help ik niet mee".
    const decision = decide(search, this.deps.policy ?? DEFAULT_POLICY);
    const match = acuteConcern(question, kb.acute);
    const agreed =
      match &&
      (match.explicit ||
        decision.kind !== 'answer' ||
        search.results.slice(0, 3).some((r) => r.slug === match.concern.article));
    const acuteArticle = match && agreed && kb.bySlug.get(match.concern.article);
    if (match && acuteArticle) return answer(acuteArticle, { acute: match.concern });

    const roles = roleQuestion(question);
    const rolesArticle = kb.bySlug.get(ROLES_ARTICLE);
    if (roles && rolesArticle) return answer(rolesArticle, { roles });

    switch (decision.kind) {
      case 'answer':
        return answer(decision.hit.article);
      case 'choices':
        return { kind: 'choices', choices: decision.hits.map((h) => h.article), search, lang };
      case 'off-topic':
        return { kind: 'off-topic', search, lang };
      default:
        return { kind: 'unknown', search, lang };
    }
  }
}

function nothingSearched(query: string): SearchResponse {
  return { query, results: [], offTopic: 0 };
}
