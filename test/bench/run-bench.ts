/**
 * Search benchmark: our KnowledgeIndex against plain fuse.js and minisearch, on the shipped knowledge base and
 * on a synthetic 10,000-article corpus. Prints latency (p50/p99), build time, memory and accuracy side by side,
 * and writes the same numbers to test/output/bench-search.json. It never fails on speed: it only reports.
 *
 * Run: npm run bench (everything, about 2 minutes) or npm run bench -- --search (the search part only).
 * Storage (lowdb and PostgreSQL at 1k, 10k and 100k cases) instead: npm run bench -- --storage
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { loadKnowledge } from '../../src/core/knowledge/loader.js';
import type { Article } from '../../src/core/knowledge/model.js';
import { loadSynonyms } from '../../src/core/knowledge/synonyms.js';
import { knowledgeDir, projectRoot } from '../../src/paths.js';
import { type Engine, fuseEngine, miniSearchEngine, vangnetEngine } from './engines.js';
import { runFanOutBench } from './fanout-bench.js';
import { runLoadBench, runSoak } from './load-bench.js';
import { type EvalSet, exposeGc, type Measurement, measure, type RunPlan } from './measure.js';
import { runStorageBench, storageTable, storageVerdict } from './storage-bench.js';
import { DEFAULT_SYNTHETIC, syntheticCorpus } from './synthetic-corpus.js';

const TARGETS = { shippedP99Ms: 5, synthP99Ms: 20 } as const;
/** Accuracy comparisons on fewer shared questions than this are shown but not judged (too noisy). */
const MIN_COMPARE_N = 50;
const OUTPUT = join(projectRoot, 'test', 'output', 'bench-search.json');

/** At least 1,000 timed queries and 2 s of them, within 25 s of queries (minisearch at 10k needs the cap). */
const STANDARD_PLAN: RunPlan = {
  minTimed: 1000,
  minTimedMs: 2000,
  maxPasses: 20,
  budgetMs: 25_000,
  builds: 1,
  seed: 7,
};

/**
 * fuse.js runs a bitap scan over every document's whole text for every query (≈0.2 s per query on the shipped
 * articles, 10–60 s at 10k), so it gets a wall-clock cap instead, about a minute in all: 20 s on the shipped
 * articles, and at 10k a budget that lets exactly one query run (a started query is never cut off).
 */
const FUSE_BUDGET_MS = { shipped: 20_000, synth: 1_000 } as const;

interface Corpus {
  readonly key: 'shipped' | 'synth';
  readonly name: string;
  readonly articles: readonly Article[];
  readonly topicOf?: ReadonlyMap<string, string>;
}

