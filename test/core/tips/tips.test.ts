import assert from 'node:assert/strict';
import { translator } from '../../../src/core/i18n/index.js';
import { silentLogger } from '../../../src/core/logger.js';
import { localDemoSchool, type SchoolConfig } from '../../../src/core/school/school.js';
import { MemoryStore } from '../../../src/core/storage/memory-store.js';
import { fanOut, PostError } from '../../../src/core/tips/fanout.js';
import { decide, expandRanges, isoWeekKey } from '../../../src/core/tips/schedule.js';
import { TipService } from '../../../src/core/tips/service.js';
import type { Outgoing, Platform } from '../../../src/core/types.js';
import { sharedKnowledge } from '../../helpers/test-app.js';

const tipIdOf = (out: Outgoing | undefined) => (out?.kind === 'card' ? String(out.data.tipId) : '');
const MONDAY_0831 = new Date('2026-11-23T07:31:00Z'); // 08:31 in Amsterdam (CET)
const school = (over: Partial<SchoolConfig> = {}): SchoolConfig => ({ ...localDemoSchool('u'), ...over });
const instant = {
  concurrency: 4,
  ratePerSecond: { teams: 1000, slack: 1000, local: 1000 },
  maxAttempts: 4,
  baseDelayMs: 1000,
};

/** A poster that records posts and fails as told, per conversation. */
class FakePoster {
  readonly posts: { conversationId: string; out: Outgoing }[] = [];
  readonly failures = new Map<string, PostError[]>();
  async post(_p: Platform, conversationId: string, out: Outgoing) {
    const f = this.failures.get(conversationId)?.shift();
    if (f) throw f;
    this.posts.push({ conversationId, out });
  }
}

async function setup(over: Partial<SchoolConfig> = {}) {
  const { kb } = await sharedKnowledge();
  const store = new MemoryStore();
  const poster = new FakePoster();
  let now = MONDAY_0831;
  const sleeps: number[] = [];
  const service = () =>
    new TipService({
      store,
      kb,
      poster,
      logger: silentLogger,
      t: translator('nl'),
      school: school(over),
      now: () => now,
      fanOut: { ...instant, sleep: async (ms) => void sleeps.push(ms) },
    });
  return { kb, store, poster, sleeps, service, set: (d: Date) => (now = d) };
}

describe('tip schedule (pure)', () => {
  it('ISO week keys', () => {
    assert.equal(isoWeekKey(2026, 11, 23), '2026-W48');
    assert.equal(isoWeekKey(2027, 1, 1), '2026-W53');
  });

  it('waits before Monday 08:30, sends on the day, skips it afterwards or in a holiday', () => {
    const s = school();
    const none = new Set<string>();
    assert.equal(decide(s, new Date('2026-11-23T07:29:00Z'), none).action, 'wait');
    assert.equal(decide(s, MONDAY_0831, none).action, 'send');
    assert.equal(
      decide(s, new Date('2026-11-23T14:00:00Z'), none).action,
      'send',
      'caught up the same school day',
    );
    assert.equal(decide(s, new Date('2026-11-24T09:00:00Z'), none).action, 'missed', 'not the next day');
    assert.equal(
      decide(s, MONDAY_0831, expandRanges([{ from: '2026-11-21', to: '2026-11-29' }])).action,
      'holiday',
    );
    assert.equal(
      decide(school({ tips: { day: 3, minutes: 14 * 60 } }), MONDAY_0831, none).action,
      'wait',
      'configurable moment',
    );
  });
});

