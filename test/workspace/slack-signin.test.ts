import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blockTexts, FakeSlackApi, findButton, signedPost } from '../helpers/fake-slack.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import type { TestApp } from '../helpers/test-app.js';
import { PEOPLE, TEXTS, workedCase } from './fixtures.js';
import { startWorkspaceApp } from './workspace-app.js';

const SECRET = 'test-signing-secret';
const PUBLIC = 'https://vangnet.school.example';

describe('workspace sign-in from Slack (one-time link by DM, session cookie) and the dossier link in chat', function () {
  this.timeout(30000);
  const temp = tempDirs();
  let api: FakeSlackApi;
  let app: TestApp;
  let clock = Date.parse('2026-03-13T09:00:00Z');

  beforeEach(async () => {
    clock = Date.parse('2026-03-13T09:00:00Z');
    api = await new FakeSlackApi().start();
    app = await startWorkspaceApp(
      {
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: api.url,
        VANGNET_PUBLIC_URL: PUBLIC,
      },
      [workedCase()],
      { now: () => new Date(clock) },
    );
  });
  afterEach(async () => {
    await app.cleanup();
    await api.stop();
  });

  const interaction = (payload: Record<string, unknown>) =>
    signedPost(
      app.url,
      SECRET,
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
      { timestamp: Math.floor(clock / 1000) },
    );

  /** Petra opens the App Home, presses "Werkruimte openen" and gets a DM: the link's path on this server. */
  async function signInLink(user = PEOPLE.petra.slack): Promise<string> {
    await signedPost(
      app.url,
      SECRET,
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        event_id: `Ev${Math.random()}`,
        event_time: 1,
        event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' },
      }),
      'application/json',
      { timestamp: Math.floor(clock / 1000) },
    );
    const home = await api.waitFor((c) => c.method === 'views.publish' && c.args.user_id === user);
    const button = findButton(home.args.view.blocks, 'Werkruimte openen');
    assert.ok(button, 'the App Home links to the workspace');
    const mark = api.calls.length;
    await interaction({
      type: 'block_actions',
      user: { id: user },
      team: { id: 'T1' },
      container: { type: 'view', view_id: 'V1' },
      // Every press has its own trigger id: Slack's retries of one press share it and are acted on once.
      trigger_id: `t-${Math.random()}`,
      actions: [{ type: 'button', action_id: button.action_id, value: button.value }],
    });
    const dm = await api.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        api.calls.indexOf(c) >= mark &&
        c.args.channel === `D${user.slice(1)}`,
    );
    const m = /<(https:\/\/vangnet\.school\.example\/app\/signin\/[A-Za-z0-9_-]+)\|Werkruimte openen>/.exec(
      blockTexts(dm.args.blocks),
    );
    assert.ok(m?.[1], `a sign-in link in the DM: ${blockTexts(dm.args.blocks)}`);
    return m[1].slice(PUBLIC.length);
  }

  /** A Slack user presses "Exporteren voor dossier" on the case card in their DM; Vangnet's answer there. */
  async function pressExport(user: string) {
    const mark = api.calls.length;
    const dm = `D${user.slice(1)}`;
    await interaction({
      type: 'block_actions',
      user: { id: user },
      team: { id: 'T1' },
      channel: { id: dm },
      container: { type: 'message', channel_id: dm, message_ts: '1.1' },
      message: { ts: '1.1' },
      actions: [
        {
          type: 'button',
          action_id: 'case.export#1',
          value: JSON.stringify({ verb: 'case.export', caseId: 'M-2026-0007' }),
        },
      ],
    });
    return api.waitFor((c) => c.method === 'chat.postMessage' && api.calls.indexOf(c) >= mark);
  }

  const post = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('the link works once: it sets an HttpOnly, Secure, SameSite session cookie, and a second use is refused', async () => {
    const link = await signInLink();
    // Opening the link (a preview or scanner may do that) does not use it up.
    assert.equal((await fetch(`${app.url}${link}`)).status, 200);
    const page = await (await fetch(`${app.url}${link}`)).text();
    assert.match(page, /<form method="post"/);

    const first = await post(link);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), '/app/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    assert.match(
      setCookie,
      /^__Host-vangnet-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict/,
    );
    const cookie = setCookie.split(';')[0] as string;

    const me = await fetch(`${app.url}/app/api/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    const body = await me.json();
    assert.equal(body.name, PEOPLE.petra.name);
    assert.deepEqual(body.rights, { expert: true, leadership: true, editor: true });

    const second = await post(link);
    assert.equal(second.status, 410);
    assert.equal(second.headers.get('set-cookie'), null);
    assert.equal((await fetch(`${app.url}${link}`)).status, 410);

    // Changes need the CSRF token and this server as Origin; then signing out ends the session.
    assert.equal((await post('/app/api/signout', { cookie })).status, 403);
    assert.equal(
      (
        await post('/app/api/signout', {
          cookie,
          'x-vangnet-csrf': body.csrf,
          origin: 'https://evil.example',
        })
      ).status,
      403,
    );
    assert.equal(
      (await post('/app/api/signout', { cookie, 'x-vangnet-csrf': body.csrf, origin: PUBLIC })).status,
      200,
    );
    assert.equal((await fetch(`${app.url}/app/api/me`, { headers: { cookie } })).status, 401);
  });

  it('the link expires after 10 minutes, and a session after a working day', async () => {
    const late = await signInLink();
    const fresh = await signInLink();
    clock += 11 * 60_000;
    assert.equal((await fetch(`${app.url}${late}`)).status, 410);
    assert.equal((await post(late)).status, 410);
    clock -= 11 * 60_000;
    const res = await post(fresh);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    assert.equal((await fetch(`${app.url}/app/api/me`, { headers: { cookie } })).status, 200);
    clock += 11 * 3600_000;
    assert.equal((await fetch(`${app.url}/app/api/me`, { headers: { cookie } })).status, 401);
  });

  it('"Exporteren voor dossier" in chat answers with a one-time link to the PDF, for the case\'s expert only', async () => {
    const reply = await pressExport(PEOPLE.meryem.slack);
    const text = blockTexts(reply.args.blocks);
    assert.match(text, /Dossierbestand \(PDF\) voor M-2026-0007/);
    assert.ok(!text.includes('```'), 'no monospace block any more');
    const url = /<(https:\/\/vangnet\.school\.example\/app\/download\/[A-Za-z0-9_-]+)\|PDF downloaden>/.exec(
      text,
    )?.[1];
    assert.ok(url);
    const path = url.slice(PUBLIC.length);
    assert.equal((await fetch(`${app.url}${path}`)).status, 200);
    const pdf = await post(path);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(
      pdf.headers.get('content-disposition') ?? '',
      /attachment; filename="Vangnet-M-2026-0007-vertrouwelijk\.pdf"/,
    );
    const file = join(await temp('vangnet-dl-'), 'd.pdf');
    await writeFile(file, Buffer.from(await pdf.arrayBuffer()));
    assert.ok(
      execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ').includes(TEXTS.note),
    );
    assert.equal((await post(path)).status, 410, 'the download link works once');

    // Someone who is not an expert of the case gets a refusal, and no link.
    const refusal = await pressExport(PEOPLE.ict.slack);
    assert.ok(
      !blockTexts(refusal.args.blocks).includes('/app/download/') &&
        !String(refusal.args.text).includes('/app/download/'),
    );
  });
});
