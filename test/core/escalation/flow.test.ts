import assert from 'node:assert/strict';
import { parseCatalog } from '../../../src/core/escalation/catalog.js';
import {
  checklistKeys,
  type FlowEvent,
  type FlowState,
  firstSteps,
  MAX_DESCRIPTION,
  routeCase,
  startFlow,
  transition,
} from '../../../src/core/escalation/flow.js';
import { shippedCatalog } from '../../helpers/catalog.js';

const { catalog, problems } = shippedCatalog();
const now = new Date('2026-11-23T09:00:00Z');
const ctx = { catalog, now };

function run(state: FlowState, ...events: FlowEvent[]) {
  let s = state;
  const effects = [];
  for (const event of events) {
    const r = transition(s, { event, rev: s.rev }, ctx);
    s = r.state;
    effects.push(...r.effects);
  }
  return { state: s, effects };
}

const fresh = () => startFlow({ id: 'f1', platform: 'teams', reporterId: 'u1', now });

describe('escalation flow (pure state machine)', () => {
  it('the shipped catalog is valid: every type links an article and routes to real roles', () => {
    assert.deepEqual(problems, []);
    assert.ok(catalog.types.size >= 11);
    for (const id of [
      'online-pesten',
      'bedreiging',
      'naaktbeelden',
      'sextortion',
      'gehackt-account',
      'nepaccount',
      'cyberstalking',
      'discriminatie',
      'grooming',
      'berichten-over-personeel',
      'anders',
    ]) {
      assert.ok(catalog.types.has(id), id);
    }
  });

  it('walks danger → type → involved → checklist → description → review → submit', () => {
    const { state, effects } = run(
      fresh(),
      { kind: 'danger', value: false },
      { kind: 'type', value: 'online-pesten' },
      { kind: 'involved', value: 'pupil' },
      { kind: 'checklist', checked: ['do-0', 'do-2'] },
      { kind: 'description', text: '  Klas 2B, J. wordt in de groepsapp uitgescholden.  ' },
      { kind: 'submit' },
    );
    assert.equal(state.status, 'submitted');
    assert.equal(state.urgent, false);
    assert.deepEqual(state.checked, ['do-0', 'do-2']);
    assert.equal(state.description, 'Klas 2B, J. wordt in de groepsapp uitgescholden.');
    assert.deepEqual(effects.at(-1), { kind: 'create-case' });
    assert.equal(state.rev, 7);
  });

  it('types marked urgent (sextortion, grooming, threats) make the case urgent', () => {
    const { state } = run(fresh(), { kind: 'danger', value: false }, { kind: 'type', value: 'sextortion' });
    assert.equal(state.urgent, true);
  });

  it('rejects a click from an outdated card (stale revision) and changes nothing', () => {
    const s1 = run(fresh(), { kind: 'danger', value: false }).state;
    const r = transition(s1, { event: { kind: 'danger', value: true }, rev: 1 }, ctx);
    assert.equal(r.state, s1);
    assert.deepEqual(r.effects, [{ kind: 'rejected', reason: 'stale' }, { kind: 'show-step' }]);
  });

  it('rejects forged values: unknown type, involved or checklist keys, wrong step', () => {
    const atType = run(fresh(), { kind: 'danger', value: false }).state;
    for (const event of [
      { kind: 'type', value: 'bestaat-niet' },
      { kind: 'involved', value: 'pupil' },
      { kind: 'submit' },
    ] as FlowEvent[]) {
      const r = transition(atType, { event, rev: atType.rev }, ctx);
      assert.equal(r.state, atType);
      assert.deepEqual(r.effects[0], { kind: 'rejected', reason: 'invalid' });
    }
    const atChecklist = run(
      atType,
      { kind: 'type', value: 'gehackt-account' },
      { kind: 'involved', value: 'staff' },
    ).state;
    const r = transition(
      atChecklist,
      { event: { kind: 'checklist', checked: ['do-0', 'do-99'] }, rev: atChecklist.rev },
      ctx,
    );
    assert.deepEqual(r.effects[0], { kind: 'rejected', reason: 'invalid' });
  });

  it('requires a description and caps its length; strips control characters', () => {
    const at = run(
      fresh(),
      { kind: 'danger', value: false },
      { kind: 'type', value: 'anders' },
      { kind: 'involved', value: 'unknown' },
      { kind: 'checklist', checked: [] },
    ).state;
    assert.deepEqual(
      transition(at, { event: { kind: 'description', text: '  ' }, rev: at.rev }, ctx).effects[0],
      {
        kind: 'rejected',
        reason: 'empty-description',
      },
    );
    const long = 'x'.repeat(MAX_DESCRIPTION + 1);
    assert.deepEqual(
      transition(at, { event: { kind: 'description', text: long }, rev: at.rev }, ctx).effects[0],
      {
        kind: 'rejected',
        reason: 'too-long',
      },
    );
    const ok = transition(at, { event: { kind: 'description', text: 'a\u0000b\u202ec' }, rev: at.rev }, ctx);
    assert.equal(ok.state.description, 'abc');
  });

  it('goes back a step, keeps answers, and drops checklist ticks when the type changes', () => {
    const s = run(
      fresh(),
      { kind: 'danger', value: false },
      { kind: 'type', value: 'online-pesten' },
      { kind: 'involved', value: 'pupil' },
      { kind: 'checklist', checked: ['do-0'] },
    ).state;
    assert.equal(s.step, 'description');
    const back = run(s, { kind: 'back' }, { kind: 'back' }, { kind: 'back' }).state;
    assert.equal(back.step, 'type');
    assert.equal(back.involved, 'pupil');
    assert.deepEqual(run(back, { kind: 'type', value: 'online-pesten' }).state.checked, ['do-0']);
    assert.deepEqual(run(back, { kind: 'type', value: 'nepaccount' }).state.checked, []);
    assert.deepEqual(transition(fresh(), { event: { kind: 'back' }, rev: 1 }, ctx).effects[0], {
      kind: 'rejected',
      reason: 'invalid',
    });
  });

  it('"Stoppen" asks first; throwing the report away keeps nothing, after which nothing more happens', () => {
    const asked = run(fresh(), { kind: 'danger', value: false }, { kind: 'stop' });
    assert.equal(asked.state.status, 'active');
    assert.equal(asked.state.confirmingStop, true);
    // While it asks, nothing else is taken.
    const other = transition(
      asked.state,
      { event: { kind: 'type', value: 'anders' }, rev: asked.state.rev },
      ctx,
    );
    assert.equal(other.state, asked.state);
    const { state, effects } = run(
      { ...asked.state, description: 'iets' },
      { kind: 'stop-confirmed', keepDraft: false },
    );
    assert.equal(state.status, 'cancelled');
    assert.equal(state.description, undefined);
    assert.deepEqual(effects.at(-1), { kind: 'cancelled' });
    const r = transition(state, { event: { kind: 'type', value: 'anders' }, rev: state.rev }, ctx);
    assert.deepEqual(r.effects, [{ kind: 'rejected', reason: 'closed' }]);
  });

  it('"Stoppen en bewaren" keeps the draft where it was; "Verder" goes back to the step', () => {
    const at = run(fresh(), { kind: 'danger', value: false }, { kind: 'type', value: 'online-pesten' });
    const kept = run(at.state, { kind: 'stop' }, { kind: 'stop-confirmed', keepDraft: true });
    assert.equal(kept.state.status, 'active');
    assert.equal(kept.state.step, 'involved');
    assert.equal(kept.state.confirmingStop, false);
    assert.deepEqual(kept.effects.at(-1), { kind: 'paused' });
    const resumed = run(at.state, { kind: 'stop' }, { kind: 'resume' });
    assert.equal(resumed.state.confirmingStop, false);
    assert.equal(resumed.state.step, 'involved');
    // A confirmation nobody was asked for is refused.
    assert.deepEqual(run(at.state, { kind: 'stop-confirmed', keepDraft: false }).effects[0], {
      kind: 'rejected',
      reason: 'invalid',
    });
  });

  it('"Ja, acuut gevaar" raises the alarm at once and marks the report urgent', () => {
    const { state, effects } = run(fresh(), { kind: 'danger', value: true });
    assert.equal(state.urgent, true);
    assert.equal(state.step, 'type');
    assert.deepEqual(effects, [{ kind: 'raise-alarm' }, { kind: 'show-step' }]);
    assert.ok(!run(fresh(), { kind: 'danger', value: false }).effects.some((e) => e.kind === 'raise-alarm'));
  });

  it('says what is missing instead of "invalid"', () => {
    const at = run(fresh(), { kind: 'danger', value: false });
    assert.deepEqual(run(at.state, { kind: 'type', value: '' }).effects[0], {
      kind: 'rejected',
      reason: 'missing-type',
    });
    const typed = run(at.state, { kind: 'type', value: 'online-pesten' });
    assert.deepEqual(run(typed.state, { kind: 'involved', value: '' }).effects[0], {
      kind: 'rejected',
      reason: 'missing-involved',
    });
  });

  it('only what to do can be ticked; what not to do is never a checkbox', () => {
    const t = catalog.types.get('naaktbeelden');
    assert.ok(t);
    assert.deepEqual(
      checklistKeys(catalog, 'naaktbeelden', 'pupil'),
      t.do.map((_, i) => `do-${i}`),
    );
    assert.deepEqual(checklistKeys(catalog, undefined), []);
    const at = run(
      fresh(),
      { kind: 'danger', value: false },
      { kind: 'type', value: 'naaktbeelden' },
      { kind: 'involved', value: 'pupil' },
    );
    assert.deepEqual(run(at.state, { kind: 'checklist', checked: ['dont-0'] }).effects[0], {
      kind: 'rejected',
      reason: 'invalid',
    });
  });

  it("the meldplicht path has its own first steps, not the type's", () => {
    const staff = firstSteps(catalog, 'grooming', 'staff');
    assert.equal(staff.meldplicht, true);
    assert.deepEqual(staff.do, catalog.meldplicht.do);
    assert.match(staff.do.map((x) => x.nl).join(' '), /bevoegd gezag/);
    assert.doesNotMatch(staff.do.map((x) => x.nl).join(' '), /ouders en de politie/);
    assert.match(staff.dont.map((x) => x.nl).join(' '), /ouders/);
    assert.equal(firstSteps(catalog, 'grooming', 'pupil').meldplicht, false);
  });
});

