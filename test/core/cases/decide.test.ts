import assert from 'node:assert/strict';
import { type CasePolicy, decide, type EscalationStep } from '../../../src/core/cases/decide.js';
import type { CaseRecord } from '../../../src/core/cases/model.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');

function policy(ladder: readonly EscalationStep[], backup: string[] = ['vp']): CasePolicy {
  return {
    roles: {
      'aanspreekpunt-pesten': { holders: ['apc'], backup },
      schoolleiding: { holders: ['lead'], backup: [] },
    },
    admins: [],
    isPerson: (id) => ['apc', 'vp', 'lead'].includes(id),
    takeUpDeadline: (now) => new Date(now.getTime() + 3600_000),
    stepInterval: () => 15 * 60_000,
    ladder,
  };
}

function openCase(over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'M-2026-0001',
    version: 1,
    status: 'open',
    type: 'online-pesten',
    urgent: true,
    danger: false,
    meldplicht: false,
    description: 'x',
    checked: [],
    reporter: { platform: 'slack', userId: 'U1' },
    roles: ['aanspreekpunt-pesten'],
    recipients: ['apc'],
    createdAt: '2026-11-23T09:00:00.000Z',
    deadlineAt: '2026-11-23T09:15:00.000Z',
    escalation: 0,
    timeline: [],
    cards: [],
    ...over,
  };
}

const system = { kind: 'system' } as const;
const id = () => 'ref-1';

describe('decide: the escalation ladder is data', () => {
  it("takes the school's steps in order, each with the next deadline, the last without one", () => {
    const p = policy(['reminder', 'backups', 'schoolleiding']);
    let c = openCase();
    const seen: [string, string[], string | undefined][] = [];
    for (let i = 0; i < 3; i++) {
      const d = decide(c, { kind: 'deadline' }, system, p, NOW, id);
      assert.ok(d.ok);
      seen.push([
        d.next.timeline.at(-1)?.action ?? '',
        d.notices.map((n) => `${n.kind}:${n.to}`),
        d.next.deadlineAt,
      ]);
      c = { ...d.next, deadlineAt: d.next.deadlineAt && '2026-11-23T09:00:00.000Z' };
    }
    assert.deepEqual(seen, [
      ['reminder', ['reminder:apc'], '2026-11-23T10:15:00.000Z'],
      ['escalated', ['case-card:vp'], '2026-11-23T10:15:00.000Z'],
      ['escalated', ['case-card:lead'], undefined],
    ]);
  });

  it('a school that goes straight to the schoolleiding, and a step that reaches nobody new is skipped', () => {
    const direct = decide(openCase(), { kind: 'deadline' }, system, policy(['schoolleiding']), NOW, id);
    assert.ok(direct.ok);
    assert.deepEqual(direct.notices, [{ kind: 'case-card', to: 'lead' }]);
    const noBackups = decide(
      openCase({ escalation: 1 }),
      { kind: 'deadline' },
      system,
      policy(['reminder', 'backups', 'schoolleiding'], []),
      NOW,
      id,
    );
    assert.ok(noBackups.ok);
    assert.deepEqual(
      noBackups.notices,
      [{ kind: 'case-card', to: 'lead' }],
      'no backups: on to the schoolleiding',
    );
    assert.equal(noBackups.next.escalation, 3);
  });

  it('refuses a deadline step for a case that is not due or no longer open: a take-up wins', () => {
    const p = policy(['reminder']);
    assert.deepEqual(decide(openCase({ status: 'taken' }), { kind: 'deadline' }, system, p, NOW, id), {
      ok: false,
      reason: 'not-due',
    });
    assert.deepEqual(
      decide(openCase({ deadlineAt: '2026-11-23T11:00:00.000Z' }), { kind: 'deadline' }, system, p, NOW, id),
      { ok: false, reason: 'not-due' },
    );
  });

  it('who may do what: experts act, the reporter only answers, the clock only steps', () => {
    const p = policy(['reminder']);
    const c = openCase();
    assert.equal(decide(c, { kind: 'take' }, { kind: 'reporter' }, p, NOW, id).ok, false);
    assert.equal(decide(c, { kind: 'take' }, { kind: 'expert', personId: 'lead' }, p, NOW, id).ok, false);
    assert.equal(
      decide(c, { kind: 'take' }, { kind: 'expert', personId: 'vp' }, p, NOW, id).ok,
      true,
      'a backup',
    );
    assert.equal(decide(c, { kind: 'deadline' }, { kind: 'expert', personId: 'apc' }, p, NOW, id).ok, false);
    assert.deepEqual(decide(c, { kind: 'answer', text: 'x' }, { kind: 'reporter' }, p, NOW, id), {
      ok: false,
      reason: 'no-open-question',
    });
  });
});
