import { join } from 'node:path';
import { Answerer } from '../../src/core/answers/answerer.js';
import { DEFAULT_POLICY, type DecisionPolicy } from '../../src/core/answers/decision.js';
import { loadKnowledge } from '../../src/core/knowledge/loader.js';
import type { Article, KnowledgeBase } from '../../src/core/knowledge/model.js';
import {
  DEFAULT_TUNING,
  KnowledgeIndex,
  type SearchResponse,
  type SearchTuning,
} from '../../src/core/knowledge/search.js';
import { loadSynonyms } from '../../src/core/knowledge/synonyms.js';
import { knowledgeDir } from '../../src/paths.js';
import { type EvalReport, type EvalSet, evaluate, loadEvalSet, pct } from './evaluate.js';
import { typoVariant } from './typos.js';

/**
 * `npm run eval:cv`: cross-validation over the question bank, for tuning the search and the decision without
 * touching the held-out or frozen sets. Each article's phrasings (and the out-of-scope examples) are split into
 * five folds; each fold in turn is left out of the index and asked as questions, against an index built from the
 * other four. Reported beside the tuning set (asked against the full index) and the typo variants of both.
 *
 * Only the tuning set and the knowledge folder are read here: never `heldout.json` or `frozen.json`.
 */
export const FOLDS = 5;

export interface Fold {
  readonly kb: KnowledgeBase;
  readonly index: KnowledgeIndex;
  readonly set: EvalSet;
}

/** Builds the folds: per fold an index without the left-out phrasings, and those phrasings as an eval set. */
export async function buildFolds(dir = knowledgeDir, tuning: SearchTuning = DEFAULT_TUNING): Promise<Fold[]> {
  const [kb, synonyms] = await Promise.all([loadKnowledge(dir), loadSynonyms(join(dir, 'synonyms.yml'))]);
  const folds: Fold[] = [];
  for (let f = 0; f < FOLDS; f++) {
    const inFold = (i: number) => i % FOLDS === f;
    const articles: Article[] = kb.articles.map((a) => ({
      ...a,
      questions: a.questions.filter((_, i) => !inFold(i)),
    }));
    const outOfScope = kb.outOfScope.filter((_, i) => !inFold(i));
    const foldKb: KnowledgeBase = {
      ...kb,
      articles,
      bySlug: new Map(articles.map((a) => [a.slug, a])),
      outOfScope,
    };
    folds.push({
      kb: foldKb,
      index: KnowledgeIndex.build(articles, synonyms, tuning, outOfScope),
      set: {
        name: `bank fold ${f + 1}`,
        inScope: kb.articles.flatMap((a) =>
          a.questions.filter((_, i) => inFold(i)).map((q) => ({ q, expected: a.slug })),
        ),
        outOfScope: kb.outOfScope.filter((_, i) => inFold(i)).map((q) => ({ q })),
      },
    });
  }
  return folds;
}

/** An index whose searches are remembered: a policy sweep then costs decisions, not searches. */
export function memoized(index: KnowledgeIndex): KnowledgeIndex {
  const cache = new Map<string, SearchResponse>();
  return new Proxy(index, {
    get(target, prop) {
      if (prop === 'search')
        return (q: string, limit?: number) => {
          const key = `${limit}\u0000${q}`;
          let r = cache.get(key);
          if (!r) {
            r = target.search(q, limit);
            cache.set(key, r);
          }
          return r;
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Pools the reports of several sets into one (counts add up, shares are recomputed). */
export function pooled(name: string, reports: readonly EvalReport[]): EvalReport {
  const outcomes = reports.flatMap((r) => r.outcomes);
  const falseAnswers = reports.flatMap((r) => r.falseAnswers);
  const n = Math.max(1, outcomes.length);
  const oos = reports.reduce((s, r) => s + r.outOfScopeQuestions, 0);
  const share = (...kinds: string[]) => outcomes.filter((o) => kinds.includes(o.outcome)).length / n;
  return {
    name,
    questions: outcomes.length,
    outOfScopeQuestions: oos,
    answeredTop1: share('right'),
    confidentlyWrong: share('wrong'),
    shown: share('right', 'asked-right'),
    asked: share('asked-right', 'asked-wrong'),
    outOfScopeRejected: 1 - falseAnswers.length / Math.max(1, oos),
    rankTop1: reports.reduce((s, r) => s + r.rankTop1 * r.questions, 0) / n,
    outcomes,
    falseAnswers,
  };
}

export interface CvReports {
  readonly tuning: EvalReport;
  readonly tuningTypos: EvalReport;
  readonly bank: EvalReport;
  readonly bankTypos: EvalReport;
}

/** Everything measured with one policy: the tuning set on the full index, the bank folds on theirs. */
export function measure(
  full: { kb: KnowledgeBase; index: KnowledgeIndex },
  folds: readonly Fold[],
  policy: DecisionPolicy = DEFAULT_POLICY,
): CvReports {
  const tuningSet = { ...(loadEvalSet('questions') as EvalSet), name: 'tuning' };
  const plan = (a: Answerer) => (q: string) => a.plan(q);
  const fullPlan = plan(new Answerer({ ...full, policy }));
  const foldPlans = folds.map((f) => plan(new Answerer({ kb: f.kb, index: f.index, policy })));
  return {
    tuning: evaluate(fullPlan, tuningSet),
    tuningTypos: evaluate(fullPlan, { ...typoVariant(tuningSet), name: 'tuning+typos' }),
    bank: pooled(
      'bank (5-fold)',
      folds.map((f, i) => evaluate(foldPlans[i] as (q: string) => ReturnType<Answerer['plan']>, f.set)),
    ),
    bankTypos: pooled(
      'bank+typos',
      folds.map((f, i) =>
        evaluate(foldPlans[i] as (q: string) => ReturnType<Answerer['plan']>, typoVariant(f.set)),
      ),
    ),
  };
}

export function row(r: EvalReport): string {
  return `${r.name.padEnd(16)} n=${String(r.questions).padStart(4)}+${String(r.outOfScopeQuestions).padEnd(4)} top-1 ${pct(r.answeredTop1).padStart(7)}  wrong ${pct(r.confidentlyWrong).padStart(6)}  shown ${pct(r.shown).padStart(7)}  asked ${pct(r.asked).padStart(7)}  oos rejected ${pct(r.outOfScopeRejected).padStart(7)}  rank-1 ${pct(r.rankTop1).padStart(7)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = knowledgeDir;
  const [kb, synonyms] = await Promise.all([loadKnowledge(dir), loadSynonyms(join(dir, 'synonyms.yml'))]);
  const full = { kb, index: KnowledgeIndex.build(kb.articles, synonyms, DEFAULT_TUNING, kb.outOfScope) };
  const folds = await buildFolds(dir);
  const r = measure(full, folds);
  for (const rep of [r.tuning, r.tuningTypos, r.bank, r.bankTypos]) process.stdout.write(`${row(rep)}\n`);
}
