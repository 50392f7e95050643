import assert from 'node:assert/strict';
import { buttonData, cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { postActivity, startTestApp, type TestApp, teamsActivity } from '../helpers/test-app.js';

describe('Teams channel (fake Bot Framework connector on loopback)', () => {
  let app: TestApp;
  let connector: FakeConnector;

  beforeEach(async () => {
    connector = await new FakeConnector().start();
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.cleanup();
    await connector.stop();
  });

  it('answers a question in a personal chat with an answer card, as a reply to the message', async () => {
    const activity = teamsActivity(connector.url, { text: 'er gaat een naaktfoto rond in de klassenapp' });
    const res = await postActivity(app.url, activity);
    assert.equal(res.status, 200);
    const call = await connector.waitFor((c) => c.conversationId === 'a:personal-chat-1');
    assert.equal(call.activityId, activity.id, 'replies to the incoming activity');
    const card = FakeConnector.card(call);
    assert.ok(card, 'an Adaptive Card attachment');
    assert.equal(card.type, 'AdaptiveCard');
    const texts = cardTexts(card);
    assert.ok(
      texts.some((t) => /naaktbeeld/i.test(t)),
      `card is about naaktbeelden: ${texts.slice(0, 2)}`,
    );
    assert.ok(texts.includes('Lees meer'));
    assert.ok(texts.includes('Melding maken'), 'incident topics offer "Melding maken"');
  });

  it('acts once on an activity the Bot Framework delivers twice (a retry after a slow answer)', async () => {
    const activity = teamsActivity(connector.url, { text: 'mijn insta is gehackt' });
    assert.equal((await postActivity(app.url, activity)).status, 200);
    await connector.waitFor((c) => c.conversationId === 'a:personal-chat-1');
    assert.equal((await postActivity(app.url, activity)).status, 200, 'the retry is acknowledged');
    await app.waitForLog('teams.duplicate');
    assert.equal(
      connector.calls.filter((c) => c.conversationId === 'a:personal-chat-1').length,
      1,
      'one answer',
    );
    // Another activity in the same conversation is answered as usual.
    await postActivity(app.url, teamsActivity(connector.url, { text: 'help' }));
    await connector.waitFor((c) => c.conversationId === 'a:personal-chat-1' && c.activityId !== activity.id);
  });

  it('follows a card button click (Action.Submit) with the next reply', async () => {
    await postActivity(app.url, teamsActivity(connector.url, { text: 'account van leerling gehackt' }));
    const first = await connector.waitFor(() => true);
    const data = buttonData(FakeConnector.card(first), 'Lees meer');
    assert.deepEqual(data, { verb: 'kb.article', slug: 'gehackt-account' });

    await postActivity(app.url, teamsActivity(connector.url, { text: undefined, value: data }));
    const second = await connector.waitFor((c) => c !== first);
    const texts = cardTexts(FakeConnector.card(second));
    assert.ok(texts.includes('Wat doe je nu'), 'the full article shows its sections');
    assert.ok(texts.includes('Wat doe je niet'));
  });

  it('handles Action.Execute (adaptiveCard/action invoke) with an invoke response', async () => {
    const invoke = teamsActivity(connector.url, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      text: undefined,
      value: { action: { type: 'Action.Execute', verb: 'kb.article', data: { slug: 'sextortion' } } },
    });
    const res = await postActivity(app.url, invoke);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { statusCode: number };
    assert.equal(body.statusCode, 200);
    const call = await connector.waitFor(() => true);
    assert.ok(cardTexts(FakeConnector.card(call)).some((t) => /sextortion|chantage/i.test(t)));
  });

  it('strips its own @mention in a channel and answers there; ignores channel messages without a mention', async () => {
    const channelConv = {
      id: '19:channel@thread.tacv2;messageid=1',
      conversationType: 'channel',
      tenantId: 't',
    };
    await postActivity(
      app.url,
      teamsActivity(connector.url, {
        conversation: channelConv,
        text: '<at>Vangnet</at> bedreiging op tiktok',
        entities: [
          { type: 'mention', text: '<at>Vangnet</at>', mentioned: { id: '28:vangnet-bot', name: 'Vangnet' } },
        ],
      }),
    );
    const call = await connector.waitFor((c) => c.conversationId === channelConv.id);
    assert.ok(cardTexts(FakeConnector.card(call)).some((t) => /bedreig/i.test(t)));

    const before = connector.calls.length;
    await postActivity(
      app.url,
      teamsActivity(connector.url, { conversation: channelConv, text: 'gewoon een bericht' }),
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connector.calls.length, before, 'no reply without a mention');
  });

  it('answers in a group chat when mentioned', async () => {
    const conv = { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true };
    await postActivity(
      app.url,
      teamsActivity(connector.url, {
        conversation: conv,
        text: '<at>Vangnet</at> help',
        entities: [{ type: 'mention', text: '<at>Vangnet</at>', mentioned: { id: '28:vangnet-bot' } }],
      }),
    );
    const call = await connector.waitFor((c) => c.conversationId === conv.id);
    assert.ok(cardTexts(FakeConnector.card(call)).includes('Hoi, ik ben Vangnet'));
  });

  it('stores conversation references for later proactive messages', async () => {
    await postActivity(app.url, teamsActivity(connector.url, { text: 'help' }));
    await connector.waitFor(() => true);
    const rec = await app.store.conversations.get('teams', 'a:personal-chat-1');
    assert.ok(rec);
    assert.equal(rec.kind, 'personal');
    assert.equal(rec.userId, '29:teacher-1');
    assert.equal((rec.reference as { serviceUrl: string }).serviceUrl, connector.url);
    const personal = await app.store.conversations.findPersonal('teams', '29:teacher-1');
    assert.equal(personal?.conversationId, 'a:personal-chat-1');
  });

  it('greets a user who installs the bot in a personal chat', async () => {
    await postActivity(
      app.url,
      teamsActivity(connector.url, {
        type: 'conversationUpdate',
        text: undefined,
        membersAdded: [{ id: '28:vangnet-bot' }],
      }),
    );
    const call = await connector.waitFor(() => true);
    assert.ok(cardTexts(FakeConnector.card(call)).includes('Hoi, ik ben Vangnet'));
  });

  it('logs a connector failure without the message text, and keeps serving', async () => {
    connector.failures.push(403);
    const secret = 'leerling Jantje de Vries naaktfoto';
    await postActivity(app.url, teamsActivity(connector.url, { text: secret }));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(
      app.logs.some((l) => l.includes('teams.turn_error') || l.includes('bot.turn_failed')),
      'failure is logged',
    );
    assert.ok(!app.logs.join('\n').includes('Jantje'), 'no message text in logs');
    connector.failures.length = 0;
    await postActivity(app.url, teamsActivity(connector.url, { text: 'help' }));
    await connector.waitFor(() => true);
  });

  it('refuses malformed requests with a 4xx and no crash', async () => {
    const bad = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", ',
    });
    assert.equal(bad.status, 400);
    const wrongType = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    assert.equal(wrongType.status, 415);
    const health = await fetch(`${app.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });
});
