import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Article } from '../../src/core/knowledge/model.js';
import type { Engine, Searcher } from './engines.js';
import { Rng } from './rng.js';

/** Timing, accuracy and memory measurement of one engine on one corpus. Reports numbers; asserts nothing. */

export interface EvalQuestion {
  readonly q: string;
  readonly expected: string;
  readonly also?: readonly string[];
}

export interface EvalSet {
  readonly inScope: readonly EvalQuestion[];
  readonly outOfScope: readonly string[];
}

export interface RunPlan {
  /** Timed queries to collect at least (after the warm-up pass), unless the budget runs out first. */
  readonly minTimed: number;
  /** Keep adding timed passes until this much time has passed, for steadier tails on fast engines. */
  readonly minTimedMs: number;
  /** Stop after this many timed passes. */
  readonly maxPasses: number;
  /** Wall-clock budget for all queries of this run, warm-up included. */
  readonly budgetMs: number;
  /** Index builds to time (the median is reported). */
  readonly builds: number;
  readonly seed: number;
}

export interface Accuracy {
  /** In-scope questions that were run (fewer than all when the budget ran out in the first pass). */
  readonly n: number;
  readonly top1: number;
  readonly top3: number;
  /** Top result (or one of the top 3) on the expected topic: the expected article or one generated from it. */
  readonly topicTop1: number;
  readonly topicTop3: number;
}

export interface Measurement {
  readonly corpus: string;
  readonly engine: string;
  readonly articles: number;
  readonly buildMs: number;
  readonly builds: number;
  /** Heap growth from before the build to after it, both after a full GC: roughly the index size. */
  readonly heapMB: number;
  /** Resident set size right after the build. */
  readonly rssMB: number;
  /** Peak resident set size of the whole process so far, at the end of this run. */
  readonly peakRssMB: number;
  readonly timedQueries: number;
  /** True when the warm-up pass's timings were added because the budget allowed too few timed queries. */
  readonly withWarmup: boolean;
  readonly budgetHit: boolean;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly accuracy: Accuracy;
  /** Per in-scope question (by index in the eval set): [top-1 hit, top-3 hit]; absent when not run. */
  /** Per in-scope question: [top-1, top-3, topic top-1, topic top-3], or undefined when it did not run. */
  readonly hits: readonly (readonly [boolean, boolean, boolean, boolean] | undefined)[];
  /** Only for engines that decide whether they can answer. */
  readonly answeredInScope?: number;
  readonly rejectedOutOfScope?: number;
}

type Gc = () => void;

/** `global.gc` without needing `--expose-gc` on the command line (so `npm run bench` stays plain tsx). */
export function exposeGc(): Gc {
  const existing = (globalThis as { gc?: Gc }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as Gc;
  } catch {
    return () => {};
  }
}

const MB = 1024 * 1024;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

interface Query {
  readonly text: string;
  /** Index into `inScope`, or -1 for an out-of-scope question. */
  readonly inScope: number;
}

