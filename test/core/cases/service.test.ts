import assert from 'node:assert/strict';
import { CaseHandler } from '../../../src/core/cases/case-handler.js';
import type { MessageRef, PlatformAddress } from '../../../src/core/cases/model.js';
import { DeliveryError, type Notifier } from '../../../src/core/cases/notifier.js';
import { CaseService, retryDelayMs } from '../../../src/core/cases/service.js';
import { type FlowState, startFlow } from '../../../src/core/escalation/flow.js';
import { translator } from '../../../src/core/i18n/index.js';
import { createLogger } from '../../../src/core/logger.js';
import { gapText } from '../../../src/core/privacy.js';
import { SchoolDirectory } from '../../../src/core/school/directory.js';
import { parseSchoolConfig } from '../../../src/core/school/school.js';
import { MemoryStore } from '../../../src/core/storage/memory-store.js';
import type { Outgoing, TurnContext } from '../../../src/core/types.js';
import { shippedCatalog } from '../../helpers/catalog.js';

const { catalog } = shippedCatalog();
const SCHOOL = `
school: { name: Unitcollege, level: po, crisisContact: "010-1" }
people:
  - { id: apc, name: "A. Pest", slack: UAPC0001 }
  - { id: vp, name: "V. Persoon", slack: UVP00001 }
  - { id: lead, name: "L. Leiding", slack: ULEAD001 }
  - { id: outsider, name: "O. Buiten", slack: UOUT0001 }
roles:
  aanspreekpunt-pesten: { holders: [apc], backup: [vp] }
  vertrouwenspersoon: { holders: [vp] }
  schoolleiding: { holders: [lead] }
admins: [lead]
retentionDays: 30
`;
const DESCRIPTION = 'Groep 7: K.L. wordt in de klassenapp uitgelachen om haar kleren.';
const REPORTER_NAME = 'Marieke Meldster';

/** A notifier that records what it sends, per recipient, and can refuse some. */
class FakeNotifier implements Notifier {
  readonly sent: { to: PlatformAddress; out: Outgoing }[] = [];
  readonly updates: { ref: MessageRef; out: Outgoing }[] = [];
  readonly refuse = new Set<string>();
  async send(to: PlatformAddress, out: Outgoing): Promise<MessageRef> {
    if (this.refuse.has(to.userId ?? '')) throw new DeliveryError('unreachable', 'refused');
    this.sent.push({ to, out });
    return { platform: to.platform, conversationId: `dm-${to.userId}`, activityId: `m${this.sent.length}` };
  }
  async update(ref: MessageRef, out: Outgoing) {
    this.updates.push({ ref, out });
  }
  to(userId: string) {
    return this.sent.filter((s) => s.to.userId === userId).map((s) => JSON.stringify(s.out));
  }
}

