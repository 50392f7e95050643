import { loadKnowledgeAndIndex } from '../../src/app.js';
import { Answerer } from '../../src/core/answers/answerer.js';
import {
  type EvalReport,
  type EvalSet,
  evaluate,
  FROZEN_FLOORS,
  loadEvalSet,
  loosen,
  missCounts,
  pct,
  type SetName,
} from './evaluate.js';
import { typoVariant } from './typos.js';

/**
 * `npm run eval`: answer quality on every set side by side — tuning, held-out, frozen and the frozen set with
 * typos — then misses counted per article and per style. `--verbose` lists the tuning set's misses one by one;
 * held-out and frozen questions are never printed (see `evaluate.ts` for why).
 */
const { kb, index } = await loadKnowledgeAndIndex();
const answerer = new Answerer({ kb, index });
const plan = (q: string) => answerer.plan(q);

const sets: EvalSet[] = [];
for (const name of ['questions', 'heldout', 'frozen'] satisfies SetName[]) {
  const set = loadEvalSet(name);
  if (set) sets.push(name === 'questions' ? { ...set, name: 'tuning' } : set);
}
const frozen = sets.find((s) => s.name === 'frozen');
if (frozen) sets.push({ ...typoVariant(frozen), name: 'frozen+typos' });
else process.stdout.write('(no test/eval/frozen.json yet: frozen columns left out)\n');
const reports = sets.map((s) => evaluate(plan, s));

const floors = new Map<string, typeof FROZEN_FLOORS>([
  ['frozen', FROZEN_FLOORS],
  ['frozen+typos', loosen(FROZEN_FLOORS, 5)],
]);
const W = 16;
const line = (label: string, cells: string[]) =>
  `${label.padEnd(24)}${cells.map((c) => c.padStart(W)).join('')}`;
const metric = (label: string, key: keyof typeof FROZEN_FLOORS, ceiling = false) =>
  line(
    label,
    reports.map((r) => {
      const floor = floors.get(r.name)?.[key];
      const ok = floor === undefined ? '' : (ceiling ? r[key] <= floor : r[key] >= floor) ? ' ✓' : ' ✗';
      return `${pct(r[key])}${ok}`;
    }),
  );
const out: string[] = [
  line(
    '',
    reports.map((r) => r.name),
  ),
  line(
    'questions (in + out)',
    reports.map((r) => `${r.questions} + ${r.outOfScopeQuestions}`),
  ),
  metric('answered top-1', 'answeredTop1'),
  metric('confidently wrong', 'confidentlyWrong', true),
  metric('shown (answer/choices)', 'shown'),
  line(
    'asked "Bedoel je"',
    reports.map((r) => pct(r.asked)),
  ),
  metric('out of scope rejected', 'outOfScopeRejected'),
  line(
    'ranking top-1 (diag.)',
    reports.map((r) => pct(r.rankTop1)),
  ),
  `floors (frozen): answered top-1 ≥ ${pct(FROZEN_FLOORS.answeredTop1)}, confidently wrong ≤ ${pct(FROZEN_FLOORS.confidentlyWrong)}, shown ≥ ${pct(FROZEN_FLOORS.shown)}, out of scope rejected ≥ ${pct(FROZEN_FLOORS.outOfScopeRejected)}; typos within 5 points`,
  '',
];

/** Per-article (or per-style) misses of every set: "missed/total (wrong)"; rows without misses are left out. */
function countTable(
  title: string,
  key: (r: EvalReport) => Map<string, { total: number; missed: number; wrong: number }>,
) {
  const tables = reports.map(key);
  const keys = [...new Set(tables.flatMap((t) => [...t.keys()]))].sort();
  out.push(
    line(
      title,
      reports.map((r) => r.name),
    ),
  );
  for (const k of keys) {
    const cells = tables.map((t) => {
      const c = t.get(k);
      return c ? `${c.missed}/${c.total}${c.wrong ? ` (${c.wrong})` : ''}` : '';
    });
    if (tables.some((t) => (t.get(k)?.missed ?? 0) > 0)) out.push(line(k.slice(0, 23), cells));
  }
  out.push('');
}
countTable('misses per article', (r) => missCounts(r, (i) => i.expected));
countTable('misses per style', (r) => missCounts(r, (i) => i.style ?? '–'));
out.push('missed/total: not answered with the right article; (n): of those, answered with a wrong one.');
const oosStyles = new Map<string, number>();
for (const r of reports)
  for (const f of r.falseAnswers)
    oosStyles.set(`${r.name} ${f.style ?? '–'}`, (oosStyles.get(`${r.name} ${f.style ?? '–'}`) ?? 0) + 1);
if (oosStyles.size)
  out.push(
    `out of scope answered, per set and style: ${[...oosStyles].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
out.push(`(${kb.articles.length} articles)`, '');
process.stdout.write(`${out.join('\n')}\n`);

if (process.argv.includes('--verbose')) {
  const tuning = reports.find((r) => r.name === 'tuning');
  for (const o of tuning?.outcomes ?? []) {
    if (o.outcome === 'right') continue;
    process.stdout.write(
      `${o.outcome.padEnd(11)} ${o.item.q}\n            expected ${o.item.expected}, got ${o.got.join(', ')}\n`,
    );
  }
  for (const f of tuning?.falseAnswers ?? [])
    process.stdout.write(`out-of-scope answered  ${f.q} → ${f.got}\n`);
}