export function measure(
  engine: Engine,
  corpus: {
    readonly name: string;
    readonly articles: readonly Article[];
    readonly topicOf?: ReadonlyMap<string, string>;
  },
  evalSet: EvalSet,
  plan: RunPlan,
  gc: Gc,
): Measurement {
  // Build: time `plan.builds` builds; the heap delta is taken with only the last index alive.
  gc();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildTimes: number[] = [];
  let built: Searcher<unknown> | undefined;
  for (let i = 0; i < plan.builds; i++) {
    built = undefined;
    const t0 = process.hrtime.bigint();
    built = engine.build(corpus.articles);
    buildTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (!built) throw new Error('no builds planned');
  const searcher: Searcher<unknown> = built;
  built = undefined;
  gc();
  const after = process.memoryUsage();

  const queries: Query[] = [
    ...evalSet.inScope.map((q, i) => ({ text: q.q, inScope: i })),
    ...evalSet.outOfScope.map((text) => ({ text, inScope: -1 })),
  ];
  const rng = new Rng(plan.seed);
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  let spent = 0;
  let ranQueries = 0;
  let budgetHit = false;
  /** Whether one more query still fits: stop when the average query so far would overrun the budget. */
  const fits = (): boolean => {
    const mean = ranQueries > 0 ? spent / ranQueries : 0;
    if (elapsedMs() + mean <= plan.budgetMs) return true;
    budgetHit = true;
    return false;
  };
  const timed = <T>(fn: () => T): [T, number] => {
    const t0 = process.hrtime.bigint();
    const result = fn();
    const took = Number(process.hrtime.bigint() - t0) / 1e6;
    spent += took;
    ranQueries++;
    return [result, took];
  };

  // Pass 0 warms up and records accuracy. In-scope questions go first, each group shuffled, so a budget cut
  // still leaves an unbiased sample of the accuracy questions.
  const inScopeQueries = queries.filter((q) => q.inScope >= 0);
  const outOfScopeQueries = queries.filter((q) => q.inScope < 0);
  const hits: ([boolean, boolean, boolean, boolean] | undefined)[] = evalSet.inScope.map(() => undefined);
  const topic = (slug: string | undefined) => (slug ? (corpus.topicOf?.get(slug) ?? slug) : '');
  const warmTimes: number[] = [];
  let answered = 0;
  let rejected = 0;
  let answerable = false;
  for (const query of [...rng.shuffle(inScopeQueries), ...rng.shuffle(outOfScopeQueries)]) {
    if (!fits()) break;
    const [result, took] = timed(() => searcher.search(query.text));
    warmTimes.push(took);
    const top = searcher.topSlugs(result, 3);
    const ok = searcher.answered?.(result);
    if (ok !== undefined) answerable = true;
    if (query.inScope >= 0) {
      const q = evalSet.inScope[query.inScope] as EvalQuestion;
      const good = new Set([q.expected, ...(q.also ?? [])]);
      hits[query.inScope] = [
        good.has(top[0] ?? ''),
        top.some((s) => good.has(s)),
        good.has(topic(top[0])),
        top.some((s) => good.has(topic(s))),
      ];
      if (ok) answered++;
    } else if (ok === false) {
      rejected++;
    }
  }
  const warmComplete = !budgetHit;

  // Timed passes, each over all questions in a fresh shuffled order.
  const times: number[] = [];
  let passes = 0;
  while (
    !budgetHit &&
    passes < plan.maxPasses &&
    (times.length < plan.minTimed || elapsedMs() < plan.minTimedMs)
  ) {
    passes++;
    for (const query of rng.shuffle(queries)) {
      if (!fits()) break;
      times.push(timed(() => searcher.search(query.text))[1]);
    }
  }
  // Too few timed queries (slow engine, budget spent): add the warm-up timings, minus the first (coldest) 3.
  // At tens of milliseconds per query and more, JIT warm-up no longer shows in the numbers.
  const withWarmup = times.length < plan.minTimed;
  const samples = (
    withWarmup ? [...warmTimes.slice(Math.min(3, warmTimes.length - 1)), ...times] : times
  ).sort((a, b) => a - b);

  const ran = hits.filter((h): h is [boolean, boolean, boolean, boolean] => h !== undefined);
  const ranOutOfScope = outOfScopeQueries.length;
  return {
    corpus: corpus.name,
    engine: engine.name,
    articles: corpus.articles.length,
    buildMs: median(buildTimes),
    builds: buildTimes.length,
    heapMB: (after.heapUsed - heapBefore) / MB,
    rssMB: after.rss / MB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    timedQueries: samples.length,
    withWarmup,
    budgetHit,
    p50Ms: percentile(samples, 50),
    p90Ms: percentile(samples, 90),
    p99Ms: percentile(samples, 99),
    maxMs: samples.at(-1) ?? Number.NaN,
    meanMs: samples.reduce((s, x) => s + x, 0) / Math.max(1, samples.length),
    accuracy: {
      n: ran.length,
      top1: ran.filter((h) => h[0]).length / Math.max(1, ran.length),
      top3: ran.filter((h) => h[1]).length / Math.max(1, ran.length),
      topicTop1: ran.filter((h) => h[2]).length / Math.max(1, ran.length),
      topicTop3: ran.filter((h) => h[3]).length / Math.max(1, ran.length),
    },
    hits,
    ...(answerable && warmComplete
      ? { answeredInScope: answered / ran.length, rejectedOutOfScope: rejected / ranOutOfScope }
      : {}),
  };
}