describe('TipService', () => {
  it('posts one tip a week per subscribed channel, never twice, and rotates without repeats', async () => {
    const { store, poster, service, set, kb } = await setup();
    const tips = service();
    assert.equal(await tips.subscribe('teams', '19:c1', 'channel', 'u1'), 'on');
    assert.equal(await tips.subscribe('teams', '19:c1', 'channel', 'u1'), 'already');
    assert.equal((await tips.run()).sent, 1);
    assert.equal((await tips.run()).sent, 0, 'not twice in the same week');
    const seen = new Set<string>();
    const level = kb.tips.filter((t) => t.levels.includes('vo')).length;
    for (let w = 0; w < level; w++) {
      set(new Date(MONDAY_0831.getTime() + w * 7 * 86_400_000));
      await tips.run();
    }
    for (const p of poster.posts.slice(0, level)) seen.add(String(tipIdOf(p.out)));
    assert.equal(seen.size, level, 'every tip of the level once before any repeats');
    const sub = await store.subscriptions.get('teams:19:c1');
    assert.ok(Object.values(sub?.weeks ?? {}).every((w) => w.status === 'sent'));
  });

  it('matches the school level', async () => {
    const { poster, service, kb } = await setup({ level: 'po' });
    const tips = service();
    await tips.subscribe('teams', '19:c1', 'channel', 'u1');
    await tips.run();
    const id = tipIdOf(poster.posts[0]?.out);
    assert.ok(kb.tips.find((t) => t.id === id)?.levels.includes('po'));
  });

  it('skips school holidays and runs missed while down; catches up the same school day once', async () => {
    const { poster, service, set, store } = await setup({
      holidays: [{ from: '2026-11-30', to: '2026-12-04' }],
    });
    const tips = service();
    await tips.subscribe('teams', '19:c1', 'channel', 'u1');
    set(new Date('2026-11-23T13:00:00Z')); // down at 08:30, started at 14:00: caught up
    assert.equal((await tips.run()).sent, 1);
    set(new Date('2026-11-30T07:31:00Z')); // holiday week
    assert.equal((await tips.run()).sent, 0);
    set(new Date('2026-12-08T09:00:00Z')); // down all Monday, back Tuesday: skipped
    assert.equal((await tips.run()).sent, 0);
    const weeks = (await store.subscriptions.get('teams:19:c1'))?.weeks ?? {};
    assert.deepEqual(
      Object.values(weeks).map((w) => w.status),
      ['sent', 'skipped-holiday', 'skipped-missed'],
    );
    assert.equal(poster.posts.length, 1);
  });

  it("skips the holidays of the school's region", async () => {
    const { kb } = await sharedKnowledge();
    const poster = new FakePoster();
    const store = new MemoryStore();
    const tips = new TipService({
      store,
      kb,
      poster,
      logger: silentLogger,
      t: translator('nl'),
      school: school({ region: 'zuid' }),
      now: () => MONDAY_0831,
      fanOut: { ...instant, sleep: async () => {} },
      regional: { noord: [], midden: [], zuid: [{ from: '2026-11-21', to: '2026-11-29' }] },
    });
    await tips.subscribe('teams', 'x', 'channel', 'u');
    assert.equal((await tips.run()).skipped, 1);
    assert.equal(poster.posts.length, 0);
  });

  it('never posts twice after a crash mid-run: a claimed week is not posted again', async () => {
    const { poster, service, store } = await setup();
    const first = service();
    await first.subscribe('teams', '19:c1', 'channel', 'u1');
    await first.subscribe('teams', '19:c2', 'channel', 'u1');
    // The process dies after claiming c1's week but before posting it.
    const sub = await store.subscriptions.get('teams:19:c1');
    assert.ok(sub);
    await store.subscriptions.save({
      ...sub,
      weeks: { '2026-W48': { status: 'claimed', tipId: 'tip-001', at: MONDAY_0831.toISOString() } },
    });
    const restarted = service();
    const r = await restarted.run();
    assert.equal(r.sent, 1);
    assert.deepEqual(
      poster.posts.map((p) => p.conversationId),
      ['19:c2'],
    );
  });

  it('fan-out: waits as told on 429, retries 5xx with backoff, unsubscribes a removed channel', async () => {
    const { poster, service, sleeps, store } = await setup();
    const tips = service();
    for (const c of ['a', 'b', 'c']) await tips.subscribe('teams', c, 'channel', 'u1');
    poster.failures.set('a', [new PostError('rate-limited', '429', 2000)]);
    poster.failures.set('b', [new PostError('transient', '502'), new PostError('transient', 'timeout')]);
    poster.failures.set('c', [new PostError('gone', '403')]);
    const r = await tips.run();
    assert.deepEqual(r, { sent: 2, retried: 3, failed: 0, removed: 1, skipped: 0 });
    assert.ok(
      sleeps.some((ms) => ms >= 2000 && ms <= 2500),
      `waited Retry-After plus jitter: ${sleeps}`,
    );
    assert.ok(
      sleeps.some((ms) => ms >= 1000 && ms < 1250) && sleeps.some((ms) => ms >= 2000),
      'exponential backoff',
    );
    assert.equal((await store.subscriptions.get('teams:c'))?.active, false);
  });
});

describe('fanOut', () => {
  it('keeps to the rate limit per platform (ideal time = n / rate)', async () => {
    let virtual = 0;
    const jobs = Array.from({ length: 50 }, (_, i) => i);
    const r = await fanOut(
      jobs,
      () => 'teams',
      async () => {},
      {
        concurrency: 8,
        ratePerSecond: { teams: 100 },
        maxAttempts: 3,
        baseDelayMs: 100,
        sleep: async (ms) => {
          virtual += ms;
        },
      },
    );
    assert.equal(r.sent.length, 50);
    assert.ok(virtual >= 450, `paced: ${virtual} ms of waiting for 50 posts at 100/s`);
  });
});
