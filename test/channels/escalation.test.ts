import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/core/errors.js';
import { type ConnectorCall, cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { TeamsUser } from '../helpers/teams-user.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const AAD = {
  teacher: '00000000-0000-0000-0000-0000000000a1',
  expert: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01',
  backup: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a02',
  lead: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a04',
  other: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a99',
};

const SCHOOL = `
school: { name: Testcollege, level: vo, crisisContact: "Schoolleiding 010-1234567" }
people:
  - { id: jdevries, name: "J. de Vries", teams: "${AAD.expert}" }
  - { id: sbakker, name: "S. Bakker", teams: "${AAD.backup}" }
  - { id: pjansen, name: "P. Jansen", teams: "${AAD.lead}" }
roles:
  aanspreekpunt-pesten: { holders: [jdevries], backup: [sbakker] }
  vertrouwenspersoon: { holders: [jdevries], backup: [sbakker] }
  schoolleiding: { holders: [pjansen] }
admins: [pjansen]
deadlines: { urgentMinutes: 15, normalNextSchoolDayAt: "12:00" }
`;

const CHANNEL = { id: '19:staff@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' };
const DESCRIPTION = 'Klas 2B: J.K. wordt sinds maandag uitgescholden in de groepsapp.';

describe('escalation through Teams (fake Bot Framework connector)', function () {
  this.timeout(30000);
  let connector: FakeConnector;
  let app: TestApp;
  let dir: string;
  let clock: Date;
  let teacher: TeamsUser;
  let expert: TeamsUser;
  let other: TeamsUser;

  const start = async (dataDir?: string) =>
    startTestApp({ VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml') }, { now: () => clock, dataDir });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-'));
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    clock = new Date('2026-11-23T09:00:00Z'); // a Monday, 10:00 in Amsterdam
    connector = await new FakeConnector().start();
    app = await start();
    teacher = new TeamsUser(() => app.url, connector, '29:teacher-1', AAD.teacher, 'T. Docent');
    expert = new TeamsUser(() => app.url, connector, AAD.expert, AAD.expert, 'J. de Vries');
    other = new TeamsUser(() => app.url, connector, '29:other', AAD.other, 'Iemand Anders');
  });
  afterEach(async () => {
    await app.cleanup();
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The app again on the same data folder; its cleanup stops it and removes the folder. */
  const restart = async (dataDir: string): Promise<TestApp> => {
    const again = await start(dataDir);
    return {
      ...again,
      async cleanup() {
        await again.cleanup();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  };

  const last = (conv: string, after = 0) =>
    connector.waitFor((c) => c.conversationId === conv && connector.calls.indexOf(c) >= after);
  const lastIn = (conv: string) =>
    [...connector.calls].reverse().find((c) => c.conversationId === conv) as ConnectorCall;
  const texts = (c: ConnectorCall) => cardTexts(FakeConnector.card(c)).join(' | ') + (c.body.text ?? '');

  /** Walks the teacher's private flow from the danger question to the review card. */
  async function walkToReview(opts: { danger?: boolean; type?: string } = {}) {
    let mark = connector.calls.length;
    await teacher.press(lastIn(teacher.dm), opts.danger ? 'Ja, acuut gevaar' : 'Nee');
    await last(teacher.dm, mark);
    const steps: [string, Record<string, unknown>][] = [
      ['Volgende', { value: opts.type ?? 'online-pesten' }],
      ['Volgende', { value: 'pupil' }],
      ['Volgende', { checked: 'do-0,do-1' }],
      ['Volgende', { description: DESCRIPTION }],
    ];
    for (const [button, inputs] of steps) {
      mark = connector.calls.length;
      await teacher.press(lastIn(teacher.dm), button, inputs);
      await last(teacher.dm, mark);
    }
  }

  /** Walks the whole flow and presses "Versturen"; returns the card the bot updates then. */
  async function walkFlow(opts: { danger?: boolean; type?: string } = {}) {
    await walkToReview(opts);
    const mark = connector.calls.length;
    await teacher.press(lastIn(teacher.dm), 'Versturen');
    return last(teacher.dm, mark);
  }

  async function startInChannel() {
    await teacher.mention('melding', CHANNEL);
    const inChannel = await connector.waitFor((c) => c.conversationId === CHANNEL.id);
    const privateCard = await connector.waitFor((c) => c.conversationId === teacher.dm);
    return { inChannel, privateCard };
  }

  it('mention in a channel → neutral reply there → private steps → case card to the expert → take up → reporter told', async () => {
    const { inChannel, privateCard } = await startInChannel();
    assert.match(texts(inChannel), /Ik help je verder in een privégesprek/);
    const openChat = (FakeConnector.card(inChannel)?.actions as { type: string; url?: string }[])?.[0];
    assert.deepEqual(
      openChat,
      {
        type: 'Action.OpenUrl',
        title: 'Open je chat met Vangnet',
        url: 'https://teams.microsoft.com/l/chat/0/0?users=28:vangnet-bot',
      },
      'a link back to the 1:1 chat',
    );
    assert.deepEqual(
      connector.created[0]?.members,
      [{ id: teacher.id, name: 'T. Docent' }],
      'a 1:1 with the teacher',
    );
    assert.match(texts(privateCard), /Is er nu acuut gevaar/);

    const sent = await walkFlow();
    assert.equal(sent.method, 'PUT', 'the step card is updated in place');
    assert.match(texts(sent), /Melding M-2026-0001 is verstuurd/);
    assert.match(texts(sent), /aanspreekpunt pesten \(J\. de Vries\)/);

    const caseCard = await connector.waitFor((c) => c.conversationId === expert.dm);
    assert.match(texts(caseCard), /Melding M-2026-0001: Online pesten/);
    assert.ok(
      texts(caseCard).includes('J.K. wordt sinds maandag uitgescholden'),
      'the expert sees the description',
    );

    // Nothing about the case ever reached the channel.
    for (const c of connector.calls.filter((x) => x.conversationId === CHANNEL.id)) {
      assert.ok(!JSON.stringify(c.body).includes('J.K.'), 'no pupil detail in the channel');
      assert.ok(!JSON.stringify(c.body).includes('M-2026'), 'no case number in the channel');
    }

    const mark = connector.calls.length;
    await expert.press(caseCard, 'Ik pak dit op');
    const updated = await connector.waitFor(
      (c) => c.method === 'PUT' && c.conversationId === expert.dm && connector.calls.indexOf(c) >= mark,
    );
    assert.match(texts(updated), /Opgepakt door J\. de Vries/);
    const notice = await connector.waitFor(
      (c) => c.conversationId === teacher.dm && /opgepakt door J\. de Vries/.test(texts(c)),
    );
    assert.ok(notice);
    const stored = await app.store.cases.get('M-2026-0001');
    assert.equal(stored?.status, 'taken');
    assert.deepEqual(
      stored?.timeline.map((e) => e.action),
      ['created', 'delivered', 'taken'],
    );
  });

  it('refuses someone who is not designated for the case, and changes nothing', async () => {
    await startInChannel();
    await walkFlow();
    const mark = connector.calls.length;
    await other.say('hoi'); // gives the bot a 1:1 with this user
    await other.submit({ verb: 'case.take', caseId: 'M-2026-0001' }, other.dm);
    const reply = await connector.waitFor(
      (c) =>
        c.conversationId === other.dm &&
        /niet behandelen/.test(c.body.text ?? '') &&
        connector.calls.indexOf(c) >= mark,
    );
    assert.ok(reply);
    assert.equal((await app.store.cases.get('M-2026-0001'))?.status, 'open');
    // The teacher cannot take up their own report as an expert either.
    await teacher.submit({ verb: 'case.close', caseId: 'M-2026-0001', outcome: 'opgelost' });
    await connector.waitFor(
      (c) => c.conversationId === teacher.dm && /niet behandelen/.test(c.body.text ?? ''),
    );
    assert.equal((await app.store.cases.get('M-2026-0001'))?.status, 'open');
  });

  it('rejects forged and stale card submissions without changing the flow', async () => {
    const { privateCard } = await startInChannel();
    let mark = connector.calls.length;
    await teacher.press(privateCard, 'Nee');
    await last(teacher.dm, mark);
    const flow = await app.store.flows.findActive('teams', teacher.id);
    assert.equal(flow?.step, 'type');

    // The old danger card pressed again (stale revision): the current step is shown again, nothing changes.
    mark = connector.calls.length;
    await teacher.press(privateCard, 'Ja, acuut gevaar');
    const stale = await last(teacher.dm, mark);
    assert.match(texts(stale), /niet meer actueel/);
    const after = await app.store.flows.findActive('teams', teacher.id);
    assert.equal(after?.step, 'type');
    assert.equal(after?.danger, false);

    // A forged flow id, another user's flow, an unknown type, a forged case id.
    for (const value of [
      {
        verb: 'flow.step',
        flowId: '00000000-0000-0000-0000-000000000000',
        rev: 1,
        event: 'danger',
        value: 'yes',
      },
      { verb: 'flow.step', flowId: '../../etc', rev: 1, event: 'danger', value: 'yes' },
    ]) {
      mark = connector.calls.length;
      await teacher.submit(value);
      assert.match((await last(teacher.dm, mark)).body.text ?? '', /werkt niet meer/);
    }
    mark = connector.calls.length;
    await other.say('hoi');
    await other.submit(
      { verb: 'flow.step', flowId: flow?.id, rev: flow?.rev, event: 'type', value: 'anders' },
      other.dm,
    );
    assert.match(
      (
        await connector.waitFor(
          (c) => c.conversationId === other.dm && /werkt niet meer/.test(c.body.text ?? ''),
        )
      ).body.text ?? '',
      /werkt niet meer/,
    );
    mark = connector.calls.length;
    await teacher.submit({
      verb: 'flow.step',
      flowId: flow?.id,
      rev: after?.rev,
      event: 'type',
      value: 'bestaat-niet',
    });
    assert.match(texts(await last(teacher.dm, mark)), /Dat kan zo niet/);
    assert.equal((await app.store.flows.findActive('teams', teacher.id))?.type, undefined);
    mark = connector.calls.length;
    await teacher.submit({ verb: 'case.take', caseId: '__proto__' });
    assert.match((await last(teacher.dm, mark)).body.text ?? '', /bestaat niet/);
  });

  it('keeps a case whose expert cannot be reached, tells the reporter, and delivers on a later retry', async () => {
    connector.unreachable.add(AAD.expert);
    await startInChannel();
    await walkFlow();
    const told = await connector.waitFor(
      (c) => c.conversationId === teacher.dm && /veilig opgeslagen/.test(texts(c)),
    );
    assert.match(texts(told), /J\. de Vries/);
    const stored = await app.store.cases.get('M-2026-0001');
    assert.equal(stored?.status, 'open');
    await app.cases?.dispatcher.idle();
    assert.equal((await app.store.outbox.list()).length, 1, 'the notification waits in the outbox');

    connector.unreachable.delete(AAD.expert);
    clock = new Date(clock.getTime() + 60_000);
    await app.cases?.tick();
    const delivered = await connector.waitFor((c) => c.conversationId === expert.dm);
    assert.match(texts(delivered), /M-2026-0001/);
    assert.equal((await app.store.outbox.list()).length, 0);
  });

  it('"Ja, acuut gevaar" alerts the schoolleiding before step 2; completing the flow fills in that same case', async () => {
    await startInChannel();
    let mark = connector.calls.length;
    await teacher.press(lastIn(teacher.dm), 'Ja, acuut gevaar');
    const step2 = await last(teacher.dm, mark);
    assert.match(texts(step2), /Wat is er gebeurd/, 'the teacher is at step 2');
    assert.match(
      texts(step2),
      /Alarm verstuurd: melding \*\*M-2026-0001\*\* is nu bij schoolleiding \(P\. Jansen\)/,
    );
    assert.match(texts(step2), /Bel nu \*\*112\*\*/);
    assert.ok(JSON.stringify(FakeConnector.card(step2)).includes('"attention"'), 'the 112 block stands out');

    // The schoolleiding has it now, urgent, before anything else is filled in.
    const alarm = await connector.waitFor((c) => c.conversationId === `a:dm-${AAD.lead}`);
    assert.match(texts(alarm), /M-2026-0001/);
    assert.match(texts(alarm), /Acuut gevaar gemeld door T\. Docent\. De details volgen/);
    assert.deepEqual(alarm.body.channelData, { notification: { alert: true } }, 'Teams alerts them');
    const pending = await app.store.cases.get('M-2026-0001');
    assert.equal(pending?.pending, true);
    assert.equal(pending?.urgent, true);
    assert.equal(pending?.description, '');

    // The rest of the flow: the same case, completed; the expert of the type is called in, the lead's card updated.
    const steps: [string, Record<string, unknown>][] = [
      ['Volgende', { value: 'online-pesten' }],
      ['Volgende', { value: 'pupil' }],
      ['Volgende', { checked: 'do-0' }],
      ['Volgende', { description: DESCRIPTION }],
      ['Versturen', {}],
    ];
    for (const [button, inputs] of steps) {
      mark = connector.calls.length;
      await teacher.press(lastIn(teacher.dm), button, inputs);
      await last(teacher.dm, mark);
    }
    const sent = lastIn(teacher.dm);
    assert.match(texts(sent), /Melding M-2026-0001 is verstuurd/);
    assert.match(texts(sent), /aangevuld/);
    const all = await app.store.cases.list();
    assert.equal(all.length, 1, 'one case, one number');
    const done = all[0];
    assert.equal(done?.pending, false);
    assert.equal(done?.type, 'online-pesten');
    assert.equal(done?.description, DESCRIPTION);
    assert.deepEqual(done?.roles, ['schoolleiding', 'aanspreekpunt-pesten']);
    assert.deepEqual(done?.recipients, ['pjansen', 'jdevries']);
    const expertCard = await connector.waitFor((c) => c.conversationId === expert.dm);
    assert.ok(texts(expertCard).includes(DESCRIPTION), 'the expert gets the details');
    const leadUpdate = await connector.waitFor(
      (c) => c.conversationId === `a:dm-${AAD.lead}` && c.method === 'PUT' && texts(c).includes(DESCRIPTION),
    );
    assert.match(texts(leadUpdate), /Online pesten/, "the lead's card shows the details as they arrive");
    const actions = (FakeConnector.card(step2)?.actions ?? []) as { data?: { flowId?: string } }[];
    const flowId = String(actions[0]?.data?.flowId);
    assert.equal((await app.store.flows.get(flowId))?.status, 'submitted');
  });

  it('escalates an urgent case nobody takes up: reminder, then backups (fake clock)', async () => {
    await startInChannel();
    await walkFlow({ danger: true });
    const urgentCard = await connector.waitFor((c) => c.conversationId === expert.dm);
    assert.deepEqual(
      urgentCard.body.channelData,
      { notification: { alert: true } },
      'Teams alerts the expert for an urgent case',
    );
    const c0 = await app.store.cases.get('M-2026-0001');
    assert.equal(c0?.urgent, true);
    assert.equal(c0?.deadlineAt, '2026-11-23T09:15:00.000Z');
    assert.deepEqual(
      c0?.recipients,
      ['pjansen', 'jdevries'],
      'acute danger: the schoolleiding from the start',
    );

    clock = new Date('2026-11-23T09:14:00Z');
    await app.cases?.tick();
    assert.equal((await app.store.cases.get('M-2026-0001'))?.escalation, 0, 'nothing before the deadline');

    clock = new Date('2026-11-23T09:16:00Z');
    await app.cases?.tick();
    const reminder = await connector.waitFor(
      (c) => c.conversationId === expert.dm && /Herinnering/.test(texts(c)),
    );
    assert.match(texts(reminder), /URGENT/);
    assert.match(texts(reminder), /Ik pak dit op/, 'the reminder lets the expert take it up');
    assert.deepEqual(reminder.body.channelData, { notification: { alert: true } }, 'and Teams alerts for it');

    clock = new Date('2026-11-23T09:32:00Z');
    await app.cases?.tick();
    await connector.waitFor((c) => c.conversationId === `a:dm-${AAD.backup}` && /M-2026-0001/.test(texts(c)));

    clock = new Date('2026-11-23T09:48:00Z');
    await app.cases?.tick();
    const final = await app.store.cases.get('M-2026-0001');
    assert.equal(final?.escalation, 3, 'the ladder is done: the schoolleiding had it from the start');
    assert.deepEqual(final?.recipients, ['pjansen', 'jdevries', 'sbakker']);
  });

  it('keeps deadlines across a restart: the reminder comes from the new process', async () => {
    await startInChannel();
    await walkFlow({ danger: true });
    await connector.waitFor((c) => c.conversationId === expert.dm);
    const dataDir = app.dataDir;
    await app.stop();
    clock = new Date('2026-11-23T09:20:00Z');
    app = await restart(dataDir);
    await app.cases?.tick();
    await connector.waitFor(
      (c) => c.conversationId === expert.dm && /Herinnering, URGENT: melding M-2026-0001/.test(texts(c)),
    );
    assert.equal((await app.store.cases.get('M-2026-0001'))?.escalation, 1);
  });

  it('asks an expert a question: form in private, question to the chosen role, answer back, nothing in the channel', async () => {
    const QUESTION = 'Mag ik de telefoon van een leerling innemen als er een filmpje van K.M. op staat?';
    await teacher.mention('hoe laat begint de kerstvakantie', CHANNEL);
    const unknown = await connector.waitFor((c) => c.conversationId === CHANNEL.id);
    assert.match(texts(unknown), /Vraag een expert/);

    // From the channel: a neutral card there, the form in the 1:1, prefilled with the question typed.
    let mark = connector.calls.length;
    await teacher.press(unknown, 'Vraag een expert');
    const redirect = await last(CHANNEL.id, mark);
    assert.match(texts(redirect), /Ik help je verder in een privégesprek/);
    const form = await last(teacher.dm, mark);
    assert.match(texts(form), /Vraag aan een expert/);
    const formCard = JSON.stringify(FakeConnector.card(form));
    assert.ok(formCard.includes('hoe laat begint de kerstvakantie'), 'prefilled with the question typed');
    assert.ok(formCard.includes('"value":"aanspreekpunt-pesten"'), 'the default role');

    // Sent to the vertrouwenspersoon: the form turns into a confirmation, the expert gets the question privately.
    mark = connector.calls.length;
    await teacher.press(form, 'Vraag versturen', { question: QUESTION, role: 'vertrouwenspersoon' });
    const sent = await last(teacher.dm, mark);
    assert.equal(sent.method, 'PUT', 'the form is replaced by the confirmation');
    assert.match(texts(sent), /Vraag V-2026-0001 is verstuurd/);
    assert.match(texts(sent), /vertrouwenspersoon \(J\. de Vries\)/);
    const caseCard = await connector.waitFor((c) => c.conversationId === expert.dm);
    assert.match(texts(caseCard), /Vraag V-2026-0001 van een collega/);
    assert.ok(texts(caseCard).includes(QUESTION));
    assert.match(texts(caseCard), /Beantwoorden/);
    assert.doesNotMatch(texts(caseCard), /Exporteren voor dossier/);

    // The same form pressed again sends nothing new.
    mark = connector.calls.length;
    await teacher.press(form, 'Vraag versturen', { question: QUESTION, role: 'vertrouwenspersoon' });
    assert.match(texts(await last(teacher.dm, mark)), /Vraag V-2026-0001 is verstuurd/);
    assert.equal((await app.store.cases.list()).length, 1);
    assert.equal(connector.calls.filter((c) => c.conversationId === expert.dm).length, 1);

    // The expert answers; the teacher gets the answer in the 1:1 and can reply.
    mark = connector.calls.length;
    await expert.submit({
      verb: 'case.ask',
      caseId: 'V-2026-0001',
      question: 'Ja, als het schoolreglement dat toestaat.',
    });
    await connector.waitFor(
      (c) =>
        c.conversationId === expert.dm &&
        connector.calls.indexOf(c) >= mark &&
        /Je antwoord is naar je collega gestuurd/.test(c.body.text ?? ''),
    );
    const answer = await connector.waitFor(
      (c) =>
        c.conversationId === teacher.dm && /Antwoord op je vraag V-2026-0001 van J\. de Vries/.test(texts(c)),
    );
    assert.match(texts(answer), /als het schoolreglement dat toestaat/);
    const stored = await app.store.cases.get('V-2026-0001');
    assert.equal(stored?.kind, 'question');
    assert.equal(stored?.status, 'taken');
    assert.deepEqual(stored?.roles, ['vertrouwenspersoon']);

    // Nothing of the question ever reached the channel, nor the logs.
    for (const c of connector.calls.filter((x) => x.conversationId === CHANNEL.id)) {
      assert.ok(!JSON.stringify(c.body).includes('K.M.'), 'no pupil detail in the channel');
      assert.ok(!JSON.stringify(c.body).includes('V-2026'), 'no question number in the channel');
    }
    assert.ok(
      !app.logs.some((l) => l.includes('K.M.') || l.includes('filmpje')),
      'no question text in the logs',
    );
  });

  it('refuses a forged or incomplete question form and sends nothing', async () => {
    const formId = '11111111-2222-4333-8444-555555555555';
    // Typed, the form comes without a prefilled question.
    await teacher.say('vraag een expert');
    assert.match(texts(await last(teacher.dm)), /Vraag aan een expert/);
    const cases: [Record<string, unknown>, string | undefined, RegExp][] = [
      [{ question: 'Vraag', role: 'vertrouwenspersoon' }, CHANNEL.id, /werkt niet meer/],
      [{ question: 'Vraag', role: 'vertrouwenspersoon', formId: '../x' }, undefined, /werkt niet meer/],
      [{ question: '  \u0000 ', role: 'vertrouwenspersoon', formId }, undefined, /Schrijf eerst je vraag op/],
      [{ question: 'x'.repeat(1001), role: 'vertrouwenspersoon', formId }, undefined, /maximaal 1000 tekens/],
      [{ question: 'Vraag', role: 'fg', formId }, undefined, /Dat kan zo niet/], // nobody holds that role here
      [{ question: 'Vraag', role: '__proto__', formId }, undefined, /Dat kan zo niet/],
    ];
    for (const [value, conversation, expected] of cases) {
      const mark = connector.calls.length;
      await teacher.submit({ verb: 'expert.send', ...value }, conversation);
      const reply = await last(conversation ?? teacher.dm, mark);
      assert.match(reply.body.text ?? '', expected, JSON.stringify(value).slice(0, 60));
    }
    assert.equal((await app.store.cases.list()).length, 0);
    assert.equal(connector.calls.filter((c) => c.conversationId === expert.dm).length, 0);
  });

  it('a failed write when sending: the teacher is told, nothing is sent, and "Versturen" again makes one case', async () => {
    await startInChannel();
    // The disk fails while the case and the submitted flow are written (one write): nothing of it may count.
    const create = app.store.cases.create.bind(app.store.cases);
    let fail = true;
    (app.store.cases as { create: typeof create }).create = async (input) => {
      if (fail) {
        fail = false;
        throw new StoreError('disk full');
      }
      return create(input);
    };
    await walkToReview();
    const answer = await teacher.press(lastIn(teacher.dm), 'Versturen');
    // The teacher hears it failed, in the answer to the button (Teams shows it where they pressed).
    assert.equal(answer?.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(answer?.value), /Er ging iets mis/);
    assert.equal((await app.store.cases.list()).length, 0, 'no case counts');
    assert.equal(
      (await app.store.flows.findActive('teams', teacher.id))?.step,
      'review',
      'the flow waits for a retry',
    );
    // The review card the teacher still has on screen.
    const review = [...connector.calls]
      .reverse()
      .find((c) => c.conversationId === teacher.dm && /Versturen/.test(JSON.stringify(c.body)));
    assert.ok(review);
    const mark = connector.calls.length;
    await teacher.press(review, 'Versturen');
    const sent = await connector.waitFor(
      (c) =>
        c.conversationId === teacher.dm &&
        connector.calls.indexOf(c) >= mark &&
        /is verstuurd/.test(texts(c)),
    );
    assert.match(texts(sent), /Melding M-2026-0001 is verstuurd/);
    assert.equal((await app.store.cases.list()).length, 1, 'one case');
    assert.equal(await app.store.flows.findActive('teams', teacher.id), undefined);
    await connector.waitFor((c) => c.conversationId === expert.dm);
    await app.cases?.dispatcher.idle();
    assert.equal(connector.calls.filter((c) => c.conversationId === expert.dm).length, 1, 'one card');
  });

  it('survives a restart in the middle of a flow', async () => {
    const { privateCard } = await startInChannel();
    let mark = connector.calls.length;
    await teacher.press(privateCard, 'Nee');
    const typeCard = await last(teacher.dm, mark);
    const dataDir = app.dataDir;
    await app.stop();
    app = await restart(dataDir);

    mark = connector.calls.length;
    await teacher.press(typeCard, 'Volgende', { value: 'bedreiging' });
    const next = await last(teacher.dm, mark);
    assert.match(texts(next), /Wie is er betrokken/);
    await teacher.press(next, 'Volgende', { value: 'external' });
    mark = connector.calls.length;
    await teacher.press(await last(teacher.dm, mark - 1), 'Volgende', { checked: '' });
    await last(teacher.dm, mark);
    mark = connector.calls.length;
    await teacher.press(lastIn(teacher.dm), 'Volgende', {
      description: 'Dreigbericht op TikTok tegen de school.',
    });
    await last(teacher.dm, mark);
    mark = connector.calls.length;
    await teacher.press(lastIn(teacher.dm), 'Versturen');
    assert.match(texts(await last(teacher.dm, mark)), /M-2026-0001 is verstuurd/);
    const stored = await app.store.cases.get('M-2026-0001');
    assert.equal(stored?.urgent, true, 'threats are urgent');
    assert.deepEqual(stored?.roles, ['schoolleiding']);
  });
});
