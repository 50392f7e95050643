import { loadKnowledgeAndIndex } from '../../src/app.js';
import { evaluate, loadEvalSet, pct, TARGETS } from './evaluate.js';

/** `npm run eval`: answer quality on the evaluation set; `--verbose` lists every miss. */
const { index } = await loadKnowledgeAndIndex();
const set = loadEvalSet();
const r = evaluate(index, set);
const mark = (v: number, target: number) => (v >= target ? '✓' : '✗');
process.stdout.write(
  [
    `evaluation set: ${r.questions} in-scope questions, ${r.outOfScopeQuestions} out-of-scope`,
    `top-1                 ${pct(r.top1).padStart(8)}   target ≥ ${pct(TARGETS.top1)} ${mark(r.top1, TARGETS.top1)}`,
    `top-3                 ${pct(r.top3).padStart(8)}   target ≥ ${pct(TARGETS.top3)} ${mark(r.top3, TARGETS.top3)}`,
    `out-of-scope rejected ${pct(r.outOfScopeRejected).padStart(8)}   target ≥ ${pct(TARGETS.outOfScopeRejected)} ${mark(r.outOfScopeRejected, TARGETS.outOfScopeRejected)}`,
    `in-scope answered     ${pct(r.answered).padStart(8)}   (of those, right article: ${pct(r.answeredCorrect)})`,
    '',
  ].join('\n'),
);
if (process.argv.includes('--verbose')) {
  for (const m of r.misses)
    process.stdout.write(`miss  ${m.q}\n      expected ${m.expected}, got ${m.got.join(', ')}\n`);
  for (const f of r.falseAnswers) process.stdout.write(`false ${f.q} → ${f.got} (${f.score})\n`);
}
