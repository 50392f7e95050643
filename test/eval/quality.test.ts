import assert from 'node:assert/strict';
import { REQUIRED_SLUGS } from '../../src/core/knowledge/model.js';
import { sharedKnowledge } from '../helpers/test-app.js';
import { evaluate, HELDOUT_FLOORS, loadEvalSet, pct, TARGETS } from './evaluate.js';

describe('answer quality on the evaluation set', () => {
  const set = loadEvalSet();

  it('is a real evaluation set: ≥ 150 in-scope questions over every article, ≥ 20 out of scope', () => {
    assert.ok(set.inScope.length >= 150);
    assert.ok(set.outOfScope.length >= 20);
    const covered = new Set(set.inScope.map((q) => q.expected));
    for (const slug of REQUIRED_SLUGS) assert.ok(covered.has(slug), `no question for ${slug}`);
    const withAlso = set.inScope.filter((q) => q.also?.length).length;
    assert.ok(withAlso / set.inScope.length <= 0.15, 'alternatives only where a question is truly ambiguous');
  });

  it(`meets the targets: top-1 ≥ ${pct(TARGETS.top1)}, top-3 ≥ ${pct(TARGETS.top3)}, out-of-scope rejected ≥ ${pct(TARGETS.outOfScopeRejected)}`, async () => {
    const { index } = await sharedKnowledge();
    const r = evaluate(index, set);
    const summary = `top-1 ${pct(r.top1)}, top-3 ${pct(r.top3)}, out-of-scope rejected ${pct(r.outOfScopeRejected)}`;
    assert.ok(r.top1 >= TARGETS.top1, `top-1 below target: ${summary}`);
    assert.ok(r.top3 >= TARGETS.top3, `top-3 below target: ${summary}`);
    assert.ok(r.outOfScopeRejected >= TARGETS.outOfScopeRejected, `rejection below target: ${summary}`);
  });

  it(`held-out questions (never tuned on) stay above top-1 ${pct(HELDOUT_FLOORS.top1)}, top-3 ${pct(HELDOUT_FLOORS.top3)}, rejected ${pct(HELDOUT_FLOORS.outOfScopeRejected)}`, async () => {
    const heldout = loadEvalSet('heldout');
    const covered = new Set(heldout.inScope.map((q) => q.expected));
    for (const slug of REQUIRED_SLUGS) assert.ok(covered.has(slug), `no held-out question for ${slug}`);
    const seen = new Set(set.inScope.map((q) => q.q));
    assert.ok(!heldout.inScope.some((q) => seen.has(q.q)), 'no question in both sets');
    const { index } = await sharedKnowledge();
    const r = evaluate(index, heldout);
    const summary = `top-1 ${pct(r.top1)}, top-3 ${pct(r.top3)}, out-of-scope rejected ${pct(r.outOfScopeRejected)}`;
    assert.ok(r.top1 >= HELDOUT_FLOORS.top1, summary);
    assert.ok(r.top3 >= HELDOUT_FLOORS.top3, summary);
    assert.ok(r.outOfScopeRejected >= HELDOUT_FLOORS.outOfScopeRejected, summary);
  });
});