describe('routeCase', () => {
  it('routes by the table: pesten → aanspreekpunt pesten, hacked → ICT + FG, threat → schoolleiding', () => {
    assert.deepEqual(routeCase(catalog, 'online-pesten', 'pupil').roles, ['aanspreekpunt-pesten']);
    assert.deepEqual(routeCase(catalog, 'gehackt-account', 'unknown').roles, ['ict', 'fg']);
    assert.deepEqual(routeCase(catalog, 'bedreiging', 'external').roles, ['schoolleiding']);
  });

  it('a staff member in a sexual matter takes the meldplicht path to the bevoegd gezag', () => {
    for (const type of ['naaktbeelden', 'sextortion', 'grooming']) {
      const r = routeCase(catalog, type, 'staff');
      assert.equal(r.meldplicht, true);
      assert.equal(r.roles[0], 'bevoegd-gezag');
    }
    assert.equal(routeCase(catalog, 'online-pesten', 'staff').meldplicht, false);
  });

  it('a staff member involved in anything else also brings in the schoolleiding', () => {
    assert.deepEqual(routeCase(catalog, 'online-pesten', 'staff').roles, [
      'aanspreekpunt-pesten',
      'schoolleiding',
    ]);
    assert.deepEqual(routeCase(catalog, 'online-pesten', 'pupil').roles, ['aanspreekpunt-pesten']);
    assert.deepEqual(routeCase(catalog, 'bedreiging', 'staff').roles, ['schoolleiding']);
  });

  it('a data breach goes to the FG and ICT with a 72-hour clock', () => {
    assert.deepEqual(routeCase(catalog, 'datalek', 'unknown').roles, ['fg', 'ict']);
    assert.equal(catalog.types.get('datalek')?.reportWithinHours, 72);
  });

  it('acute situations have their own urgent types', () => {
    for (const id of ['zelfdoding', 'dreiging-school', 'vermist'])
      assert.equal(catalog.types.get(id)?.urgent, true, id);
    assert.equal(catalog.types.get('deepfake')?.sexual, true);
  });

  it('a school override replaces the routing of a type', () => {
    assert.deepEqual(
      routeCase(catalog, 'online-pesten', 'pupil', { 'online-pesten': ['zorgcoordinator'] }).roles,
      ['zorgcoordinator'],
    );
  });

  it('catalog validation reports bad roles, missing texts and unknown articles', () => {
    const bad = parseCatalog(
      'types:\n  x:\n    label: { nl: X }\n    article: nergens\n    routing: [koning]\n    do: []\n    dont: []\n',
      () => false,
    ).problems.join('\n');
    for (const re of [
      /label needs a Dutch \(nl\) and an English \(en\)/,
      /article "nergens" is not an article/,
      /unknown roles koning/,
      /"anders"/,
    ]) {
      assert.match(bad, re);
    }
  });
});
