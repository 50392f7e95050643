import assert from 'node:assert/strict';
import { FakeConnector } from '../helpers/fake-connector.js';
import { FakeSlackApi, signedPost } from '../helpers/fake-slack.js';
import { postActivity, startTestApp, type TestApp, teamsActivity } from '../helpers/test-app.js';

const SECRET = 'hostile-secret';
const SECRET_TEXT = 'Jantje-de-Vries-geheim';

/** Nothing that looks like a stack trace or the secret user text in a response body or a log line. */
function assertClean(text: string, where: string) {
  assert.ok(!/\n\s+at .+\(.+:\d+:\d+\)/.test(text), `stack trace in ${where}: ${text.slice(0, 300)}`);
  assert.ok(!text.includes(SECRET_TEXT), `user text in ${where}`);
}

describe('hostile input (Teams, Slack and local endpoints)', function () {
  this.timeout(30000);
  let connector: FakeConnector;
  let slack: FakeSlackApi;
  let app: TestApp;

  before(async () => {
    connector = await new FakeConnector().start();
    slack = await new FakeSlackApi().start();
    // Local mode for the Bot Framework endpoint and the local chat; Slack is not local, so test it separately below.
    app = await startTestApp({ MAX_BODY_BYTES: '65536' });
  });
  after(async () => {
    await app.cleanup();
    await connector.stop();
    await slack.stop();
  });
  afterEach(() => {
    for (const line of app.logs) assertClean(line, 'logs');
  });

  const raw = (path: string, body: string, type = 'application/json') =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('malformed, truncated, wrongly typed and oversized bodies get a clear 4xx, and nothing breaks', async () => {
    const cases: [string, string, number][] = [
      ['{"type": "message", "text": ', 'application/json', 400],
      ['not json at all', 'application/json', 400],
      ['[1,2,3]', 'application/json', 400],
      ['"a string"', 'application/json', 400],
      ['{"type":"message"}', 'text/plain', 415],
      ['{"type":"message"}', 'application/x-www-form-urlencoded', 415],
      [JSON.stringify({ type: 'message', text: 'x'.repeat(80_000) }), 'application/json', 413],
    ];
    for (const [body, type, status] of cases) {
      const res = await raw('/api/messages', body, type);
      assert.equal(res.status, status, `${type} ${body.slice(0, 30)}`);
      assertClean(await res.text(), 'response');
    }
    assert.deepEqual(await (await fetch(`${app.url}/healthz`)).json(), { status: 'ok' });
  });

  it('activities with missing or wrong fields are refused; unknown types are ignored', async () => {
    const base = teamsActivity(connector.url, { text: SECRET_TEXT });
    const broken = [
      { ...base, type: undefined },
      { ...base, conversation: undefined },
      { ...base, conversation: { id: 42 } },
      { ...base, serviceUrl: 'javascript:alert(1)' },
      { ...base, from: 'nobody' },
      { ...base, text: { nested: true } },
    ];
    for (const a of broken) {
      const res = await postActivity(app.url, a);
      assert.equal(res.status, 400, JSON.stringify(a).slice(0, 80));
      assertClean(await res.text(), 'response');
    }
    const before = connector.calls.length;
    const unknown = await postActivity(app.url, { ...base, type: 'somethingNew' });
    assert.equal(unknown.status, 200);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(connector.calls.length, before, 'no reply to an unknown activity type');
  });

  it('hostile text gets a polite answer and is never rendered as markup or template', async () => {
    const texts = [
      'x'.repeat(100_000).slice(0, 60_000),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder typed by a user, on purpose
      '${labels.askExpert} {{7*7}} <script>alert(1)</script> **vet** [link](https://evil)',
      '<at>Iedereen</at> @channel <!channel> <@U123>',
      '\u202eevil\u202c \u200b\u200d \u0000 🧨👩‍👩‍👧 ﷽ 𝕳𝖆𝖈𝖐',
      `${SECRET_TEXT} naaktfoto`,
    ];
    for (const text of texts) {
      const mark = connector.calls.length;
      const res = await postActivity(app.url, teamsActivity(connector.url, { text }));
      assert.equal(res.status, 200);
      const reply = await connector.waitFor((c) => connector.calls.indexOf(c) >= mark);
      const body = JSON.stringify(reply.body);
      assert.ok(!body.includes('<script>'), 'no user markup in the reply');
      // An evaluated "{{7*7}}" would stand as a bare 49; ids ("in-249") and timestamps ("…:49.1Z") hold 49 too,
      // depending on how many tests ran before, so only a 49 on its own counts.
      assert.ok(
        !body.includes('{{7*7}}') || !/(?<![\w:.-])49(?![\w:.-])/.test(body),
        'templates are not evaluated',
      );
    }
    assert.deepEqual(await (await fetch(`${app.url}/healthz`)).json(), { status: 'ok' });
  });

  it('forged card submissions (unknown verbs, prototype keys, huge values, wrong types) get a polite refusal', async () => {
    const values = [
      { verb: 'case.take', caseId: '__proto__' },
      { verb: 'case.take', caseId: 'M-2026-9999' },
      { verb: 'kb.article', slug: { toString: 'x' } },
      { verb: 'kb.article', slug: 'a'.repeat(10_000) },
      { verb: 'flow.step', flowId: '../../../../etc/passwd', rev: 'NaN', event: 'submit' },
      { verb: 'settings.save', role: 'schoolleiding', holders: ['__proto__'] },
      { verb: 'x'.repeat(5000) },
      { verb: 'constructor' },
    ];
    for (const value of values) {
      const mark = connector.calls.length;
      const res = await postActivity(app.url, teamsActivity(connector.url, { text: undefined, value }));
      assert.equal(res.status, 200);
      const reply = await connector.waitFor((c) => connector.calls.indexOf(c) >= mark);
      assert.equal(
        typeof reply.body.text,
        'string',
        `a text refusal for ${JSON.stringify(value).slice(0, 50)}`,
      );
      assertClean(JSON.stringify(reply.body), 'reply');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  });

  it('the local Direct Line refuses bad tokens, unknown conversations and malformed activities', async () => {
    const start = await startLocalConversation(app.url);
    const url = `${app.url}/v3/directline/conversations/${start.conversationId}/activities`;
    const bad = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(bad.status, 403);
    const unknown = await fetch(`${app.url}/v3/directline/conversations/nope/activities`, {
      headers: { authorization: `Bearer ${start.token}` },
    });
    assert.equal(unknown.status, 404);
    const malformed = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${start.token}`, 'content-type': 'application/json' },
      body: '[]',
    });
    assert.equal(malformed.status, 400);
  });

  it('the local connector emulation takes "bot" messages only with the conversation\'s key', async () => {
    const start = await startLocalConversation(app.url);
    const forged = { type: 'message', text: 'Forged bot message: click https://evil.example' };
    const post = (path: string) =>
      fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(forged),
      });
    const id = encodeURIComponent(start.conversationId);
    assert.equal((await post(`/local/v3/conversations/${id}/activities`)).status, 404, 'no keyless route');
    assert.equal((await post(`/local/wrong-key/v3/conversations/${id}/activities`)).status, 403);
    assert.equal(
      (await post(`/local/${start.token}/v3/conversations/${id}/activities`)).status,
      403,
      'not the client token',
    );
    // The welcome arrives through the bot's own key; the forged text never does.
    const stream = async () =>
      (await (
        await fetch(`${app.url}/v3/directline/conversations/${id}/activities`, {
          headers: { authorization: `Bearer ${start.token}` },
        })
      ).json()) as { activities: { from?: { role?: string }; text?: string; attachments?: unknown[] }[] };
    for (let i = 0; i < 100 && !(await stream()).activities.some((a) => a.attachments?.length); i++)
      await new Promise((r) => setTimeout(r, 50)); // polls for the welcome card, as Web Chat does
    const { activities } = await stream();
    assert.ok(
      activities.some((a) => a.attachments?.length),
      'the welcome card came',
    );
    assert.ok(!activities.some((a) => a.text?.includes('Forged')), 'nothing forged in the stream');
  });
});

describe('hostile input (Slack endpoint)', function () {
  this.timeout(30000);
  let api: FakeSlackApi;
  let app: TestApp;
  before(async () => {
    api = await new FakeSlackApi().start();
    app = await startTestApp({
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-t',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: api.url,
      MAX_BODY_BYTES: '65536',
    });
  });
  after(async () => {
    await app.cleanup();
    await api.stop();
  });

  it('refuses unsigned, malformed and oversized requests; no Bot Framework endpoint without Microsoft credentials', async () => {
    const big = JSON.stringify({
      type: 'event_callback',
      event: { type: 'app_mention', text: 'x'.repeat(80_000) },
    });
    assert.equal((await signedPost(app.url, SECRET, big, 'application/json')).status, 413);
    const badPayload = await signedPost(
      app.url,
      SECRET,
      'payload=%7Bnot-json',
      'application/x-www-form-urlencoded',
    );
    assert.equal(badPayload.status, 400);
    assert.equal((await signedPost(app.url, SECRET, '[1]', 'application/json')).status, 400);
    const noBf = await postActivity(app.url, teamsActivity('http://127.0.0.1:1', { text: 'hoi' }));
    assert.equal(noBf.status, 404, 'no unauthenticated Bot Framework traffic on a Slack-only server');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(api.calls.filter((c) => c.method.startsWith('chat.')).length, 0);
    for (const line of app.logs) assertClean(line, 'logs');
  });
});

/** A new conversation on the local Direct Line, as the chat page starts one. */
async function startLocalConversation(appUrl: string): Promise<{ conversationId: string; token: string }> {
  const res = await fetch(`${appUrl}/v3/directline/conversations`, { method: 'POST' });
  return (await res.json()) as { conversationId: string; token: string };
}