function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`;
}

function ms(x: number): string {
  if (Number.isNaN(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function table(rows: readonly Measurement[], allQuestions: number): string {
  const header = [
    'corpus',
    'engine',
    'build ms',
    'p50 ms',
    'p99 ms',
    'queries',
    'top-1',
    'top-3',
    'topic-1',
    'topic-3',
    'heap MB',
    'rss MB',
    'peak MB',
    'ans in',
    'rej out',
  ];
  const lines = rows.map((r) => {
    const partial = r.accuracy.n < allQuestions ? `*` : '';
    return [
      r.corpus,
      r.engine,
      ms(r.buildMs),
      ms(r.p50Ms),
      ms(r.p99Ms),
      `${r.timedQueries}${r.withWarmup ? '†' : ''}`,
      `${pct(r.accuracy.top1)}${partial}`,
      `${pct(r.accuracy.top3)}${partial}`,
      `${pct(r.accuracy.topicTop1)}${partial}`,
      `${pct(r.accuracy.topicTop3)}${partial}`,
      r.heapMB.toFixed(1),
      r.rssMB.toFixed(0),
      r.peakRssMB.toFixed(0),
      pct(r.answeredInScope),
      pct(r.rejectedOutOfScope),
    ];
  });
  const all = [header, ...lines];
  const widths = header.map((_, c) => Math.max(...all.map((l) => (l[c] ?? '').length)));
  return all
    .map((l) =>
      l.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n');
}

/** Accuracy of two engines over the in-scope questions both ran. */
/**
 * Accuracy of two engines over the in-scope questions both ran. By topic: at 10k the corpus holds hundreds of
 * articles generated from each shipped one, and any of them answers the question's topic; on the shipped
 * corpus topic and article are the same thing.
 */
function compareOnShared(
  ours: Measurement,
  other: Measurement,
  by: 'article' | 'topic',
): { n: number; ours: [number, number]; other: [number, number] } {
  const [i1, i3] = by === 'article' ? [0, 1] : [2, 3];
  const sum = { n: 0, ours: [0, 0] as [number, number], other: [0, 0] as [number, number] };
  ours.hits.forEach((a, i) => {
    const b = other.hits[i];
    if (!a || !b) return;
    sum.n++;
    sum.ours[0] += Number(a[i1]);
    sum.ours[1] += Number(a[i3]);
    sum.other[0] += Number(b[i1]);
    sum.other[1] += Number(b[i3]);
  });
  const share = (x: number) => x / Math.max(1, sum.n);
  return {
    n: sum.n,
    ours: [share(sum.ours[0]), share(sum.ours[1])],
    other: [share(sum.other[0]), share(sum.other[1])],
  };
}

/** `--storage`: the stores side by side; writes test/output/bench-storage.json. */
async function storageMain(): Promise<void> {
  const started = Date.now();
  const log = (s: string) =>
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${s}\n`);
  const { rows, skipped } = await runStorageBench(log);
  const out = [
    '',
    `Storage benchmark — Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}; each store and size in a process of its own`,
    '',
    storageTable(rows),
    '',
    'open: opening the store on the seeded data (lowdb: read, check and index the whole file; PostgreSQL: connect and',
    '  check the migrations). one write: a knowledge gap, the smallest change. submit: cases.create with its flow and',
    '  first notification in one write — what "Versturen" waits for. question: a plain question through the real',
    '  HTTP endpoint (restify, CloudAdapter, search, answer card to a fake connector), one at a time; under submits:',
    '  the same while submits are written back to back. heap/rss: after GC, with the store open.',
    "first round: the numbers the issue measured on the first round's lowdb store (one write; submit) at 1k, 10k",
    '  and 50k cases.',
    ...skipped.map((s) => `skipped: ${s}`),
    '',
    ...storageVerdict(rows),
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  const file = join(projectRoot, 'test', 'output', 'bench-storage.json');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, rows, skipped }, null, 2)}\n`,
  );
  process.stdout.write(`total ${((Date.now() - started) / 1000).toFixed(0)} s; JSON written to ${file}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--storage')) return storageMain();
  const gc = exposeGc();
  const started = Date.now();
  const log = (s: string) =>
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${s}\n`);

  const kb = await loadKnowledge(knowledgeDir);
  const synonyms = await loadSynonyms(join(knowledgeDir, 'synonyms.yml'));
  const evalSet = JSON.parse(
    await readFile(join(projectRoot, 'test', 'eval', 'questions.json'), 'utf8'),
  ) as EvalSet;

  const t0 = process.hrtime.bigint();
  const synth = syntheticCorpus(kb.articles, DEFAULT_SYNTHETIC);
  const synthMs = Number(process.hrtime.bigint() - t0) / 1e6;
  log(
    `synthetic corpus: ${synth.articles.length} articles, ${synth.bodyWords} body words, ${synth.pseudoVocabulary} pseudo-words, generated in ${synthMs.toFixed(0)} ms`,
  );

  const corpora: Corpus[] = [
    { key: 'shipped', name: `shipped (${kb.articles.length})`, articles: kb.articles },
    {
      key: 'synth',
      name: `${Math.round(synth.articles.length / 1000)}k synth`,
      articles: synth.articles,
      topicOf: synth.topicOf,
    },
  ];
  const engines: Engine[] = [vangnetEngine(synonyms, kb), fuseEngine, miniSearchEngine];

  const rows: Measurement[] = [];
  for (const corpus of corpora) {
    for (const engine of engines) {
      const plan: RunPlan = {
        ...STANDARD_PLAN,
        builds: corpus.key === 'shipped' ? 5 : 1,
        ...(engine === fuseEngine ? { budgetMs: FUSE_BUDGET_MS[corpus.key] } : {}),
      };
      log(`${corpus.name} × ${engine.name} …`);
      // Let the previous run's index go before measuring: one event-loop turn, then GC inside `measure`.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const m = measure(engine, corpus, evalSet, plan, gc);
      rows.push(m);
      log(
        `  build ${ms(m.buildMs)} ms, ${m.timedQueries} timed queries, p99 ${ms(m.p99Ms)} ms${m.budgetHit ? ' (budget hit)' : ''}`,
      );
    }
  }

  const inScopeCount = evalSet.inScope.length;
  const out: string[] = [];
  out.push('');
  out.push(
    `Search benchmark — ${inScopeCount} in-scope + ${evalSet.outOfScope.length} out-of-scope questions; Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}`,
  );
  out.push('');
  out.push(table(rows, inScopeCount));
  out.push('');
  out.push('build ms: median of 5 builds on shipped, one build at 10k.');
  out.push(
    'heap MB: heap growth over the build, after GC (≈ index size); rss MB: after the build; peak MB: process peak so far.',
  );
  out.push('queries: timed queries (each timed alone with hrtime after a warm-up pass); p50/p99 over those.');
  out.push('ans in / rej out: in-scope questions answered, out-of-scope questions declined (vangnet only).');
  if (rows.some((r) => r.accuracy.n < inScopeCount))
    out.push('*  accuracy over the in-scope questions that ran before the time budget was spent (see JSON).');
  if (rows.some((r) => r.withWarmup))
    out.push(
      '†  under 1,000 timed queries fitted in the budget: latency includes the warm-up pass (minus its first 3).',
    );
  for (const r of rows.filter((x) => x.budgetHit)) {
    out.push(
      `   ${r.corpus} × ${r.engine}: time budget hit; ran ${r.accuracy.n}/${inScopeCount} in-scope questions for accuracy, ${r.timedQueries} ${r.timedQueries === 1 ? 'query' : 'queries'} for latency.`,
    );
  }
  out.push('');

  const find = (corpus: string, engine: string) =>
    rows.find((r) => r.corpus === corpus && r.engine === engine);
  const [shipped, synthetic] = corpora as [Corpus, Corpus];
  const ourShipped = find(shipped.name, 'vangnet');
  const ourSynth = find(synthetic.name, 'vangnet');
  out.push(
    `target p99 < ${TARGETS.shippedP99Ms} ms on shipped: vangnet ${ms(ourShipped?.p99Ms ?? Number.NaN)} ms`,
  );
  out.push(`target p99 < ${TARGETS.synthP99Ms} ms at 10k: vangnet ${ms(ourSynth?.p99Ms ?? Number.NaN)} ms`);

  // Accuracy: ours against each baseline on each corpus, on the questions both ran.
  const comparisons: {
    by: 'article' | 'topic';
    corpus: string;
    baseline: string;
    n: number;
    ours: [number, number];
    baselineAcc: [number, number];
    noWorse: boolean;
    /** Enough shared questions for the comparison to count towards the verdict. */
    judged: boolean;
  }[] = [];
  for (const corpus of corpora) {
    const ours = find(corpus.name, 'vangnet');
    if (!ours) continue;
    for (const other of rows.filter((r) => r.corpus === corpus.name && r.engine !== 'vangnet')) {
      // The shipped corpus is judged by article; the synthetic one by topic (see compareOnShared).
      const by = corpus.topicOf ? 'topic' : 'article';
      const c = compareOnShared(ours, other, by);
      comparisons.push({
        by,
        corpus: corpus.name,
        baseline: other.engine,
        n: c.n,
        ours: c.ours,
        baselineAcc: c.other,
        noWorse: c.ours[0] >= c.other[0] && c.ours[1] >= c.other[1],
        judged: c.n >= MIN_COMPARE_N,
      });
    }
  }
  const noWorse = comparisons.filter((c) => c.judged).every((c) => c.noWorse);
  out.push(
    `accuracy no worse than baselines: ${noWorse ? 'yes' : 'no'} (top-1 and top-3 on the questions both ran; shipped by article, 10k by topic)`,
  );
  for (const c of comparisons) {
    const note = !c.judged
      ? `  (under ${MIN_COMPARE_N} questions: not judged)`
      : c.noWorse
        ? ''
        : '  ← baseline better';
    out.push(
      `  ${c.corpus.padEnd(13)} vs ${c.baseline.padEnd(10)} by ${c.by.padEnd(7)} (n=${String(c.n).padStart(3)}): top-1 ${pct(c.ours[0])} vs ${pct(c.baselineAcc[0])}, top-3 ${pct(c.ours[1])} vs ${pct(c.baselineAcc[1])}${note}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);

  // `--search`: the search part only (about a minute), for work on the search.
  if (process.argv.includes('--search')) {
    await writeJson({ ...searchJson(), totalSeconds: (Date.now() - started) / 1000 });
    return;
  }

  // Weekly tips: fan-out to 5,000 channels through the real posters against loopback fakes.
  const fan = await runFanOutBench();
  process.stdout.write(
    [
      '',
      `Tip fan-out — ${fan.channels.teams} Teams + ${fan.channels.slack} Slack channels, rate limit ${fan.ratePerSecond}/s per platform, concurrency ${fan.concurrency}`,
      `  total ${fan.totalSeconds.toFixed(2)} s vs ideal ${fan.idealSeconds.toFixed(2)} s (${((fan.totalSeconds / fan.idealSeconds) * 100).toFixed(0)} % of ideal); sent ${fan.sent}, failed ${fan.failed}`,
      `  heap growth ${fan.heapGrowthMB.toFixed(1)} MB (fakes included), process peak RSS ${fan.peakRssMB.toFixed(0)} MB`,
      '',
    ].join('\n'),
  );

  // Load: the real HTTP endpoints with the full core against an echo bot on the same stack (the ceiling).
  const load = await runLoadBench();
  const ceiling = load[0]?.throughput ?? Number.NaN;
  process.stdout.write(
    [
      'Load — 2,000 requests at concurrency 20 against the real HTTP endpoint (fake connector / fake Slack API on loopback)',
      ...load.map(
        (r) =>
          `  ${r.name.padEnd(24)} ${r.throughput.toFixed(0).padStart(5)} req/s  p50 ${r.p50Ms.toFixed(1).padStart(5)} ms  p99 ${r.p99Ms.toFixed(1).padStart(5)} ms  errors ${r.errors}  ${((r.throughput / ceiling) * 100).toFixed(0)} % of echo`,
      ),
      "  target: at least 70 % of the echo bot's throughput with the full core (Slack events are acknowledged before processing)",
      '',
    ].join('\n'),
  );

  let soak: Awaited<ReturnType<typeof runSoak>> | undefined;
  if (process.argv.includes('--soak')) {
    const minutes = Number(process.argv[process.argv.indexOf('--soak') + 1]) || 10;
    process.stdout.write(`Soak — ${minutes} minutes of steady load, heap after GC every 30 s\n`);
    soak = await runSoak(minutes, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(
      `  heap growth, last third vs middle third: ${soak.growthMB.toFixed(1)} MB (target: none beyond noise)\n\n`,
    );
  }

  await writeJson({
    ...searchJson(),
    tipFanOut: fan,
    load,
    soak,
    totalSeconds: (Date.now() - started) / 1000,
  });

  function searchJson() {
    return {
      generatedAt: new Date().toISOString(),
      node: process.version,
      cpu: { count: cpus().length, model: cpus()[0]?.model },
      questions: { inScope: inScopeCount, outOfScope: evalSet.outOfScope.length },
      synthetic: {
        ...DEFAULT_SYNTHETIC,
        articles: synth.articles.length,
        bodyWords: synth.bodyWords,
        pseudoVocabulary: synth.pseudoVocabulary,
        generateMs: synthMs,
      },
      engines: Object.fromEntries(engines.map((e) => [e.name, e.description])),
      plan: { standard: STANDARD_PLAN, fuseBudgetMs: FUSE_BUDGET_MS },
      results: rows.map(({ hits: _hits, ...rest }) => rest),
      targets: {
        shippedP99Ms: { target: TARGETS.shippedP99Ms, vangnet: ourShipped?.p99Ms ?? null },
        synthP99Ms: { target: TARGETS.synthP99Ms, vangnet: ourSynth?.p99Ms ?? null },
        accuracyNoWorseThanBaselines: noWorse,
        comparisons,
      },
    };
  }
}

async function writeJson(json: Record<string, unknown> & { totalSeconds: number }): Promise<void> {
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  await mkdir(join(projectRoot, 'test', 'output'), { recursive: true });
  await writeFile(OUTPUT, `${JSON.stringify({ ...json, peakRssMB }, null, 2)}\n`);
  process.stdout.write(
    `\npeak RSS ${peakRssMB.toFixed(0)} MB; total ${json.totalSeconds.toFixed(0)} s; JSON written to ${OUTPUT}\n`,
  );
}

await main();
