import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CaseRecord, FlowRecord, OutboxItem } from '../../src/core/cases/model.js';
import { ConflictError } from '../../src/core/errors.js';
import { startFlow } from '../../src/core/escalation/flow.js';
import { MAX_FORM_CARDS, type NewCase, type Store } from '../../src/core/storage/store.js';
import type { TipSubscription } from '../../src/core/tips/model.js';

/** A store under test: a fresh empty one, and (for persistent stores) the same data opened again. */
export interface StoreHarness {
  readonly store: Store;
  /** Closes this store and opens the same data again. */
  reopen?(): Promise<Store>;
  cleanup(): Promise<void>;
}

const T0 = '2026-11-23T09:00:00.000Z';

function flowRecord(id: string, reporterId = 'U1'): FlowRecord {
  return { ...startFlow({ id, platform: 'slack', reporterId, now: new Date(T0) }), version: 0 };
}

function outboxItem(caseId: string, over: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: randomUUID(),
    caseId,
    kind: 'case-card',
    to: 'apc',
    attempts: 0,
    nextAttemptAt: T0,
    createdAt: T0,
    ...over,
  };
}

/** A case to create, numbered from the year's sequence, with `outbox` notifications. */
export function newCase(formId: string, over: Partial<CaseRecord> = {}, outbox = 1): NewCase {
  return {
    sequence: 'case-2026',
    formId,
    build: (seq) => {
      const id = `M-2026-${String(seq).padStart(4, '0')}`;
      return {
        record: {
          id,
          status: 'open',
          type: 'online-pesten',
          urgent: false,
          danger: false,
          meldplicht: false,
          description: 'K.L. wordt gepest',
          checked: [],
          reporter: { platform: 'slack', userId: 'U1' },
          roles: ['aanspreekpunt-pesten'],
          recipients: ['apc'],
          createdAt: T0,
          deadlineAt: '2026-11-24T11:00:00.000Z',
          escalation: 0,
          timeline: [{ at: T0, by: 'reporter', action: 'created' }],
          cards: [],
          ...over,
        },
        outbox: Array.from({ length: outbox }, () => outboxItem(id)),
      };
    },
  };
}

function subscription(id: string): TipSubscription {
  return {
    id,
    platform: 'teams',
    conversationId: id,
    kind: 'channel',
    subscribedBy: 'u',
    createdAt: T0,
    active: true,
    used: [],
    weeks: {},
    version: 0,
  };
}

const isConflict = (err: unknown) => err instanceof ConflictError;

/**
 * The one contract every store passes: in memory, the embedded lowdb file and PostgreSQL. The concurrency cases
 * fire real parallel calls at the store and check that exactly one wins.
 */
