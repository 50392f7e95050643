import assert from 'node:assert/strict';
import { Answerer } from '../../src/core/answers/answerer.js';
import { REQUIRED_SLUGS } from '../../src/core/knowledge/model.js';
import { sharedKnowledge } from '../helpers/test-app.js';
import {
  type EvalSet,
  evaluate,
  type Floors,
  FROZEN_FLOORS,
  loadEvalSet,
  loosen,
  pct,
  shortfalls,
} from './evaluate.js';
import { typoVariant } from './typos.js';

/** The tuning set: the search was tuned on it, so it must do at least as well as on new questions. */
const TUNING_FLOORS: Floors = {
  answeredTop1: 0.87,
  confidentlyWrong: 0.03,
  shown: 0.97,
  outOfScopeRejected: 0.97,
};
/** Held-out questions (never tuned on): a guard against tuning the main set at the cost of new questions. */
const HELDOUT_FLOORS: Floors = {
  answeredTop1: 0.82,
  confidentlyWrong: 0.03,
  shown: 0.93,
  outOfScopeRejected: 0.96,
};

async function planner() {
  const { kb, index } = await sharedKnowledge();
  const answerer = new Answerer({ kb, index });
  return (q: string) => answerer.plan(q);
}

function summary(r: ReturnType<typeof evaluate>): string {
  return `answered top-1 ${pct(r.answeredTop1)}, confidently wrong ${pct(r.confidentlyWrong)}, shown ${pct(r.shown)}, out of scope rejected ${pct(r.outOfScopeRejected)}`;
}

describe('answer quality (honest: a right article counts only when the bot answers with it)', () => {
  const tuning = loadEvalSet('questions') as EvalSet;
  const heldout = loadEvalSet('heldout') as EvalSet;

  it('the sets are real: every article has questions, no question in two sets', () => {
    assert.ok(tuning.inScope.length >= 150 && tuning.outOfScope.length >= 20);
    for (const set of [tuning, heldout]) {
      const covered = new Set(set.inScope.map((q) => q.expected));
      for (const slug of REQUIRED_SLUGS) assert.ok(covered.has(slug), `${set.name}: no question for ${slug}`);
    }
    const withAlso = tuning.inScope.filter((q) => q.also?.length).length;
    assert.ok(
      withAlso / tuning.inScope.length <= 0.15,
      'alternatives only where a question is truly ambiguous',
    );
    const seen = new Set(tuning.inScope.map((q) => q.q));
    assert.ok(!heldout.inScope.some((q) => seen.has(q.q)), 'no question in both sets');
  });

  for (const [set, floors] of [
    [tuning, TUNING_FLOORS],
    [heldout, HELDOUT_FLOORS],
  ] as const) {
    it(`${set.name}: answered top-1 ≥ ${pct(floors.answeredTop1)}, confidently wrong ≤ ${pct(floors.confidentlyWrong)}, shown ≥ ${pct(floors.shown)}, rejected ≥ ${pct(floors.outOfScopeRejected)}`, async () => {
      const r = evaluate(await planner(), set);
      assert.deepEqual(shortfalls(r, floors), [], summary(r));
    });
  }

  describe('the frozen set (never read, never tuned on)', () => {
    const frozen = loadEvalSet('frozen');

    it('is there and big enough: ≥ 300 in scope, ≥ 60 out of scope', () => {
      assert.ok(frozen, 'test/eval/frozen.json');
      assert.ok(frozen.inScope.length >= 300 && frozen.outOfScope.length >= 60);
    });

    // Issue 14's floors, met since the search2 round (answered top-1 90.8 %, confidently wrong 0.8 %, shown
    // 98.9 %, out of scope rejected 97.3 %). Never lower them: a change that breaks them is a regression.
    it(`holds the issue's floors: answered top-1 ≥ ${pct(FROZEN_FLOORS.answeredTop1)}, confidently wrong ≤ ${pct(FROZEN_FLOORS.confidentlyWrong)}, shown ≥ ${pct(FROZEN_FLOORS.shown)}, rejected ≥ ${pct(FROZEN_FLOORS.outOfScopeRejected)}`, async () => {
      const r = evaluate(await planner(), frozen as EvalSet);
      assert.deepEqual(shortfalls(r, FROZEN_FLOORS), [], summary(r));
    });

    it("holds the issue's floors within 5 points with one or two typos in every question", async () => {
      const r = evaluate(await planner(), typoVariant(frozen as EvalSet));
      assert.deepEqual(shortfalls(r, loosen(FROZEN_FLOORS, 5)), [], summary(r));
    });
  });
});