function setup() {
  const store = new MemoryStore();
  const notifier = new FakeNotifier();
  const logs: string[] = [];
  const logger = createLogger('debug', (l) => logs.push(l));
  const school = parseSchoolConfig(SCHOOL, new Set(catalog.types.keys())).config;
  assert.ok(school);
  const directory = new SchoolDirectory(school, store);
  let now = new Date('2026-11-23T09:00:00Z');
  const cases = new CaseService({
    store,
    notifier,
    catalog,
    directory,
    logger,
    lang: 'nl',
    now: () => now,
    gapText: (q) => gapText(q, new Set(['mag', 'een', 'leerling', 'mij', 'filmen', 'tijdens', 'de', 'les'])),
  });
  const handler = new CaseHandler({ store, cases, directory, logger });
  const flow = (over: Partial<FlowState> = {}): FlowState => ({
    ...startFlow({ id: 'f', platform: 'slack', reporterId: 'UREP0001', reporterName: REPORTER_NAME, now }),
    status: 'submitted',
    step: 'review',
    type: 'online-pesten',
    involved: 'pupil',
    description: DESCRIPTION,
    ...over,
  });
  /** A teacher's flow, stored as the flow handler stores it, submitted; resolves once its cards are delivered. */
  const create = async (over: Partial<FlowState> = {}) => {
    const f = flow(over);
    const stored =
      (await store.flows.get(f.id)) ?? (await store.flows.create({ ...f, status: 'active', version: 0 }));
    const { record } = await cases.createFromFlow({ ...f, version: stored.version });
    await cases.dispatcher.idle();
    return record;
  };
  const as = (id: string) => ({
    person: directory.person(id),
    platform: 'slack',
    userId: directory.person(id)?.slack ?? id,
  });
  const reporter = { person: undefined, platform: 'slack', userId: 'UREP0001' };
  return {
    store,
    notifier,
    logs,
    cases,
    handler,
    directory,
    flow,
    create,
    as,
    reporter,
    tick: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('CaseService', () => {
  it('routes a new case to the role holders and numbers cases per year', async () => {
    const { create, notifier } = setup();
    const a = await create();
    const b = await create({ id: 'f2' });
    assert.deepEqual([a.id, b.id], ['M-2026-0001', 'M-2026-0002']);
    assert.equal((await create()).id, a.id, 'the same flow sent again is the same case');
    assert.deepEqual(a.recipients, ['apc']);
    assert.equal(notifier.to('UAPC0001').length, 2);
    assert.ok(notifier.to('UAPC0001')[0]?.includes('K.L. wordt in de klassenapp'));
  });

  it('a crash at the write of an escalation step neither loses nor doubles a card', async () => {
    const { cases, notifier, create, store, tick } = setup();
    const c = await create();
    tick(30 * 3600_000); // past the take-up deadline (next school day 12:00): reminder
    assert.equal(await cases.checkDeadlines(), 1);
    tick(3 * 3600_000); // past the reminder's deadline: the backup gets the case
    // The process dies while saving the escalation step.
    const repo = store.cases as { update: typeof store.cases.update };
    const save = repo.update;
    repo.update = async () => {
      throw new Error('killed mid-write');
    };
    await assert.rejects(cases.checkDeadlines(), /killed mid-write/);
    await cases.deliverDue();
    assert.equal(notifier.to('UVP00001').length, 0);
    // After the restart the step runs again, once.
    repo.update = save;
    assert.equal(await cases.checkDeadlines(), 1);
    await cases.deliverDue();
    assert.equal(notifier.to('UVP00001').length, 1, 'the backup gets exactly one case card');
    assert.deepEqual((await store.cases.get(c.id))?.recipients, ['apc', 'vp']);
    assert.equal((await store.outbox.list()).length, 0);
  });

  it('a question to an expert: own numbering, chosen role, answer relayed both ways, "vraag" in the messages', async () => {
    const { cases, notifier, create, as, reporter, store } = setup();
    await create();
    const ask = {
      reporter: { platform: 'slack' as const, userId: 'UREP0001', name: REPORTER_NAME },
      question: 'Mag een leerling mij filmen tijdens de les?',
      role: 'vertrouwenspersoon' as const,
      formId: '11111111-2222-4333-8444-555555555555',
    };
    const q = await cases.createQuestion(ask);
    assert.equal(q.id, 'V-2026-0001', 'questions are numbered apart from incidents');
    assert.deepEqual(q.recipients, ['vp']);
    assert.equal((await cases.createQuestion(ask)).id, q.id, 'the same form twice is one question');
    // The knowledge editors see the question (scrubbed), once.
    assert.deepEqual(
      (await store.gaps.list()).map((g) => [g.reason, g.query]),
      [['asked-expert', 'mag een leerling mij filmen tijdens de les']],
    );
    assert.equal(notifier.to('UVP00001').length, 1);
    assert.match(notifier.to('UVP00001')[0] ?? '', /Vraag V-2026-0001 van een collega/);

    const answered = await cases.act(q.id, as('vp'), {
      kind: 'ask',
      question: 'Nee, niet zonder toestemming.',
    });
    assert.equal(answered.ok, true);
    assert.equal(answered.message, 'Je antwoord is naar je collega gestuurd.');
    await cases.dispatcher.idle();
    const toReporter = notifier.to('UREP0001').join(' ');
    assert.match(toReporter, /Antwoord op je vraag V-2026-0001 van V\. Persoon/);
    assert.match(toReporter, /niet zonder toestemming/);
    assert.ok(
      (await cases.act(q.id, reporter, { kind: 'answer', answer: 'Dank je, en als het al gebeurd is?' })).ok,
    );
    await cases.dispatcher.idle();
    assert.ok(notifier.to('UVP00001').some((m) => m.includes('als het al gebeurd is')));
    assert.equal((await cases.act(q.id, as('vp'), { kind: 'export' })).ok, false, 'not for a pupil file');
    assert.ok((await cases.act(q.id, as('vp'), { kind: 'close', outcome: 'opgelost' })).ok);
    await cases.dispatcher.idle();
    assert.match(notifier.to('UREP0001').join(' '), /Je vraag V-2026-0001 is afgesloten: opgelost/);
    // Someone not designated for it gets nothing and may do nothing.
    assert.equal((await cases.act(q.id, as('outsider'), { kind: 'show' })).ok, false);
    assert.equal((await store.cases.get(q.id))?.status, 'closed');
  });

  it('hands over to another role: its holders get the case, the reporter is told', async () => {
    const { cases, notifier, create, as } = setup();
    const c = await create();
    const r = await cases.act(c.id, as('apc'), {
      kind: 'handover',
      target: 'role:vertrouwenspersoon',
      reason: 'Gaat over vertrouwen',
    });
    assert.ok(r.ok);
    await cases.dispatcher.idle();
    assert.equal(notifier.to('UVP00001').length, 1, 'the new holder gets the case card');
    assert.ok(notifier.to('UREP0001').some((m) => m.includes('overgedragen aan vertrouwenspersoon')));
    const stored = await cases.act(c.id, as('vp'), { kind: 'show' });
    assert.ok(stored.ok);
    assert.ok(notifier.updates.length > 0, 'existing case cards were updated in place');
  });

  it('relays a question to the reporter and the answer back; only the reporter may answer', async () => {
    const { cases, notifier, create, as, reporter } = setup();
    const c = await create();
    assert.ok((await cases.act(c.id, as('apc'), { kind: 'ask', question: 'Sinds wanneer speelt dit?' })).ok);
    await cases.dispatcher.idle();
    assert.ok(
      notifier
        .to('UREP0001')
        .some((m) => m.includes('Sinds wanneer speelt dit?') && m.includes('case.answer')),
    );
    const refused = await cases.act(c.id, as('outsider'), { kind: 'answer', answer: 'x' });
    assert.equal(refused.ok, false);
    assert.ok((await cases.act(c.id, reporter, { kind: 'answer', answer: 'Sinds de herfstvakantie.' })).ok);
    await cases.dispatcher.idle();
    assert.ok(notifier.to('UAPC0001').some((m) => m.includes('Sinds de herfstvakantie.')));
  });

  it('closes with an outcome, tells the reporter, and refuses further actions and bad outcomes', async () => {
    const { cases, notifier, create, as } = setup();
    const c = await create();
    assert.equal((await cases.act(c.id, as('apc'), { kind: 'close', outcome: 'gewonnen' })).ok, false);
    assert.ok(
      (await cases.act(c.id, as('apc'), { kind: 'close', outcome: 'opgelost', note: 'Gesprek gevoerd.' })).ok,
    );
    await cases.dispatcher.idle();
    assert.ok(notifier.to('UREP0001').some((m) => m.includes('is afgesloten: opgelost')));
    const again = await cases.act(c.id, as('apc'), { kind: 'take' });
    assert.equal(again.ok, false);
  });

  it('exports a case as text for the pupil file, only for designated people', async () => {
    const { cases, create, as } = setup();
    const c = await create();
    const r = await cases.act(c.id, as('apc'), { kind: 'export' });
    assert.ok(r.ok && r.exportText);
    assert.match(r.exportText, /Export melding M-2026-0001 \(Unitcollege\)/);
    assert.ok(r.exportText.includes(DESCRIPTION));
    assert.match(r.exportText, /aangemaakt/);
    assert.equal((await cases.act(c.id, as('outsider'), { kind: 'export' })).ok, false);
  });

  it('anonymises closed cases after the retention period, and leaves open ones alone', async () => {
    const { cases, store, create, as, tick } = setup();
    const closed = await create();
    const open = await create({ id: 'f2' });
    await cases.act(closed.id, as('apc'), { kind: 'close', outcome: 'opgelost' });
    tick(29 * 86_400_000);
    assert.equal(await cases.applyRetention(), 0);
    tick(2 * 86_400_000);
    assert.equal(await cases.applyRetention(), 1);
    const c = await store.cases.get(closed.id);
    assert.equal(c?.anonymised, true);
    assert.equal(c?.description, '');
    assert.equal(c?.reporter.userId, undefined);
    assert.ok(!JSON.stringify(c).includes('K.L.'));
    assert.equal((await store.cases.get(open.id))?.description, DESCRIPTION);
    assert.equal(
      (await cases.act(closed.id, as('apc'), { kind: 'export' })).ok,
      false,
      'nothing left to export',
    );
  });

  it('keeps what was said: messages both ways, notes, the hand-over reason and the closing note, with their authors', async () => {
    const { cases, create, as, reporter, store } = setup();
    const c = await create();
    assert.ok((await cases.act(c.id, as('apc'), { kind: 'ask', question: 'Sinds wanneer speelt dit?' })).ok);
    assert.ok((await cases.act(c.id, reporter, { kind: 'answer', answer: 'Sinds de herfstvakantie.' })).ok);
    assert.ok(
      (await cases.act(c.id, as('apc'), { kind: 'note', text: 'Ouders gebeld, gesprek donderdag.' })).ok,
    );
    const noReason = await cases.act(c.id, as('apc'), {
      kind: 'handover',
      target: 'role:vertrouwenspersoon',
    });
    assert.equal(noReason.ok, false, 'a hand-over needs a reason');
    assert.ok(
      (
        await cases.act(c.id, as('apc'), {
          kind: 'handover',
          target: 'role:vertrouwenspersoon',
          reason: 'Leerling wil met de VP praten.',
        })
      ).ok,
    );
    assert.ok(
      (await cases.act(c.id, as('vp'), { kind: 'close', outcome: 'opgelost', note: 'Afgerond met ouders.' }))
        .ok,
    );
    const stored = await store.cases.get(c.id);
    const said = stored?.timeline.filter((e) => e.text).map((e) => [e.action, e.by, e.text]);
    assert.deepEqual(said, [
      ['question', 'apc', 'Sinds wanneer speelt dit?'],
      ['answer', 'reporter', 'Sinds de herfstvakantie.'],
      ['note', 'apc', 'Ouders gebeld, gesprek donderdag.'],
      ['handed-over', 'apc', 'Leerling wil met de VP praten.'],
      ['closed', 'vp', 'Afgerond met ouders.'],
    ]);
    const exported = await cases.act(c.id, as('vp'), { kind: 'export' });
    assert.ok(exported.ok && exported.exportText);
    for (const text of [
      'Sinds de herfstvakantie.',
      'Ouders gebeld',
      'Leerling wil met de VP praten.',
      'Afgerond met ouders.',
    ])
      assert.ok(exported.exportText.includes(text), `the export holds "${text}"`);
  });

  it('late presses change nothing: a second answer to one question, an answer or a note after closing', async () => {
    const { cases, create, as, reporter, store } = setup();
    const c = await create();
    await cases.act(c.id, as('apc'), { kind: 'ask', question: 'Wie zaten er in de groep?' });
    const askRef = (await store.cases.get(c.id))?.timeline.find((e) => e.action === 'question')?.ref;
    assert.ok(askRef);
    assert.ok((await cases.act(c.id, reporter, { kind: 'answer', answer: 'Klas 2B.', replyTo: askRef })).ok);
    const again = await cases.act(c.id, reporter, { kind: 'answer', answer: 'Nog iets.', replyTo: askRef });
    assert.deepEqual([again.ok, again.ok ? '' : again.reason], [false, 'already-answered']);
    await cases.act(c.id, as('apc'), { kind: 'close', outcome: 'opgelost' });
    await cases.dispatcher.idle();
    const before = await store.cases.get(c.id);
    const late = [
      await cases.act(c.id, reporter, { kind: 'answer', answer: 'Toch nog iets.' }),
      await cases.act(c.id, as('apc'), { kind: 'note', text: 'Te laat.' }),
      await cases.act(c.id, as('apc'), { kind: 'take' }),
    ];
    assert.deepEqual(
      late.map((r) => r.ok),
      [false, false, false],
    );
    assert.match(late[1]?.message ?? '', /al afgesloten/);
    assert.deepEqual(await store.cases.get(c.id), before, 'nothing changed');
  });

  it('retention removes every text people wrote, and keeps the facts for statistics', async () => {
    const { cases, create, as, reporter, store, tick } = setup();
    const c = await create();
    await cases.act(c.id, as('apc'), { kind: 'ask', question: 'Sinds wanneer?' });
    await cases.act(c.id, reporter, { kind: 'answer', answer: 'Sinds maandag, zegt K.L.' });
    await cases.act(c.id, as('apc'), { kind: 'note', text: 'Moeder van K.L. gebeld.' });
    await cases.act(c.id, as('apc'), { kind: 'close', outcome: 'opgelost', note: 'Met K.L. afgesproken.' });
    tick(31 * 86_400_000);
    assert.equal(await cases.applyRetention(), 1);
    const anonymised = await store.cases.get(c.id);
    assert.ok(!JSON.stringify(anonymised).includes('K.L.'));
    assert.ok(anonymised?.timeline.every((e) => e.text === undefined && e.note === undefined));
    assert.deepEqual(
      anonymised?.timeline.map((e) => e.action),
      ['created', 'delivered', 'question', 'answer', 'note', 'closed', 'anonymised'],
    );
    assert.equal(anonymised?.type, 'online-pesten');
  });

  it('retries undelivered notifications with growing delays', () => {
    assert.deepEqual([1, 2, 3, 4, 10].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000, 1_800_000]);
  });

  it('never writes case text or names to the logs', async () => {
    const { cases, create, as, reporter, logs, notifier } = setup();
    notifier.refuse.add('UAPC0001');
    const c = await create();
    notifier.refuse.clear();
    await cases.tick();
    await cases.act(c.id, as('apc'), { kind: 'ask', question: 'Wie is J. Jansen?' });
    await cases.act(c.id, reporter, { kind: 'answer', answer: 'Een klasgenoot, Jan Jansen.' });
    await cases.act(c.id, as('outsider'), { kind: 'take' });
    await cases.act(c.id, as('apc'), {
      kind: 'close',
      outcome: 'anders',
      note: 'Met moeder van K.L. gesproken',
    });
    const all = logs.join('\n');
    assert.ok(logs.length > 5);
    for (const secret of ['K.L.', 'klassenapp', 'Jansen', REPORTER_NAME, 'A. Pest', 'moeder']) {
      assert.ok(!all.includes(secret), `"${secret}" in the logs`);
    }
  });
});

describe('CaseHandler (chat side)', () => {
  const ctx = (userId: string, verb?: string, data: Record<string, unknown> = {}) => {
    const replies: Outgoing[] = [];
    const incoming = verb
      ? ({
          type: 'action',
          verb,
          data,
          actor: { id: userId },
          conversation: { platform: 'slack', id: `D-${userId}`, kind: 'personal' },
        } as const)
      : ({
          type: 'message',
          text: '',
          addressed: true,
          actor: { id: userId },
          conversation: { platform: 'slack', id: `D-${userId}`, kind: 'personal' },
        } as const);
    const turn: TurnContext = {
      incoming,
      reply: async (o) => {
        replies.push(o);
        return undefined;
      },
    };
    return { turn, replies };
  };

  it('lets an admin change role holders from the settings card; others are refused', async () => {
    const { handler, create, notifier } = setup();
    const t = translator('nl');
    const denied = ctx('UAPC0001', 'settings.save', { role: 'aanspreekpunt-pesten', holders: 'vp' });
    await handler.saveSettings(denied.turn as never, t);
    assert.match(JSON.stringify(denied.replies), /Alleen beheerders/);

    const card = ctx('ULEAD001');
    await handler.settings(card.turn, t);
    assert.ok(card.replies[0]?.kind === 'card' && card.replies[0].template === 'settings');

    const ok = ctx('ULEAD001', 'settings.save', { role: 'aanspreekpunt-pesten', holders: 'vp,lead' });
    await handler.saveSettings(ok.turn as never, t);
    assert.match(
      JSON.stringify(ok.replies),
      /Opgeslagen: aanspreekpunt pesten is nu V\. Persoon, L\. Leiding/,
    );
    const c = await create();
    assert.deepEqual(c.recipients, ['vp', 'lead'], 'new cases follow the change');
    assert.equal(notifier.to('UAPC0001').length, 0);

    const forged = ctx('ULEAD001', 'settings.save', { role: 'koning', holders: 'vp' });
    await handler.saveSettings(forged.turn as never, t);
    assert.match(JSON.stringify(forged.replies), /Dat kan zo niet/);
  });

  it('"open meldingen" lists only the cases the expert may act on', async () => {
    const { handler, create } = setup();
    await create();
    await create({ type: 'gehackt-account' });
    const t = translator('nl');
    const apc = ctx('UAPC0001');
    await handler.queue(apc.turn, t);
    const json = JSON.stringify(apc.replies[0]);
    assert.match(json, /M-2026-0001/);
    assert.doesNotMatch(json, /M-2026-0002/, 'a hacked-account case is not for the anti-bullying contact');
    const outsider = ctx('UOUT0001');
    await handler.queue(outsider.turn, t);
    assert.doesNotMatch(JSON.stringify(outsider.replies[0]), /M-2026/);
  });
});