export function storeContract(open: () => Promise<StoreHarness>): void {
  let h: StoreHarness;
  let store: Store;
  beforeEach(async () => {
    h = await open();
    store = h.store;
  });
  afterEach(async () => {
    await h.cleanup();
  });

  describe('cases', () => {
    it('creates a case with its notifications, numbered from the sequence', async () => {
      const { record, created } = await store.cases.create(newCase('form-a'));
      assert.equal(created, true);
      assert.equal(record.id, 'M-2026-0001');
      assert.equal(record.version, 1);
      assert.equal(record.formId, 'form-a');
      assert.deepEqual(await store.cases.get(record.id), record);
      assert.deepEqual(await store.cases.findByForm('form-a'), record);
      assert.equal((await store.outbox.list()).length, 1);
    });

    it('create once: the same form sent ten times at once makes one case, and no number is lost', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.cases.create(newCase('form-x'))),
      );
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.record.id)).size, 1);
      assert.equal((await store.cases.list()).length, 1);
      assert.equal((await store.outbox.list()).length, 1, 'only the winner queued notifications');
      const next = await store.cases.create(newCase('form-y'));
      assert.equal(next.record.id, 'M-2026-0002', 'the losers did not use up numbers');
    });

    it('gives twenty concurrent cases twenty different numbers', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.cases.create(newCase(`f-${i}`))),
      );
      const ids = results.map((r) => r.record.id).sort();
      assert.equal(new Set(ids).size, 20);
      assert.equal(ids[0], 'M-2026-0001');
      assert.equal(ids[19], 'M-2026-0020');
    });

    it('marks the flow as sent in the same write, and refuses a flow changed in between', async () => {
      const flow = await store.flows.create(flowRecord('11111111-1111-4111-8111-111111111111'));
      const submitted = { ...flow, status: 'submitted' as const, description: undefined };
      const { record } = await store.cases.create({ ...newCase(flow.id), flow: submitted });
      const stored = await store.flows.get(flow.id);
      assert.equal(stored?.status, 'submitted');
      assert.equal(stored?.version, 2);
      assert.equal(record.formId, flow.id);
      // A second submit with the old version finds the case, whatever it carries.
      const again = await store.cases.create({ ...newCase(flow.id), flow: submitted });
      assert.deepEqual([again.created, again.record.id], [false, record.id]);

      const other = await store.flows.create(flowRecord('22222222-2222-4222-8222-222222222222', 'U2'));
      await store.flows.update({ ...other, step: 'type' });
      await assert.rejects(
        store.cases.create({ ...newCase(other.id), flow: { ...other, status: 'submitted' } }),
        isConflict,
      );
      assert.equal(await store.cases.findByForm(other.id), undefined, 'no case without its flow change');
      assert.equal((await store.cases.list()).length, 1);
    });

    it('conditional update: of two changes decided on the same version, exactly one wins', async () => {
      const { record } = await store.cases.create(newCase('form-a', {}, 0));
      const take = (who: string) =>
        store.cases.update({ ...record, status: 'taken', assignee: who }, [
          outboxItem(record.id, { to: who }),
        ]);
      const results = await Promise.allSettled([take('apc'), take('vp')]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(lost && isConflict(lost.reason), 'the loser gets a conflict');
      const stored = await store.cases.get(record.id);
      assert.equal(stored?.version, 2);
      assert.equal((await store.outbox.list()).length, 1, "the loser's notification was not queued");
      assert.equal((await store.outbox.list())[0]?.to, stored?.assignee);
    });

    it('an update of a case that does not exist is a conflict', async () => {
      const built = newCase('x').build(99).record;
      await assert.rejects(store.cases.update({ ...built, version: 1 }), isConflict);
    });

    it('drops the undelivered notifications of a case when asked (anonymisation)', async () => {
      const { record } = await store.cases.create(newCase('form-a', {}, 2));
      const other = await store.cases.create(newCase('form-b', {}, 1));
      await store.cases.update({ ...record, description: '' }, [], { dropOutbox: true });
      const left = await store.outbox.list();
      assert.deepEqual(
        left.map((o) => o.caseId),
        [other.record.id],
      );
    });

    it('queries: by reporter, status, due deadlines, closed before, creation window; newest first', async () => {
      const mk = async (form: string, over: Partial<CaseRecord>) =>
        (await store.cases.create(newCase(form, over, 0))).record;
      const a = await mk('a', {
        createdAt: '2026-11-01T10:00:00.000Z',
        deadlineAt: '2026-11-02T11:00:00.000Z',
      });
      const b = await mk('b', {
        createdAt: '2026-11-02T10:00:00.000Z',
        reporter: { platform: 'teams', userId: 'T9' },
        status: 'taken',
        deadlineAt: undefined,
      });
      const c = await mk('c', {
        createdAt: '2026-11-03T10:00:00.000Z',
        status: 'closed',
        closedAt: '2026-11-04T10:00:00.000Z',
        deadlineAt: undefined,
      });
      const ids = (list: readonly CaseRecord[]) => list.map((x) => x.id);
      assert.deepEqual(ids(await store.cases.list()), [c.id, b.id, a.id]);
      assert.deepEqual(ids(await store.cases.list({ reporter: { platform: 'teams', userId: 'T9' } })), [
        b.id,
      ]);
      assert.deepEqual(ids(await store.cases.list({ status: ['open', 'taken'] })), [b.id, a.id]);
      assert.deepEqual(ids(await store.cases.list({ dueBy: '2026-11-02T11:00:00.000Z' })), [a.id]);
      assert.deepEqual(ids(await store.cases.list({ dueBy: '2026-11-02T10:59:00.000Z' })), []);
      assert.deepEqual(ids(await store.cases.list({ closedBefore: '2026-11-05T00:00:00.000Z' })), [c.id]);
      assert.deepEqual(ids(await store.cases.list({ closedBefore: '2026-11-04T00:00:00.000Z' })), []);
      assert.deepEqual(
        ids(
          await store.cases.list({
            createdFrom: '2026-11-02T00:00:00.000Z',
            createdTo: '2026-11-03T00:00:00.000Z',
          }),
        ),
        [b.id],
      );
      assert.deepEqual(ids(await store.cases.list({ limit: 2 })), [c.id, b.id]);
      await store.cases.update({ ...c, anonymised: true });
      assert.deepEqual(ids(await store.cases.list({ closedBefore: '2026-11-05T00:00:00.000Z' })), []);
    });
  });

  describe('outbox', () => {
    it('two workers claiming at once never get the same notification', async () => {
      await store.cases.create(newCase('form-a', {}, 12));
      const [x, y] = await Promise.all([
        store.outbox.claimDue(T0, 'worker-x', 60_000, 8),
        store.outbox.claimDue(T0, 'worker-y', 60_000, 8),
      ]);
      const xs = new Set(x.map((o) => o.id));
      assert.ok(!y.some((o) => xs.has(o.id)), 'no item claimed twice');
      assert.equal(x.length + y.length, 12);
      assert.deepEqual(await store.outbox.claimDue(T0, 'worker-z', 60_000, 8), [], 'all held');
    });

    it('claims only due items, expire after the lease, and only the holder completes', async () => {
      const { record } = await store.cases.create(newCase('form-a', {}, 0));
      await store.cases.update(record, [
        outboxItem(record.id, { nextAttemptAt: '2026-11-23T10:00:00.000Z' }),
      ]);
      assert.equal((await store.outbox.claimDue(T0, 'x', 60_000, 5)).length, 0, 'not due yet');
      const later = '2026-11-23T10:00:00.000Z';
      const [item] = await store.outbox.claimDue(later, 'x', 60_000, 5);
      assert.ok(item);
      assert.equal(item.claimedBy, 'x');
      assert.equal((await store.outbox.claimDue(later, 'y', 60_000, 5)).length, 0, 'held by x');
      const expired = '2026-11-23T10:01:01.000Z';
      const [taken] = await store.outbox.claimDue(expired, 'y', 60_000, 5);
      assert.equal(taken?.id, item.id, "x's claim expired; y takes it over");
      assert.equal(await store.outbox.complete(item.id, 'x'), false, 'x no longer holds it');
      assert.equal(await store.outbox.complete(item.id, 'y'), true);
      assert.equal((await store.outbox.list()).length, 0);
    });

    it('completes with the case change in one write; a stale case change leaves the item queued', async () => {
      const { record } = await store.cases.create(newCase('form-a', {}, 2));
      const [a, b] = await store.outbox.claimDue(T0, 'x', 60_000, 5);
      assert.ok(a && b);
      const ref = { platform: 'slack' as const, conversationId: 'D1', activityId: '1' };
      assert.equal(await store.outbox.complete(a.id, 'x', { ...record, cards: [{ who: 'apc', ref }] }), true);
      const stored = await store.cases.get(record.id);
      assert.equal(stored?.version, 2);
      assert.deepEqual(stored?.cards, [{ who: 'apc', ref }]);
      await assert.rejects(store.outbox.complete(b.id, 'x', record), isConflict);
      assert.deepEqual(
        (await store.outbox.list()).map((o) => o.id),
        [b.id],
        'the item stays when its case change could not be written',
      );
    });

    it('reschedules a failed delivery: released, next attempt later, with its follow-up notices', async () => {
      const { record } = await store.cases.create(newCase('form-a', {}, 1));
      const [item] = await store.outbox.claimDue(T0, 'x', 60_000, 5);
      assert.ok(item);
      const next = '2026-11-23T09:00:30.000Z';
      const followUp = outboxItem(record.id, { kind: 'reporter-update', to: 'reporter' });
      assert.equal(
        await store.outbox.reschedule({ ...item, attempts: 1, nextAttemptAt: next }, 'x', undefined, [
          followUp,
        ]),
        true,
      );
      const list = await store.outbox.list();
      const again = list.find((o) => o.id === item.id);
      assert.equal(again?.attempts, 1);
      assert.equal(again?.nextAttemptAt, next);
      assert.ok(list.some((o) => o.id === followUp.id));
      const due = await store.outbox.claimDue(next, 'y', 60_000, 5);
      assert.ok(
        due.some((o) => o.id === item.id),
        'released: another worker may take it when due',
      );
    });

    it('keeps an alert item whole: its kind, recipients and reason survive the write, a claim and a retry', async () => {
      const { record } = await store.cases.create(newCase('form-a', { urgent: true }, 0));
      const alert = outboxItem(record.id, {
        kind: 'alert',
        to: ':webhook',
        recipients: ['apc', 'vp'],
        message: { key: 'case' },
      });
      await store.cases.update(record, [alert]);
      const [claimed] = await store.outbox.claimDue(T0, 'x', 60_000, 5);
      assert.deepEqual(
        { kind: claimed?.kind, to: claimed?.to, recipients: claimed?.recipients, message: claimed?.message },
        { kind: 'alert', to: ':webhook', recipients: ['apc', 'vp'], message: { key: 'case' } },
      );
      assert.ok(claimed);
      const next = '2026-11-23T09:00:30.000Z';
      assert.equal(
        await store.outbox.reschedule({ ...claimed, attempts: 1, nextAttemptAt: next }, 'x'),
        true,
      );
      const [again] = await store.outbox.claimDue(next, 'y', 60_000, 5);
      assert.equal(again?.id, alert.id);
      assert.deepEqual(again?.recipients, ['apc', 'vp']);
    });
  });

  describe('flows', () => {
    it('one active flow per teacher, also when two are started at once', async () => {
      const [a, b] = await Promise.all([
        store.flows.create(flowRecord('11111111-1111-4111-8111-111111111111')),
        store.flows.create(flowRecord('22222222-2222-4222-8222-222222222222')),
      ]);
      assert.equal(a.id, b.id, 'both got the same flow');
      assert.equal((await store.flows.findActive('slack', 'U1'))?.id, a.id);
      assert.equal(a.version, 1);
    });

    it('conditional update: two clicks on the same card, one change', async () => {
      const flow = await store.flows.create(flowRecord('11111111-1111-4111-8111-111111111111'));
      const results = await Promise.allSettled([
        store.flows.update({ ...flow, step: 'type', rev: 2 }),
        store.flows.update({ ...flow, step: 'type', rev: 2, danger: true }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.some((r) => r.status === 'rejected' && isConflict(r.reason)));
      assert.equal((await store.flows.get(flow.id))?.version, 2);
    });

    it('prunes finished flows and idle drafts by their last change', async () => {
      const old = await store.flows.create(flowRecord('11111111-1111-4111-8111-111111111111', 'A'));
      await store.flows.update({ ...old, status: 'submitted', updatedAt: '2026-11-01T00:00:00.000Z' });
      await store.flows.create({
        ...flowRecord('22222222-2222-4222-8222-222222222222', 'B'),
        updatedAt: '2026-10-01T00:00:00.000Z',
      });
      await store.flows.create({
        ...flowRecord('33333333-3333-4333-8333-333333333333', 'C'),
        updatedAt: '2026-11-20T00:00:00.000Z',
      });
      const n = await store.flows.prune('2026-11-10T00:00:00.000Z', '2026-10-15T00:00:00.000Z');
      assert.equal(n, 2);
      assert.equal((await store.flows.findActive('slack', 'C'))?.id, '33333333-3333-4333-8333-333333333333');
      assert.equal(await store.flows.get(old.id), undefined);
    });
  });

  describe('the rest', () => {
    it('conversations: saved, found by user and platform', async () => {
      const conv = (id: string, updatedAt: string) => ({
        platform: 'teams' as const,
        conversationId: id,
        kind: 'personal' as const,
        userId: '29:u',
        aadObjectId: 'aad-1',
        reference: { serviceUrl: 'https://smba', id },
        updatedAt,
      });
      await store.conversations.save(conv('a:1', T0));
      await store.conversations.save(conv('a:2', '2026-11-24T09:00:00.000Z'));
      assert.equal((await store.conversations.get('teams', 'a:1'))?.userId, '29:u');
      assert.equal((await store.conversations.findPersonal('teams', 'aad-1'))?.conversationId, 'a:2');
      assert.equal((await store.conversations.findPersonal('teams', '29:u'))?.conversationId, 'a:2');
      assert.equal((await store.conversations.findAny('teams'))?.conversationId, 'a:2');
      assert.equal(await store.conversations.findAny('slack'), undefined);
    });

    it('gaps and feedback; feedback counts once per key', async () => {
      await store.gaps.add({ at: T0, reason: 'unanswered', query: 'q1', platform: 'teams' });
      await store.gaps.add({ at: T0, reason: 'unanswered', query: 'q2', platform: 'teams' });
      assert.deepEqual(
        (await store.gaps.list()).map((g) => g.query),
        ['q1', 'q2'],
      );
      const fb = { at: T0, slug: 's', helpful: true, platform: 'teams' as const };
      const once = await Promise.all([store.feedback.add(fb, 'k1'), store.feedback.add(fb, 'k1')]);
      assert.deepEqual(once.sort(), [false, true]);
      assert.equal(await store.feedback.add(fb, 'k2'), true);
      assert.equal((await store.feedback.list()).length, 2);
    });

    it('forms: the place of the last forms, each taken once', async () => {
      const ref = (n: number) => ({ platform: 'local' as const, conversationId: 'c', activityId: `a${n}` });
      for (let n = 0; n < MAX_FORM_CARDS + 3; n++) await store.forms.save(`form-${n}`, ref(n));
      assert.equal(await store.forms.take('form-0'), undefined, 'the oldest are forgotten');
      assert.deepEqual(await store.forms.take(`form-${MAX_FORM_CARDS}`), ref(MAX_FORM_CARDS));
      assert.equal(await store.forms.take(`form-${MAX_FORM_CARDS}`), undefined, 'taken once');
      assert.equal(await store.forms.take('__proto__'), undefined);
    });

    it('role overrides', async () => {
      await store.roles.set('vertrouwenspersoon', { holders: ['vp'], backup: [] });
      assert.deepEqual(await store.roles.all(), { vertrouwenspersoon: { holders: ['vp'], backup: [] } });
    });

    it('subscriptions: created once, changed conditionally', async () => {
      const sub = await store.subscriptions.save(subscription('teams:19:a'));
      assert.equal(sub.version, 1);
      await assert.rejects(store.subscriptions.save(subscription('teams:19:a')), isConflict);
      const claims = await Promise.allSettled([
        store.subscriptions.save({ ...sub, weeks: { '2026-W48': { status: 'claimed', at: T0 } } }),
        store.subscriptions.save({ ...sub, weeks: { '2026-W48': { status: 'claimed', at: T0 } } }),
      ]);
      assert.equal(claims.filter((r) => r.status === 'fulfilled').length, 1, 'a week is claimed once');
      assert.equal((await store.subscriptions.list()).length, 1);
    });

    it('once-keys: the first claim wins until it expires', async () => {
      const now = new Date(T0);
      const both = await Promise.all([
        store.once.claim('evt-1', 60_000, now),
        store.once.claim('evt-1', 60_000, now),
      ]);
      assert.deepEqual(both.sort(), [false, true]);
      assert.equal(await store.once.claim('evt-1', 60_000, new Date(now.getTime() + 61_000)), true);
    });

    it('leases: one holder at a time; an expired lease passes on', async () => {
      const now = new Date(T0);
      assert.equal(await store.leases.acquire('job:tips', 'a', 30_000, now), true);
      assert.equal(await store.leases.acquire('job:tips', 'b', 30_000, now), false);
      assert.equal(await store.leases.acquire('job:tips', 'a', 30_000, now), true, 'the holder renews');
      assert.equal(
        await store.leases.acquire('job:tips', 'b', 30_000, new Date(now.getTime() + 31_000)),
        true,
      );
      await store.leases.release('job:tips', 'b');
      assert.equal(
        await store.leases.acquire('job:tips', 'a', 30_000, new Date(now.getTime() + 32_000)),
        true,
      );
    });

    it('workspace sign-ins: a one-time link is taken once, also by two takers at once; expired records go', async () => {
      const rec = (key: string, createdAt: string, expiresAt: string) => ({
        key,
        kind: 'signin' as const,
        platform: 'slack' as const,
        userId: 'U1',
        createdAt,
        expiresAt,
      });
      await store.auth.save(rec('old', '2026-11-23T08:00:00.000Z', '2026-11-23T08:10:00.000Z'));
      await store.auth.save(rec('k1', T0, '2026-11-23T09:10:00.000Z'));
      assert.equal(await store.auth.get('old'), undefined, 'expired before the new one was made');
      assert.equal((await store.auth.get('k1'))?.userId, 'U1');
      const taken = await Promise.all([store.auth.take('k1'), store.auth.take('k1')]);
      assert.equal(taken.filter(Boolean).length, 1, 'one taker gets it');
      assert.equal(await store.auth.get('k1'), undefined);
    });

    it('reports itself healthy', async () => {
      assert.deepEqual(await store.health(), { ok: true });
    });
  });

  describe('persistence', () => {
    it('keeps everything across a reopen', async function () {
      if (!h.reopen) this.skip();
      const { record } = await store.cases.create(newCase('form-a'));
      await store.subscriptions.save(subscription('teams:19:a'));
      await store.gaps.add({ at: T0, reason: 'unanswered', query: 'q', platform: 'slack' });
      await store.flows.create(flowRecord('11111111-1111-4111-8111-111111111111'));
      store = await (h.reopen as () => Promise<Store>)();
      assert.deepEqual(await store.cases.get(record.id), record);
      assert.equal((await store.subscriptions.get('teams:19:a'))?.version, 1);
      assert.equal((await store.gaps.list()).length, 1);
      assert.equal((await store.outbox.list()).length, 1);
      assert.equal((await store.flows.findActive('slack', 'U1'))?.version, 1);
      assert.equal(
        (await store.cases.create(newCase('form-b'))).record.id,
        'M-2026-0002',
        'the sequence too',
      );
    });
  });
}
