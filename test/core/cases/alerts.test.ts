import assert from 'node:assert/strict';
import { alertEmail, deadlineText } from '../../../src/core/cases/alert-message.js';
import {
  type Alert,
  type AlertChannels,
  type AlertSender,
  alertNotices,
  peopleWithoutEmail,
} from '../../../src/core/cases/alerts.js';
import type { CaseRecord, MessageRef, OutboxItem, PlatformAddress } from '../../../src/core/cases/model.js';
import type { Notifier } from '../../../src/core/cases/notifier.js';
import { CaseService } from '../../../src/core/cases/service.js';
import { caseCard } from '../../../src/core/cases/views.js';
import { type FlowState, startFlow } from '../../../src/core/escalation/flow.js';
import { translator } from '../../../src/core/i18n/index.js';
import { createLogger } from '../../../src/core/logger.js';
import { SchoolDirectory } from '../../../src/core/school/directory.js';
import { parseSchoolConfig, type SchoolConfig } from '../../../src/core/school/school.js';
import { MemoryStore } from '../../../src/core/storage/memory-store.js';
import type { Outgoing } from '../../../src/core/types.js';
import { shippedCatalog } from '../../helpers/catalog.js';

const { catalog } = shippedCatalog();
// The lead has no address: e-mail goes to the others only; the webhook names everyone.
const SCHOOL = `
school: { name: Unitcollege, level: vo, crisisContact: "010-1" }
people:
  - { id: apc, name: "A. Pest", slack: UAPC0001, email: apc@school.example }
  - { id: vp, name: "V. Persoon", slack: UVP00001, email: vp@school.example, lang: en }
  - { id: lead, name: "L. Leiding", slack: ULEAD001 }
roles:
  aanspreekpunt-pesten: { holders: [apc], backup: [vp] }
  vertrouwenspersoon: { holders: [vp] }
  schoolleiding: { holders: [lead] }
admins: [lead]
deadlines: { urgentMinutes: 15 }
`;
const DESCRIPTION = 'Zoë Zwaluw-Zeldzaam krijgt dreigberichten van Quirijn Qwerty.';
const REPORTER = 'Marieke Meldster-Uniek';

function school(): SchoolConfig {
  const s = parseSchoolConfig(SCHOOL, new Set(catalog.types.keys())).config;
  assert.ok(s);
  return s;
}

class QuietNotifier implements Notifier {
  async send(to: PlatformAddress, _out: Outgoing): Promise<MessageRef> {
    return { platform: to.platform, conversationId: `dm-${to.userId}`, activityId: 'm' };
  }
  async update() {}
}

/** Records the alerts it is handed; fails while `down` is set. */
class RecordingSender implements AlertSender {
  readonly sent: Alert[] = [];
  down = false;
  async send(alert: Alert) {
    if (this.down) throw new Error('connection refused');
    this.sent.push(alert);
  }
  emails() {
    return this.sent.flatMap((a) => (a.channel === 'email' ? [a] : []));
  }
  hooks() {
    return this.sent.flatMap((a) => (a.channel === 'webhook' ? [a.body] : []));
  }
}

