import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { FakeBotFrameworkAuth } from '../helpers/fake-bot-framework-auth.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { blockTexts, FakeSlackApi } from '../helpers/fake-slack.js';
import { SLACK_SECRET, SlackWorkspace } from '../helpers/slack-workspace.js';
import { startTestApp, type TestApp, teamsActivity } from '../helpers/test-app.js';

// ws ships without types in the version Slack's socket-mode client uses; only a few calls are needed here.
type WsServer = {
  on(event: 'connection', fn: (socket: { send(data: string): void }) => void): void;
  once(event: 'listening', fn: () => void): void;
  address(): { port: number };
  close(fn: () => void): void;
  clients: Set<{ terminate(): void }>;
};
const { Server: WebSocketServer } = createRequire(import.meta.url)('ws') as {
  Server: new (opts: { port: number; host: string }) => WsServer;
};

/** A port where nothing listens (yet). */
async function freePort(): Promise<number> {
  const probe = await new FakeSlackApi().start();
  const port = Number(new URL(probe.url).port);
  await probe.stop();
  return port;
}

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

describe('Slack unreachable at start (Teams and Slack on one server)', function () {
  this.timeout(30000);
  let keys: FakeBotFrameworkAuth;
  let connector: FakeConnector;
  let api: FakeSlackApi | undefined;
  let app: TestApp | undefined;

  before(async () => {
    keys = await new FakeBotFrameworkAuth().start();
    connector = await new FakeConnector().start();
  });
  after(async () => {
    await app?.cleanup();
    await api?.stop();
    await connector.stop();
    await keys.stop();
  });

  it('keeps Teams answering, retries Slack with backoff, and serves Slack once it is back', async () => {
    // A port where the Slack API will be, with nothing listening yet.
    const port = await freePort();

    app = await startTestApp(
      {
        HOST: '127.0.0.1',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'app-secret',
        MicrosoftAppTenantId: TENANT,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      },
      {
        botFramework: {
          openIdMetadataUrl: keys.openIdMetadataUrl,
          credentialsFactory: keys.credentialsFactory(APP_ID, 'app-secret', TENANT),
        },
      },
    );
    const down = await app.waitForLog('slack.unavailable');
    assert.equal(typeof down.reason, 'string', 'the reason is logged');
    assert.ok(Number(down.retryInMs) > 0, 'and when Slack is tried again');

    // Teams answers while Slack is down.
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${keys.channelToken({ appId: APP_ID, serviceUrl: connector.url })}`,
      },
      body: JSON.stringify(teamsActivity(connector.url, { text: 'help' })),
    });
    assert.equal(res.status, 200);
    await connector.waitFor((c) => c.conversationId === 'a:personal-chat-1');

    // Slack's events wait (503: Slack delivers them again later) until its Web API answers.
    const slack = new SlackWorkspace(new FakeSlackApi(), () => (app as TestApp).url, SLACK_SECRET);
    await assert.rejects(slack.dm('help'), /503/);

    api = await new FakeSlackApi().start(port);
    await app.waitForLog('slack.connected', 10_000);
    const workspace = new SlackWorkspace(api, () => (app as TestApp).url, SLACK_SECRET);
    await workspace.dm('help');
    assert.match(blockTexts((await workspace.posted('DTEACH')).args.blocks), /Vangnet/);
  });

  it('Socket Mode: starts without Slack, and connects once the Slack API answers', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', r));
    const connected = new Promise<void>((resolve) =>
      wss.on('connection', (socket) => {
        // Slack's first message on a Socket Mode connection; the client counts as connected after it.
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
        resolve();
      }),
    );
    const port = await freePort();
    const socketApp = await startTestApp({
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_APP_TOKEN: 'xapp-1-socket',
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
    });
    const socketApi = new FakeSlackApi({ socketUrl: `ws://127.0.0.1:${wss.address().port}/link` });
    try {
      await socketApp.waitForLog('slack.unavailable');
      assert.equal((await fetch(`${socketApp.url}/healthz`)).status, 200, 'the server runs');
      await socketApi.start(port);
      await socketApp.waitForLog('slack.connected', 10_000);
      await connected;
    } finally {
      await socketApp.cleanup();
      await socketApi.stop();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    }
  });
});
