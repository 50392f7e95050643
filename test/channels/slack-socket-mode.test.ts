import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { blockTexts, FakeSlackApi } from '../helpers/fake-slack.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// ws ships without types in the version Slack's socket-mode client uses; only a few calls are needed here.
type Socket = { send(data: string): void; on(event: 'message', fn: (data: Buffer) => void): void };
type Server = {
  on(event: 'connection', fn: (socket: Socket) => void): void;
  once(event: 'listening', fn: () => void): void;
  address(): AddressInfo;
  close(fn: () => void): void;
  clients: Set<{ terminate(): void }>;
};
const { Server: WebSocketServer } = createRequire(import.meta.url)('ws') as {
  Server: new (opts: { port: number; host: string }) => Server;
};

describe('Slack Socket Mode (fake Slack API and WebSocket server)', function () {
  this.timeout(30000);
  let api: FakeSlackApi;
  let wss: Server;
  let app: TestApp;
  let socket: Socket | undefined;
  const acks: string[] = [];

  before(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', r));
    const connected = new Promise<void>((resolve) => {
      wss.on('connection', (s) => {
        socket = s;
        s.on('message', (data) => {
          const msg = JSON.parse(data.toString()) as { envelope_id?: string };
          if (msg.envelope_id) acks.push(msg.envelope_id);
        });
        s.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            connection_info: { app_id: 'A1' },
            debug_info: {},
          }),
        );
        resolve();
      });
    });
    api = await new FakeSlackApi({ socketUrl: `ws://127.0.0.1:${wss.address().port}/link` }).start();
    app = await startTestApp({
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-socket',
      SLACK_APP_TOKEN: 'xapp-1-socket',
      SLACK_API_URL: api.url,
    });
    await connected;
  });
  after(async () => {
    await app?.cleanup();
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await api.stop();
  });

  it('connects with the app token, acknowledges envelopes and answers a mention in its thread', async () => {
    const open = await api.waitFor((c) => c.method === 'apps.connections.open');
    assert.equal(open.token, 'xapp-1-socket');
    socket?.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        payload: {
          type: 'event_callback',
          team_id: 'T1',
          event_id: 'Ev1',
          event: {
            type: 'app_mention',
            user: 'UTEACH',
            text: '<@UBOT> bedreiging op tiktok',
            channel: 'C9',
            ts: '9.9',
          },
        },
      }),
    );
    const reply = await api.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C9');
    assert.equal(reply.args.thread_ts, '9.9');
    assert.match(blockTexts(reply.args.blocks), /[Bb]edreiging/);
    assert.ok(acks.includes('env-1'), 'the envelope was acknowledged');
    assert.equal(
      (await fetch(`${app.url}/slack/events`, { method: 'POST' })).status,
      404,
      'no HTTP endpoint in Socket Mode',
    );
  });
});
