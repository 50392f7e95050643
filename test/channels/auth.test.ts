import assert from 'node:assert/strict';
import { FakeBotFrameworkAuth } from '../helpers/fake-bot-framework-auth.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { postActivity, startTestApp, type TestApp, teamsActivity } from '../helpers/test-app.js';

describe('server modes', () => {
  it('local mode listens on 127.0.0.1 only and serves the local chat', async () => {
    const app = await startTestApp();
    try {
      assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${app.url}/`)).status, 200);
    } finally {
      await app.cleanup();
    }
  });

  it('with credentials, refuses Bot Framework requests without a valid token and changes nothing', async () => {
    const connector = await new FakeConnector().start();
    const app = await startTestApp({
      HOST: '127.0.0.1',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'not-used-in-this-test',
      MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
    try {
      const activity = teamsActivity(connector.url, { text: 'help' });
      const noToken = await postActivity(app.url, activity);
      assert.equal(noToken.status, 401);
      const forged = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.',
        },
        body: JSON.stringify(activity),
      });
      assert.equal(forged.status, 401);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(connector.calls.length, 0, 'the bot said nothing');
      assert.equal(
        await app.store.conversations.get('teams', 'a:personal-chat-1'),
        undefined,
        'nothing stored',
      );
      assert.equal((await fetch(`${app.url}/`)).status, 404, 'no local chat with credentials');
      assert.equal((await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST' })).status, 404);
    } finally {
      await app.cleanup();
      await connector.stop();
    }
  });
});

describe('Bot Framework tokens, checked against a fake key server (Entra ID and Bot Framework on loopback)', function () {
  this.timeout(30000);
  const APP_ID = '11111111-2222-3333-4444-555555555555';
  const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
  let keys: FakeBotFrameworkAuth;
  let connector: FakeConnector;
  let app: TestApp;

  before(async () => {
    keys = await new FakeBotFrameworkAuth().start();
    connector = await new FakeConnector().start();
    app = await startTestApp(
      {
        HOST: '127.0.0.1',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'app-secret',
        MicrosoftAppTenantId: TENANT,
      },
      {
        // botbuilder reads the channel's signing keys from this metadata URL instead of login.botframework.com.
        botFramework: {
          openIdMetadataUrl: keys.openIdMetadataUrl,
          credentialsFactory: keys.credentialsFactory(APP_ID, 'app-secret', TENANT),
        },
      },
    );
  });
  after(async () => {
    await app.cleanup();
    await connector.stop();
    await keys.stop();
  });

  const post = (activity: Record<string, unknown>, token: string) =>
    fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(activity),
    });

  /** Runs `fn` and returns what was written to stderr meanwhile. */
  async function stderrDuring(fn: () => Promise<void>): Promise<string> {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      await fn();
    } finally {
      process.stderr.write = original;
    }
    return written.join('');
  }

  it('accepts a token signed with the published key and replies with a token from Entra ID', async () => {
    const activity = teamsActivity(connector.url, { text: 'help' });
    const res = await post(activity, keys.channelToken({ appId: APP_ID, serviceUrl: connector.url }));
    assert.equal(res.status, 200);
    const reply = await connector.waitFor((c) => c.conversationId === 'a:personal-chat-1');
    const token = keys.tokenCalls[0];
    assert.deepEqual(
      { clientId: token?.clientId, secret: token?.clientSecret, tenant: token?.tenant },
      { clientId: APP_ID, secret: 'app-secret', tenant: TENANT },
    );
    assert.equal(token?.scope, 'https://api.botframework.com/.default');
    assert.match(reply.authorization ?? '', /^Bearer ey/);
  });

  it('a forged token under a known key id, or an expired one, gets 401 and nothing on stderr', async () => {
    const before = connector.calls.length;
    const tokens = {
      forged: keys.channelToken({ appId: APP_ID, serviceUrl: connector.url, forged: true }),
      expired: keys.channelToken({ appId: APP_ID, serviceUrl: connector.url, expired: true }),
      'other bot': keys.channelToken({
        appId: '99999999-2222-3333-4444-555555555555',
        serviceUrl: connector.url,
      }),
    };
    for (const [what, token] of Object.entries(tokens)) {
      let status = 0;
      const stderr = await stderrDuring(async () => {
        status = (await post(teamsActivity(connector.url, { text: 'help' }), token)).status;
      });
      assert.equal(status, 401, what);
      assert.equal(stderr, '', `nothing on stderr for the ${what} token`);
    }
    assert.ok(
      app.logs.some((l) => l.includes('teams.unauthorized')),
      'the refusal is logged as a code',
    );
    assert.equal(connector.calls.length, before, 'the bot said nothing');
  });
});
