import assert from 'node:assert/strict';
import { FakeEntra } from '../helpers/fake-entra.js';
import type { TestApp } from '../helpers/test-app.js';
import { PEOPLE, TEACHERS, workedCase } from './fixtures.js';
import { startWorkspaceApp, teamsEnv } from './workspace-app.js';

describe('workspace sign-in in Teams (tab SSO against a fake Entra ID on loopback)', () => {
  let entra: FakeEntra;
  let app: TestApp;
  const teamsCase = workedCase({
    id: 'M-2026-0010',
    status: 'taken',
    closedAt: undefined,
    outcome: undefined,
    reporter: {
      platform: 'teams',
      userId: TEACHERS.anna.botId,
      aadObjectId: TEACHERS.anna.teams,
      name: 'Anna',
    },
    roles: ['aanspreekpunt-pesten'],
    recipients: [PEOPLE.jan.id],
    assignee: PEOPLE.jan.id,
  });

  before(async () => {
    entra = await new FakeEntra().start();
    app = await startWorkspaceApp(teamsEnv(entra), [teamsCase]);
  });
  after(async () => {
    await app?.cleanup();
    await entra?.stop();
  });

  const get = (path: string, token?: string) =>
    fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('accepts a token signed by the published key, for this app and tenant, and maps oid to the school person', async () => {
    const res = await get('/app/api/me', await entra.token(PEOPLE.jan.teams));
    assert.equal(res.status, 200);
    const me = await res.json();
    assert.equal(me.name, PEOPLE.jan.name);
    assert.equal(me.via, 'teams');
    assert.deepEqual(me.rights, { expert: true, leadership: false, editor: false });
    assert.ok(entra.fetches >= 1, 'the keys came from the JWKS endpoint');
    // The Application ID URI of the tab (api://<host>/<app id>) is an accepted audience too.
    const uri = await entra.token(
      PEOPLE.jan.teams,
      {},
      { audience: `api://vangnet.school.example/${entra.appId}` },
    );
    assert.equal((await get('/app/api/me', uri)).status, 200);
    // The expert sees the case routed to them.
    const queue = await (await get('/app/api/cases?view=queue', await entra.token(PEOPLE.jan.teams))).json();
    assert.deepEqual(
      queue.items.map((i: { id: string }) => i.id),
      ['M-2026-0010'],
    );
  });

  it('refuses with 401 a token with a wrong audience, issuer, tenant, signature, scope or expiry, and no token', async () => {
    const oid = PEOPLE.jan.teams;
    const wrong = {
      audience: await entra.token(oid, {}, { audience: '99999999-9999-4999-8999-999999999999' }),
      issuer: await entra.token(oid, {}, { issuer: 'https://login.microsoftonline.com/other/v2.0' }),
      tenant: await entra.token(oid, { tid: '99999999-2222-4333-8444-555555555555' }),
      signature: await entra.token(oid, {}, { foreignKey: true }),
      expired: await entra.token(
        oid,
        { iat: Math.floor(Date.now() / 1000) - 7200 },
        { expiresIn: Math.floor(Date.now() / 1000) - 3600 },
      ),
      scope: await entra.token(oid, { scp: 'User.Read' }),
      garbage: 'not.a.token',
    };
    for (const [what, token] of Object.entries(wrong)) {
      const res = await get('/app/api/me', token);
      assert.equal(res.status, 401, what);
      assert.deepEqual(await res.json(), { code: 'Unauthenticated' }, `${what}: nothing but a code`);
      assert.equal((await get('/app/api/cases/M-2026-0010', token)).status, 401, what);
    }
    assert.equal((await get('/app/api/me')).status, 401);
    // Refusals are logged by code, never with the token.
    const logged = app.logs.filter((l) => l.includes('workspace.token_refused'));
    assert.ok(logged.length >= Object.keys(wrong).length);
    assert.ok(!app.logs.some((l) => l.includes(wrong.signature.slice(0, 40))));
  });

  it("a teacher (not in the school configuration) sees their own report, found through their chat with Vangnet, and nobody else's", async () => {
    const anna = await entra.token(TEACHERS.anna.teams);
    const mine = await (await get('/app/api/cases?view=mine', anna)).json();
    assert.deepEqual(
      mine.items.map((i: { id: string }) => i.id),
      ['M-2026-0010'],
    );
    const detail = await (await get('/app/api/cases/M-2026-0010', anna)).json();
    assert.equal(detail.sight, 'reporter');
    assert.equal(detail.actions, undefined);
    const bram = await entra.token(TEACHERS.bram.teams);
    assert.deepEqual((await (await get('/app/api/cases?view=mine', bram)).json()).items, []);
    assert.equal((await get('/app/api/cases/M-2026-0010', bram)).status, 404);
    assert.equal((await get('/app/api/cases?view=all', bram)).status, 403);
  });

  it('lets Teams frame the workspace page, and nobody else', async () => {
    const res = await fetch(`${app.url}/app/api/me`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors https:\/\/teams\.microsoft\.com/);
    assert.ok(!csp.includes("frame-ancestors 'none'"));
  });
});
