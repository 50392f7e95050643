import type { Article } from '../knowledge/model.js';
import type { KnowledgeIndex, SearchResponse } from '../knowledge/search.js';

/**
 * What the bot does with a typed question, decided before anything is rendered or stored: answer with one
 * article, or say it does not know. The bot, `vangnet ask` and the evaluation all go through here, so what the
 * evaluation measures is what a teacher gets.
 */
export type AnswerPlan =
  | { readonly kind: 'answer'; readonly article: Article; readonly search: SearchResponse }
  | { readonly kind: 'unknown'; readonly search: SearchResponse };

/** How many results a question's search keeps: the answer, its runners-up and the suggestions. */
const RESULTS = 5;

export class Answerer {
  constructor(private readonly index: KnowledgeIndex) {}

  plan(question: string): AnswerPlan {
    const search = this.index.search(question, RESULTS);
    const top = search.results[0];
    return search.answered && top
      ? { kind: 'answer', article: top.article, search }
      : { kind: 'unknown', search };
  }
}

/** The article the bot answers with, if it answers. */
export function answeredSlug(plan: AnswerPlan): string | undefined {
  return plan.kind === 'answer' ? plan.article.slug : undefined;
}
