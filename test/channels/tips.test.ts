import assert from 'node:assert/strict';
import { cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { TeamsUser } from '../helpers/teams-user.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('weekly tips through Teams (fake connector injecting 429, 5xx and 403)', function () {
  this.timeout(30000);
  let connector: FakeConnector;
  let app: TestApp;
  let clock: Date;
  let teacher: TeamsUser;
  const sleeps: number[] = [];
  const channel = (id: string) => ({ id, conversationType: 'channel', tenantId: 'tenant-1' });

  const FAST = {
    concurrency: 2,
    ratePerSecond: { local: 100, teams: 100 },
    maxAttempts: 4,
    baseDelayMs: 1000,
    sleep: async (ms: number) => void sleeps.push(ms),
  };

  beforeEach(async () => {
    clock = new Date('2026-11-23T07:00:00Z'); // Monday 08:00 in Amsterdam
    connector = await new FakeConnector().start();
    app = await startTestApp({}, { now: () => clock, fanOut: FAST });
    teacher = new TeamsUser(
      () => app.url,
      connector,
      '29:teacher-1',
      '00000000-0000-0000-0000-0000000000a1',
      'T. Docent',
    );
  });
  afterEach(async () => {
    await app.cleanup();
    await connector.stop();
  });

  /** The thread of a channel post: Teams gives every thread its own conversation id. */
  const thread = (channelId: string, root: string) => channel(`${channelId};messageid=${root}`);
  /** New posts the bot started in a channel (create-conversation calls with the channel id). */
  const postsIn = (channelId: string) =>
    connector.created.filter(
      (c) => (c as { channelData?: { channel?: { id?: string } } }).channelData?.channel?.id === channelId,
    );

  it('"tips aan" in a thread subscribes the channel; Monday 08:30 the tip is a new post in the channel, once', async () => {
    await teacher.mention('tips aan', thread('19:staff@thread.tacv2', '1001'));
    const on = await connector.waitFor((c) => c.conversationId === '19:staff@thread.tacv2;messageid=1001');
    assert.match(on.body.text ?? '', /elke week een tip \(maandag om 08:30\)/);
    const sub = await app.store.subscriptions.get('teams:19:staff@thread.tacv2');
    assert.equal(sub?.active, true, 'keyed on the channel, not the thread');

    assert.equal((await app.tips.run()).sent, 0, 'not before 08:30');
    clock = new Date('2026-11-23T07:31:00Z');
    const mark = connector.calls.length;
    assert.equal((await app.tips.run()).sent, 1);
    // A new post in the channel (create conversation with the channel id), not a reply in the "tips aan" thread.
    assert.equal(postsIn('19:staff@thread.tacv2').length, 1);
    const tip = connector.calls.slice(mark).find((c) => c.method === 'CREATE');
    assert.ok(tip && tip.conversationId === '19:staff@thread.tacv2');
    assert.ok(
      !connector.calls.slice(mark).some((c) => c.conversationId.includes(';messageid=1001')),
      'nothing in the old thread',
    );
    const texts = cardTexts(FakeConnector.card(tip));
    assert.ok(texts.includes('Tip van de week'));
    assert.ok(texts.includes('Lees meer') && texts.includes('Nuttig?'));
    assert.equal((await app.tips.run()).sent, 0, 'never twice in a week');
  });

  it('"tips aan" in one thread and "tips uit" in another: the channel is unsubscribed', async () => {
    await teacher.mention('tips aan', thread('19:team-b@thread.tacv2', '2001'));
    await connector.waitFor((c) => c.conversationId === '19:team-b@thread.tacv2;messageid=2001');
    await teacher.mention('tips uit', thread('19:team-b@thread.tacv2', '2999'));
    const off = await connector.waitFor((c) => c.conversationId === '19:team-b@thread.tacv2;messageid=2999');
    assert.match(off.body.text ?? '', /geen wekelijkse tips meer/);
    assert.equal((await app.store.subscriptions.get('teams:19:team-b@thread.tacv2'))?.active, false);
    clock = new Date('2026-11-23T07:31:00Z');
    assert.equal((await app.tips.run()).sent, 0);
    assert.equal(postsIn('19:team-b@thread.tacv2').length, 0);
  });

  it('moves a subscription stored under a thread (…;messageid=) to its channel at start-up, keeping its history', async () => {
    await teacher.mention('help', thread('19:old@thread.tacv2', '3001'));
    await connector.waitFor((c) => c.conversationId === '19:old@thread.tacv2;messageid=3001');
    const record = await app.store.conversations.get('teams', '19:old@thread.tacv2');
    assert.ok(record);
    // What an earlier version stored: the subscription and its conversation under the thread's id.
    const oldId = '19:old@thread.tacv2;messageid=3001';
    await app.store.conversations.save({ ...record, conversationId: oldId });
    await app.store.subscriptions.save({
      id: `teams:${oldId}`,
      platform: 'teams',
      conversationId: oldId,
      kind: 'channel',
      subscribedBy: teacher.id,
      createdAt: clock.toISOString(),
      active: true,
      used: ['tip-001'],
      weeks: { '2026-W47': { status: 'sent', tipId: 'tip-001', at: clock.toISOString() } },
      version: 0,
    });
    const first = app;
    await first.stop();
    const restarted = await startTestApp({}, { dataDir: first.dataDir, now: () => clock, fanOut: FAST });
    app = {
      ...restarted,
      cleanup: async () => {
        await restarted.stop();
        await first.cleanup();
      },
    };
    const moved = await app.store.subscriptions.get('teams:19:old@thread.tacv2');
    assert.equal(moved?.active, true);
    assert.deepEqual(moved?.used, ['tip-001']);
    assert.equal((await app.store.subscriptions.get(`teams:${oldId}`))?.endedReason, 'moved');
    clock = new Date('2026-11-23T07:31:00Z');
    assert.equal((await app.tips.run()).sent, 1);
    assert.equal(postsIn('19:old@thread.tacv2').length, 1);
  });

  it('waits as told on 429, retries a 502, and unsubscribes a channel the bot was removed from (403)', async () => {
    await teacher.mention('tips aan', channel('19:a'));
    await teacher.mention('tips aan', channel('19:b'));
    await connector.waitFor((c) => c.conversationId === '19:b');
    clock = new Date('2026-11-23T07:31:00Z');
    // 19:a: 429 with Retry-After: 2, then 502, then fine; 19:b: 403 (the bot was removed from the team).
    connector.failuresFor.set('19:a', [429, 502]);
    connector.failuresFor.set('19:b', [403]);
    const started = Date.now();
    const r = await app.tips.run();
    assert.equal(r.sent, 1);
    assert.equal(r.removed, 1);
    // The Bot Framework SDK honours Retry-After itself before our queue sees the error; either way the wait is kept.
    const waited = Date.now() - started + sleeps.reduce((a, b) => a + b, 0);
    assert.ok(waited >= 2000, `Retry-After honoured: waited ${waited} ms`);
    const subs = await app.store.subscriptions.list();
    assert.equal(subs.filter((s) => s.active).length, 1);
    assert.ok(
      app.logs.some((l) => l.includes('"event":"tips.unsubscribed"') && l.includes('"reason":"removed"')),
    );
    assert.ok(app.logs.some((l) => l.includes('"event":"tips.run"') && l.includes('"sent":1')));
  });

  it('"tip" gives one now; "tips uit" stops them; in a 1:1 chat weekly tips are explained', async () => {
    await teacher.mention('tip', channel('19:c'));
    const now = await connector.waitFor((c) => c.conversationId === '19:c');
    assert.ok(cardTexts(FakeConnector.card(now)).includes('Tip van de week'));
    await teacher.mention('tips aan', channel('19:c'));
    await teacher.mention('tips uit', channel('19:c'));
    await connector.waitFor(
      (c) => c.conversationId === '19:c' && /geen wekelijkse tips meer/.test(c.body.text ?? ''),
    );
    await teacher.say('tips aan');
    await connector.waitFor(
      (c) => c.conversationId === teacher.dm && /voor kanalen en groepschats/.test(c.body.text ?? ''),
    );
  });
});
