import { loadKnowledgeAndIndex } from '../../src/app.js';
import { type EvalReport, evaluate, HELDOUT_FLOORS, loadEvalSet, pct, TARGETS } from './evaluate.js';

/**
 * `npm run eval`: answer quality on the tuning set (with its targets) and on the held-out set (never tuned on,
 * with floors), side by side; `--verbose` lists every miss of both.
 */
const { index } = await loadKnowledgeAndIndex();
const tuned = evaluate(index, loadEvalSet('questions'));
const heldout = evaluate(index, loadEvalSet('heldout'));
const mark = (v: number, min: number) => (v >= min ? '✓' : '✗');
const row = (label: string, key: 'top1' | 'top3' | 'outOfScopeRejected') =>
  `${label.padEnd(22)}${pct(tuned[key]).padStart(8)} (≥ ${pct(TARGETS[key])} ${mark(tuned[key], TARGETS[key])})` +
  `${pct(heldout[key]).padStart(10)} (≥ ${pct(HELDOUT_FLOORS[key])} ${mark(heldout[key], HELDOUT_FLOORS[key])})`;
process.stdout.write(
  [
    `${''.padEnd(22)}${'tuning set'.padStart(8)}${''.padEnd(13)}held-out`,
    `${'questions'.padEnd(22)}${`${tuned.questions} + ${tuned.outOfScopeQuestions}`.padStart(8)}${''.padEnd(13)}${heldout.questions} + ${heldout.outOfScopeQuestions}`,
    row('top-1', 'top1'),
    row('top-3', 'top3'),
    row('out-of-scope rejected', 'outOfScopeRejected'),
    `${'in-scope answered'.padEnd(22)}${pct(tuned.answered).padStart(8)}${''.padEnd(13)}${pct(heldout.answered)}`,
    `${'  of those, right'.padEnd(22)}${pct(tuned.answeredCorrect).padStart(8)}${''.padEnd(13)}${pct(heldout.answeredCorrect)}`,
    '',
  ].join('\n'),
);
const misses = (name: string, r: EvalReport) => {
  for (const m of r.misses)
    process.stdout.write(`${name} miss  ${m.q}\n      expected ${m.expected}, got ${m.got.join(', ')}\n`);
  for (const f of r.falseAnswers) process.stdout.write(`${name} false ${f.q} → ${f.got} (${f.score})\n`);
};
if (process.argv.includes('--verbose')) {
  misses('tuning', tuned);
  misses('held-out', heldout);
}
