import assert from 'node:assert/strict';
import type { CasePolicy } from '../../../src/core/cases/decide.js';
import { alarmCase, caseFromFlow } from '../../../src/core/cases/new-case.js';
import { type FlowState, startFlow } from '../../../src/core/escalation/flow.js';
import { shippedCatalog } from '../../helpers/catalog.js';

const { catalog } = shippedCatalog();
const NOW = new Date('2026-11-23T09:00:00.000Z');
const policy: CasePolicy = {
  roles: {
    'aanspreekpunt-pesten': { holders: ['apc'], backup: [] },
    schoolleiding: { holders: ['lead'], backup: [] },
    'bevoegd-gezag': { holders: ['board'], backup: [] },
  },
  admins: [],
  isPerson: () => true,
  takeUpDeadline: (now) => new Date(now.getTime() + 15 * 60_000),
  stepInterval: () => 15 * 60_000,
  ladder: ['reminder'],
};
const school = { routing: {}, crisisTeam: ['crisis'] };

function flow(over: Partial<FlowState>): FlowState {
  return {
    ...startFlow({ id: 'f1', platform: 'teams', reporterId: 'u1', reporterName: 'T. Docent', now: NOW }),
    ...over,
  };
}

describe('new cases', () => {
  it('the alarm goes to the schoolleiding and the crisis team, urgent, details to follow', () => {
    const { draft, notices } = alarmCase(flow({ danger: true, urgent: true }), ['crisis'], policy, NOW);
    assert.equal(draft.pending, true);
    assert.equal(draft.urgent, true);
    assert.equal(draft.description, '');
    assert.deepEqual(draft.recipients, ['lead', 'crisis']);
    assert.deepEqual(
      notices.map((n) => n.to),
      ['lead', 'crisis'],
    );
  });

  it('a report in acute danger whose alarm could not go out still reaches the schoolleiding and crisis team', () => {
    const f = flow({
      danger: true,
      urgent: true,
      type: 'online-pesten',
      involved: 'pupil',
      description: 'x',
    });
    const { draft } = caseFromFlow(f, catalog, school, policy, NOW);
    assert.deepEqual(draft.roles, ['schoolleiding', 'aanspreekpunt-pesten']);
    assert.deepEqual(draft.recipients, ['lead', 'crisis', 'apc']);
  });

  it('… but a meldplicht report never goes to the crisis team', () => {
    const f = flow({ danger: true, urgent: true, type: 'grooming', involved: 'staff', description: 'x' });
    const { draft } = caseFromFlow(f, catalog, school, policy, NOW);
    assert.equal(draft.meldplicht, true);
    assert.deepEqual(draft.recipients, ['lead', 'board']);
  });

  it('without danger: only the routed roles; a datalek carries its 72-hour clock', () => {
    const f = flow({ danger: false, type: 'online-pesten', involved: 'pupil', description: 'x' });
    assert.deepEqual(caseFromFlow(f, catalog, school, policy, NOW).draft.recipients, ['apc']);
    const leak = flow({ danger: false, type: 'datalek', involved: 'unknown', description: 'x' });
    assert.equal(
      caseFromFlow(leak, catalog, school, policy, NOW).draft.legalDeadlineAt,
      '2026-11-26T09:00:00.000Z',
    );
  });
});
