import assert from 'node:assert/strict';
import { FakeEntra } from '../helpers/fake-entra.js';
import type { TestApp } from '../helpers/test-app.js';
import { PEOPLE, TEACHERS, workedCase } from './fixtures.js';
import { startWorkspaceApp, teamsEnv } from './workspace-app.js';

/** Anna's open bullying case, for the aanspreekpunt pesten (Jan). */
const annasCase = workedCase({
  id: 'M-2026-0020',
  status: 'open',
  closedAt: undefined,
  outcome: undefined,
  assignee: undefined,
  reporter: {
    platform: 'teams',
    userId: TEACHERS.anna.botId,
    aadObjectId: TEACHERS.anna.teams,
    name: 'Anna',
  },
  roles: ['aanspreekpunt-pesten'],
  recipients: [PEOPLE.jan.id],
  timeline: [{ at: '2026-03-09T08:05:00.000Z', by: 'reporter', action: 'created' }],
});

describe('workspace API: nobody reaches a case that is not theirs', () => {
  let entra: FakeEntra;
  let app: TestApp;

  before(async () => {
    entra = await new FakeEntra().start();
    app = await startWorkspaceApp(teamsEnv(entra), [annasCase]);
  });
  after(async () => {
    await app?.cleanup();
    await entra?.stop();
  });

  const call = async (oid: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await entra.token(oid)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  /** Every route that takes a case id, with a valid request body. */
  const caseRoutes = (id: string): [string, string, unknown?][] => [
    ['GET', `/app/api/cases/${id}`],
    ['POST', `/app/api/cases/${id}/actions`, { kind: 'take' }],
    ['POST', `/app/api/cases/${id}/actions`, { kind: 'ask', text: 'Wie was erbij?' }],
    ['POST', `/app/api/cases/${id}/actions`, { kind: 'handover', target: 'role:schoolleiding', text: 'x' }],
    ['POST', `/app/api/cases/${id}/actions`, { kind: 'close', outcome: 'opgelost', text: 'x' }],
    ['POST', `/app/api/cases/${id}/actions`, { kind: 'note', text: 'x' }],
    ['POST', `/app/api/cases/${id}/export`],
  ];

  it('another teacher, and an expert of another role, get the same 404 as for a case that does not exist', async () => {
    for (const oid of [TEACHERS.bram.teams, PEOPLE.ict.teams]) {
      for (const [method, path, body] of caseRoutes('M-2026-0020')) {
        const theirs = await call(oid, method, path, body);
        const none = await call(oid, method, path.replace('M-2026-0020', 'M-2026-9999'));
        assert.equal(theirs.status, 404, `${method} ${path}`);
        // Nothing tells a case that exists from one that does not.
        assert.equal(theirs.text, none.text);
        assert.equal(theirs.text, '{"code":"NotFound"}');
      }
      for (const view of ['mine', 'queue']) {
        const list = JSON.parse((await call(oid, 'GET', `/app/api/cases?view=${view}`)).text);
        assert.deepEqual(list.items, [], `${view} is empty`);
      }
    }
    // Odd ids are not looked up at all.
    assert.equal((await call(PEOPLE.jan.teams, 'GET', '/app/api/cases/__proto__')).status, 404);
    assert.equal((await call(PEOPLE.jan.teams, 'GET', '/app/api/cases/constructor')).status, 404);
  });

  it('the reporter sees their report, but the expert actions answer 403', async () => {
    const anna = TEACHERS.anna.teams;
    assert.equal((await call(anna, 'GET', '/app/api/cases/M-2026-0020')).status, 200);
    for (const [method, path, body] of caseRoutes('M-2026-0020').slice(1)) {
      const res = await call(anna, method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.text, '{"code":"Forbidden"}');
    }
  });

  it('the overview and the knowledge page are for schoolleiding and admins only', async () => {
    for (const oid of [TEACHERS.bram.teams, PEOPLE.jan.teams]) {
      assert.equal((await call(oid, 'GET', '/app/api/overview')).status, 403);
      assert.equal((await call(oid, 'GET', '/app/api/overview.csv')).status, 403);
      assert.equal((await call(oid, 'GET', '/app/api/knowledge')).status, 403);
      assert.equal((await call(oid, 'GET', '/app/api/cases?view=all')).status, 403);
    }
    assert.equal((await call(PEOPLE.petra.teams, 'GET', '/app/api/overview')).status, 200);
    const csv = await call(PEOPLE.petra.teams, 'GET', '/app/api/overview.csv?from=2026-01&to=2026-12');
    assert.equal(csv.status, 200);
    assert.match(csv.text, /2026-03;Online pesten;1/);
    assert.ok(!csv.text.includes('Klas 2B'), 'no descriptions in the CSV');
    assert.equal((await call(PEOPLE.petra.teams, 'GET', '/app/api/overview?from=2026-13&to=x')).status, 400);
  });

  it("the case's expert may act, and case text never reaches the logs", async () => {
    const taken = await call(PEOPLE.jan.teams, 'POST', '/app/api/cases/M-2026-0020/actions', {
      kind: 'take',
    });
    assert.equal(taken.status, 200);
    assert.equal(JSON.parse(taken.text).case.status, 'taken');
    const again = await call(PEOPLE.jan.teams, 'POST', '/app/api/cases/M-2026-0020/actions', {
      kind: 'take',
    });
    assert.equal(again.status, 409);
    const logs = app.logs.join('\n');
    assert.ok(!logs.includes('Klas 2B') && !logs.includes('Wie was erbij'));
  });
});
