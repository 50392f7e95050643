import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KnowledgeIndex } from '../../src/core/knowledge/search.js';

export interface EvalSet {
  readonly inScope: readonly { q: string; expected: string; also?: readonly string[] }[];
  readonly outOfScope: readonly string[];
}

export interface EvalReport {
  readonly questions: number;
  readonly outOfScopeQuestions: number;
  /** Share of in-scope questions whose best result is the expected article (or an accepted alternative). */
  readonly top1: number;
  readonly top3: number;
  /** Share of in-scope questions the bot answers (confident), and of those, answered with the right article. */
  readonly answered: number;
  readonly answeredCorrect: number;
  /** Share of out-of-scope questions the bot declines to answer. */
  readonly outOfScopeRejected: number;
  readonly misses: readonly { q: string; expected: string; got: readonly string[] }[];
  readonly falseAnswers: readonly { q: string; got: string; score: number }[];
}

/** Quality targets from the knowledge issue; `npm test` fails below them. */
export const TARGETS = { top1: 0.9, top3: 0.97, outOfScopeRejected: 0.9 } as const;

/**
 * `questions.json`: the evaluation set the search was tuned on. `heldout.json`: 114 + 30 questions written later
 * by someone who saw only the article titles (not the articles, not the other set), never used for tuning — the
 * honest estimate of quality on new questions. Tuning on it would spoil it: add new real questions instead.
 */
export function loadEvalSet(name: 'questions' | 'heldout' = 'questions'): EvalSet {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`./${name}.json`, import.meta.url)), 'utf8'),
  ) as EvalSet;
}

/** Floors for the held-out set: not targets, a guard against tuning the main set at the cost of new questions. */
export const HELDOUT_FLOORS = { top1: 0.8, top3: 0.9, outOfScopeRejected: 0.9 } as const;

export function evaluate(index: KnowledgeIndex, set: EvalSet): EvalReport {
  let top1 = 0;
  let top3 = 0;
  let answered = 0;
  let answeredCorrect = 0;
  const misses: EvalReport['misses'][number][] = [];
  for (const item of set.inScope) {
    const r = index.search(item.q);
    const ok = new Set([item.expected, ...(item.also ?? [])]);
    const slugs = r.results.map((x) => x.slug);
    const first = slugs[0] !== undefined && ok.has(slugs[0]);
    if (first) top1++;
    else misses.push({ q: item.q, expected: item.expected, got: slugs.slice(0, 3) });
    if (slugs.slice(0, 3).some((s) => ok.has(s))) top3++;
    if (r.answered) {
      answered++;
      if (first) answeredCorrect++;
    }
  }
  const falseAnswers: EvalReport['falseAnswers'][number][] = [];
  for (const q of set.outOfScope) {
    const r = index.search(q);
    if (r.answered) falseAnswers.push({ q, got: r.results[0]?.slug ?? '', score: r.results[0]?.score ?? 0 });
  }
  const n = set.inScope.length;
  return {
    questions: n,
    outOfScopeQuestions: set.outOfScope.length,
    top1: top1 / n,
    top3: top3 / n,
    answered: answered / n,
    answeredCorrect: answered ? answeredCorrect / answered : 0,
    outOfScopeRejected: 1 - falseAnswers.length / set.outOfScope.length,
    misses,
    falseAnswers,
  };
}

export const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