function setup(channels?: AlertChannels) {
  const store = new MemoryStore();
  const sender = new RecordingSender();
  const directory = new SchoolDirectory(school(), store);
  let now = new Date('2026-11-23T09:00:00Z'); // Monday 10:00 in Amsterdam
  const cases = new CaseService({
    store,
    notifier: new QuietNotifier(),
    catalog,
    directory,
    logger: createLogger('silent'),
    lang: 'nl',
    now: () => now,
    gapText: (q) => q,
    alerts: channels && { channels, sender, publicUrl: 'https://vangnet.school.example' },
  });
  let n = 0;
  const create = async (over: Partial<FlowState> = {}) => {
    const f: FlowState = {
      ...startFlow({ id: `f${++n}`, platform: 'slack', reporterId: 'UREP0001', reporterName: REPORTER, now }),
      status: 'submitted',
      step: 'review',
      type: 'online-pesten',
      involved: 'pupil',
      description: DESCRIPTION,
      urgent: true,
      ...over,
    };
    const stored = await store.flows.create({ ...f, status: 'active', version: 0 });
    const { record } = await cases.createFromFlow({ ...f, version: stored.version });
    await cases.dispatcher.idle();
    return record;
  };
  const as = (id: string) => ({
    person: directory.person(id),
    platform: 'slack',
    userId: directory.person(id)?.slack ?? id,
  });
  return {
    store,
    sender,
    cases,
    create,
    as,
    tick: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const BOTH = { email: true, webhook: true };

describe('urgent-case alerts (e-mail and webhook)', () => {
  describe('the rule', () => {
    const rule = (channels: AlertChannels) => ({ channels, hasEmail: (id: string) => id !== 'lead' });
    const open = { urgent: true, status: 'open' as const };
    const cards = [
      { kind: 'case-card' as const, to: 'apc' },
      { kind: 'case-card' as const, to: 'lead' },
      { kind: 'reporter-update' as const, to: 'reporter' },
    ];

    it('an urgent case card yields an e-mail per person with an address and one webhook call for the batch', () => {
      assert.deepEqual(alertNotices(open, cards, rule(BOTH)), [
        { kind: 'alert', to: 'apc', message: { key: 'case' } },
        { kind: 'alert', to: ':webhook', recipients: ['apc', 'lead'], message: { key: 'case' } },
      ]);
      assert.deepEqual(
        alertNotices(open, [{ kind: 'reminder', to: 'apc' }], rule({ email: true, webhook: false })),
        [{ kind: 'alert', to: 'apc', message: { key: 'reminder' } }],
      );
    });

    it('nothing for a normal case, a case taken up, other notices, or with both channels off', () => {
      assert.deepEqual(alertNotices({ ...open, urgent: false }, cards, rule(BOTH)), []);
      assert.deepEqual(alertNotices({ ...open, status: 'taken' }, cards, rule(BOTH)), []);
      assert.deepEqual(alertNotices(open, [{ kind: 'relay-to-experts', to: 'apc' }], rule(BOTH)), []);
      assert.deepEqual(alertNotices(open, cards, rule({ email: false, webhook: false })), []);
    });
  });

  describe('through the case service (every path that sends a case)', () => {
    it('a new urgent case: e-mail to the role holder, webhook naming the recipients; a normal case: none', async () => {
      const { create, sender, store } = setup(BOTH);
      const c = await create();
      assert.deepEqual(
        sender.emails().map((e) => [e.to, e.subject]),
        [['apc@school.example', `Vangnet: urgente melding ${c.id}`]],
      );
      assert.deepEqual(
        sender.hooks().map((h) => [h.caseId, h.recipients, h.reason]),
        [[c.id, ['apc'], 'case']],
      );
      const timeline = (await store.cases.get(c.id))?.timeline.map((e) => [e.action, e.note]);
      assert.deepEqual(timeline?.slice(-2).sort(), [
        ['delivered', ':webhook'],
        ['delivered', 'email:apc'],
      ]);

      await create({ urgent: false });
      assert.equal(sender.sent.length, 2, 'a normal case alerts nobody');
      assert.equal((await store.outbox.list()).length, 0);
    });

    it('reminder and escalation steps of an urgent case alert again, the new people included', async () => {
      const { create, sender, cases, tick } = setup(BOTH);
      await create();
      sender.sent.length = 0;
      tick(16 * 60_000);
      assert.equal(await cases.checkDeadlines(), 1, 'reminder');
      await cases.dispatcher.idle();
      assert.deepEqual(
        sender.emails().map((e) => e.to),
        ['apc@school.example'],
      );
      assert.match(sender.emails()[0]?.text ?? '', /nog door niemand opgepakt/);
      assert.deepEqual(sender.hooks()[0]?.reason, 'reminder');
      sender.sent.length = 0;
      tick(16 * 60_000);
      assert.equal(await cases.checkDeadlines(), 1, 'backups');
      await cases.dispatcher.idle();
      assert.deepEqual(
        sender.emails().map((e) => [e.to, e.subject]),
        [['vp@school.example', 'Vangnet: urgent case M-2026-0001']],
        'the backup, in English',
      );
      sender.sent.length = 0;
      tick(16 * 60_000);
      assert.equal(await cases.checkDeadlines(), 1, 'schoolleiding');
      await cases.dispatcher.idle();
      assert.deepEqual(sender.emails(), [], 'the lead has no address');
      assert.deepEqual(
        sender.hooks().map((h) => h.recipients),
        [['lead']],
        'the webhook pages the lead',
      );
    });

    it('a hand-over to a role alerts its holders', async () => {
      const { create, sender, cases, as } = setup(BOTH);
      const c = await create();
      sender.sent.length = 0;
      await cases.act(c.id, as('apc'), {
        kind: 'handover',
        target: 'role:vertrouwenspersoon',
        reason: 'Voor de VP.',
      });
      await cases.dispatcher.idle();
      assert.deepEqual(
        sender.emails().map((e) => e.to),
        ['vp@school.example'],
      );
      assert.deepEqual(
        sender.hooks().map((h) => h.recipients),
        [['vp']],
      );
    });

    it('alerts still waiting for a retry are dropped once someone takes the case up', async () => {
      const { create, sender, cases, as, store, tick } = setup(BOTH);
      sender.down = true;
      const c = await create();
      assert.equal((await store.outbox.list()).filter((i) => i.kind === 'alert').length, 2, 'waiting');
      assert.ok((await cases.act(c.id, as('apc'), { kind: 'take' })).ok);
      sender.down = false;
      tick(31_000);
      await cases.deliverDue();
      assert.deepEqual(sender.sent, [], 'taken up meanwhile: nobody needs to be alerted');
      assert.equal((await store.outbox.list()).filter((i) => i.kind === 'alert').length, 0);
    });

    it('a failed alert is noted once on the timeline, retried with backoff, and never told to the reporter', async () => {
      const { create, sender, cases, store, tick } = setup({ email: true, webhook: false });
      sender.down = true;
      const c = await create();
      const failed = (await store.cases.get(c.id))?.timeline.filter((e) => e.action === 'delivery-failed');
      assert.deepEqual(
        failed?.map((e) => e.note),
        ['email:apc'],
      );
      const [item] = (await store.outbox.list()).filter((i) => i.kind === 'alert');
      assert.equal(item?.attempts, 1);
      assert.equal(
        (await store.outbox.list()).some((i) => i.to === 'reporter' && i.kind === 'reporter-update'),
        false,
        'the reporter is not told about an e-mail',
      );
      sender.down = false;
      await cases.deliverDue();
      assert.equal(sender.sent.length, 0, 'not before its retry time');
      tick(31_000);
      await cases.deliverDue();
      assert.equal(sender.emails().length, 1);
      assert.equal((await store.outbox.list()).length, 0);
    });

    it('with alerts off, nothing is queued for them', async () => {
      const { create, store } = setup(undefined);
      assert.equal((await create()).urgent, true);
      assert.deepEqual(await store.outbox.list(), []);
      const none = setup({ email: false, webhook: false });
      await none.create();
      assert.deepEqual(await none.store.outbox.list(), []);
    });

    it('the case card shows alert deliveries by channel', async () => {
      const { create, store } = setup(BOTH);
      const c = await create();
      const stored = (await store.cases.get(c.id)) as CaseRecord;
      const card = caseCard(stored, { catalog, school: school(), t: translator('nl'), lang: 'nl' });
      assert.ok(card.kind === 'card');
      const { timeline } = card.data as { timeline: string };
      assert.match(timeline, /bezorgd bij · e-mail: A\. Pest/);
      assert.match(timeline, /bezorgd bij · webhook-koppeling/);
    });
  });

  describe('what an alert says', () => {
    const s = school();
    const now = new Date('2026-11-23T09:00:00Z');
    const c = {
      id: 'M-2026-0007',
      type: 'bedreiging',
      urgent: true,
      status: 'open',
      description: DESCRIPTION,
      reporter: { platform: 'slack', userId: 'UREP0001', name: REPORTER },
      deadlineAt: '2026-11-23T09:15:00Z',
    } as unknown as CaseRecord;
    const item = { kind: 'alert', to: 'apc', message: { key: 'case' } } as OutboxItem;
    const ctx = (lang: 'nl' | 'en') => ({ catalog, school: s, t: translator(lang), lang });

    it('number, type, urgency, deadline and link; never the description or a name', () => {
      const mail = alertEmail(c, item, ctx('nl'), now, 'https://vangnet.school.example');
      assert.equal(mail.subject, 'Vangnet: urgente melding M-2026-0007');
      for (const part of [
        'Melding: M-2026-0007',
        'Soort: Bedreiging',
        'Urgent: ja',
        'Oppakken: uiterlijk vandaag 10:15',
        'https://vangnet.school.example/app/#/cases/M-2026-0007',
      ])
        assert.ok(mail.text.includes(part), part);
      for (const secret of ['Zoë', 'Zwaluw', 'Quirijn', 'Qwerty', 'Marieke', 'Meldster', 'dreigberichten'])
        assert.ok(!mail.text.includes(secret) && !mail.subject.includes(secret), secret);
      const en = alertEmail(c, item, ctx('en'), now, undefined);
      assert.match(en.text, /Type: Threat\nUrgent: yes\nTake up: by today 10:15/);
      assert.match(en.text, /Open Vangnet in Teams or Slack/);
    });

    it('the deadline in the school time zone: today, tomorrow, a later day, or passed', () => {
      const t = translator('nl');
      const at = (iso: string) => deadlineText(iso, now, s, t, 'nl');
      assert.equal(at('2026-11-23T22:59:00Z'), 'uiterlijk vandaag 23:59');
      assert.equal(at('2026-11-23T23:00:00Z'), 'uiterlijk morgen 00:00');
      assert.match(at('2026-11-25T11:00:00Z'), /^uiterlijk wo 25 nov\.? 12:00$/);
      assert.equal(at('2026-11-23T08:59:00Z'), 'nu (de termijn is verstreken)');
      assert.equal(deadlineText(undefined, now, s, t, 'nl'), 'nu (de termijn is verstreken)');
    });
  });

  it('peopleWithoutEmail: holders and backups of roles that can get an urgent case, without an address', () => {
    assert.deepEqual(peopleWithoutEmail(school(), catalog), [{ personId: 'lead', roles: ['schoolleiding'] }]);
  });
});
