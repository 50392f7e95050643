import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectorCall, cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { TeamsUser } from '../helpers/teams-user.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The report flow says what it means, through the real Teams path: the meldplicht and datalek paths, a staff member
 * in a bullying case, "Stoppen" with a draft, validation messages, and deadlines people can read.
 */
const AAD = {
  teacher: '00000000-0000-0000-0000-0000000000b1',
  pesten: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b01',
  lead: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b02',
  board: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b03',
  fg: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b04',
  ict: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b05',
  crisis: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b06',
};

const SCHOOL = `
school: { name: Testcollege, level: vo, crisisContact: "Crisislijn 010-7654321" }
people:
  - { id: pesten, name: "A. Pesten", teams: "${AAD.pesten}" }
  - { id: lead, name: "L. Leiding", teams: "${AAD.lead}" }
  - { id: board, name: "B. Bestuur", teams: "${AAD.board}" }
  - { id: fg, name: "F. Gegevens", teams: "${AAD.fg}" }
  - { id: ict, name: "I. Techniek", teams: "${AAD.ict}" }
  - { id: crisis, name: "C. Crisis", teams: "${AAD.crisis}" }
roles:
  aanspreekpunt-pesten: { holders: [pesten] }
  vertrouwenspersoon: { holders: [pesten] }
  aandachtsfunctionaris: { holders: [pesten] }
  schoolleiding: { holders: [lead] }
  bevoegd-gezag: { holders: [board] }
  fg: { holders: [fg] }
  ict: { holders: [ict] }
crisisTeam: [crisis]
region: midden
admins: [lead]
deadlines: { urgentMinutes: 15, normalNextSchoolDayAt: "12:00" }
`;

describe('what the report flow says and where it goes (Teams, fake connector)', function () {
  this.timeout(30000);
  let connector: FakeConnector;
  let app: TestApp;
  let dir: string;
  let teacher: TeamsUser;
  let clock: Date;

  beforeEach(async () => {
    clock = new Date('2026-11-23T09:00:00Z'); // Monday 10:00 in Amsterdam
    dir = await mkdtemp(join(tmpdir(), 'paths-'));
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    connector = await new FakeConnector().start();
    app = await startTestApp({ VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml') }, { now: () => clock });
    teacher = new TeamsUser(() => app.url, connector, '29:teacher-b', AAD.teacher, 'T. Leraar');
  });
  afterEach(async () => {
    await app.cleanup();
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const texts = (c: ConnectorCall) => cardTexts(FakeConnector.card(c)).join(' | ') + (c.body.text ?? '');
  const lastIn = (conv: string) =>
    [...connector.calls].reverse().find((c) => c.conversationId === conv) as ConnectorCall;
  const dmOf = (aad: string) => `a:dm-${aad}`;

  /** Presses a button on the teacher's latest card and returns what the bot shows next. */
  async function press(button: string, inputs: Record<string, unknown> = {}): Promise<ConnectorCall> {
    const mark = connector.calls.length;
    await teacher.press(lastIn(teacher.dm), button, inputs);
    return connector.waitFor((c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= mark);
  }

  async function start(): Promise<ConnectorCall> {
    await teacher.say('melding');
    return connector.waitFor((c) => c.conversationId === teacher.dm && /acuut gevaar/.test(texts(c)));
  }

  async function walk(type: string, involved: string, checked = 'do-0'): Promise<ConnectorCall> {
    await start();
    await press('Nee');
    await press('Volgende', { value: type });
    const checklist = await press('Volgende', { value: involved });
    await press('Volgende', { checked });
    const review = await press('Volgende', { description: 'Wat er gebeurde, kort: X.Y. in klas 3A.' });
    return Object.assign(review, { checklist });
  }

  it('meldplicht: its own steps, a visible label, straight to the bevoegd gezag', async () => {
    await start();
    await press('Nee');
    await press('Volgende', { value: 'grooming' });
    const checklist = await press('Volgende', { value: 'staff' });
    const shown = texts(checklist);
    assert.match(shown, /Meldplicht/);
    assert.match(shown, /rechtstreeks bij het bevoegd gezag/);
    assert.match(shown, /Niet zelf de ouders of de collega inlichten/);
    assert.doesNotMatch(shown, /Betrek ouders en de politie/, 'not the generic grooming steps');
    // The don'ts are warnings, not checkboxes.
    const card = JSON.stringify(FakeConnector.card(checklist));
    assert.doesNotMatch(card, /"value":"dont-/);
    assert.ok(card.includes('"wrap":true'), 'long labels wrap');
    await press('Volgende', { checked: 'do-0' });
    const review = await press('Volgende', { description: 'Een collega stuurt een leerling berichten.' });
    assert.match(texts(review), /Meldplicht/);
    assert.match(texts(review), /Al gedaan \| ✓ Meld het vandaag nog rechtstreeks bij het bevoegd gezag/);
    assert.match(texts(review), /bevoegd gezag, schoolleiding/);
    const sent = await press('Versturen');
    assert.match(texts(sent), /Melding M-2026-0001 is verstuurd/);
    const boardCard = await connector.waitFor((c) => c.conversationId === dmOf(AAD.board));
    assert.match(texts(boardCard), /vertrouwensinspecteur/);
    const stored = await app.store.cases.get('M-2026-0001');
    assert.equal(stored?.meldplicht, true);
    assert.deepEqual(stored?.recipients, ['board', 'lead']);
  });

  it('datalek: to the FG and ICT, with the 72-hour clock on the case', async () => {
    await walk('datalek', 'unknown');
    await press('Versturen');
    const fgCard = await connector.waitFor((c) => c.conversationId === dmOf(AAD.fg));
    await connector.waitFor((c) => c.conversationId === dmOf(AAD.ict));
    assert.match(texts(fgCard), /Datalek/);
    // Monday 10:00 + 72 hours: Thursday 10:00.
    assert.match(texts(fgCard), /Melden bij de AP uiterlijk \| do 26 nov\.? 10:00 \(72 uur/);
    const stored = await app.store.cases.get('M-2026-0001');
    assert.deepEqual(stored?.roles, ['fg', 'ict']);
    assert.equal(stored?.legalDeadlineAt, '2026-11-26T09:00:00.000Z');
  });

  it('bullying by a staff member also goes to the schoolleiding', async () => {
    await walk('online-pesten', 'staff');
    await press('Versturen');
    await connector.waitFor((c) => c.conversationId === dmOf(AAD.lead));
    assert.deepEqual((await app.store.cases.get('M-2026-0001'))?.roles, [
      'aanspreekpunt-pesten',
      'schoolleiding',
    ]);
  });

  it('deadlines people can read: on the confirmation, the case card, open and mijn meldingen', async () => {
    await walk('online-pesten', 'pupil');
    const sent = await press('Versturen');
    assert.match(texts(sent), /uiterlijk \*\*morgen 12:00\*\* opgepakt/);
    assert.doesNotMatch(texts(sent), /buiten schooltijd/i, 'in school hours, for a normal case');
    const expertCard = await connector.waitFor((c) => c.conversationId === dmOf(AAD.pesten));
    assert.match(texts(expertCard), /Oppakken uiterlijk \| morgen 12:00/);
    await teacher.say('mijn meldingen');
    const mine = await connector.waitFor(
      (c) => c.conversationId === teacher.dm && /Mijn meldingen/.test(texts(c)),
    );
    assert.match(texts(mine), /uiterlijk morgen 12:00/);
    const expert = new TeamsUser(() => app.url, connector, AAD.pesten, AAD.pesten, 'A. Pesten');
    await expert.say('open meldingen');
    const open = await connector.waitFor(
      (c) => c.conversationId === expert.dm && /Open meldingen/.test(texts(c)),
    );
    assert.match(texts(open), /uiterlijk morgen 12:00/);
  });

  it('in a school holiday the confirmation says whom to call, as outside school hours', async () => {
    clock = new Date('2026-12-21T09:00:00Z'); // Monday 10:00, in the Christmas holiday
    await walk('online-pesten', 'pupil');
    const sent = await press('Versturen');
    assert.match(texts(sent), /buiten schooltijd.*Crisislijn 010-7654321/i);
  });

  it('acute danger reaches the schoolleiding and the crisis team at once; the confirmation names the crisis line', async () => {
    await start();
    const step2 = await press('Ja, acuut gevaar');
    assert.match(texts(step2), /Alarm verstuurd/);
    assert.match(texts(step2), /Crisislijn 010-7654321/);
    await connector.waitFor((c) => c.conversationId === dmOf(AAD.lead) && /De details volgen/.test(texts(c)));
    await connector.waitFor(
      (c) => c.conversationId === dmOf(AAD.crisis) && /De details volgen/.test(texts(c)),
    );
    await press('Volgende', { value: 'dreiging-school' });
    await press('Volgende', { value: 'external' });
    await press('Volgende', { checked: '' });
    await press('Volgende', { description: 'Op Instagram staat een dreiging voor morgen.' });
    const sent = await press('Versturen');
    assert.match(texts(sent), /uiterlijk \*\*vandaag 10:15\*\*/);
    assert.match(texts(sent), /crisiscontact van school: Crisislijn 010-7654321/);
    assert.match(
      texts(sent),
      /Bel \*\*112\*\* als iemand nu in gevaar is/,
      "the threat concern's emergency line",
    );
    assert.equal((await app.store.cases.list()).length, 1);
  });

  it('says what is missing', async () => {
    await start();
    await press('Nee');
    const typeMissing = await press('Volgende', { value: '' });
    assert.match(texts(typeMissing), /Kies wat er is gebeurd/);
    await press('Volgende', { value: 'nepaccount' });
    const involvedMissing = await press('Volgende', {});
    assert.match(texts(involvedMissing), /Kies wie er betrokken is/);
  });

  it('"Stoppen" asks first, keeps a draft that melding resumes, and throws away only when asked', async () => {
    await start();
    await press('Nee');
    await press('Volgende', { value: 'nepaccount' });
    await press('Volgende', { value: 'pupil' });
    await press('Volgende', { checked: 'do-0' });
    await press('Volgende', { description: 'Nepaccount op naam van mevrouw K.' });
    const asked = await press('Stoppen');
    assert.match(texts(asked), /Wil je stoppen met deze melding/);
    assert.equal(
      (await app.store.flows.findActive('teams', teacher.id))?.status,
      'active',
      'nothing lost yet',
    );
    const kept = await press('Stoppen en bewaren');
    assert.match(texts(kept), /bewaard maar nog niet verstuurd/);

    await teacher.say('melding');
    const resumed = await connector.waitFor(
      (c) => c.conversationId === teacher.dm && /Je was nog bezig met een melding/.test(texts(c)),
    );
    assert.match(texts(resumed), /Controleer je melding/);
    assert.match(texts(resumed), /Nepaccount op naam van mevrouw K\./, 'the draft is all there');

    await press('Stoppen');
    const gone = await press('Weggooien');
    assert.match(texts(gone), /gestopt/);
    assert.equal(await app.store.flows.findActive('teams', teacher.id), undefined);
    assert.equal((await app.store.cases.list()).length, 0, 'nothing was sent');
  });

  describe('after an alarm', () => {
    it('"Ja", back, "Nee": the alarm stays, and sending completes that case with the chosen type', async () => {
      await start();
      await press('Ja, acuut gevaar');
      await press('Terug');
      const step2 = await press('Nee');
      assert.match(texts(step2), /Bel nu \*\*112\*\*/, 'still shown as acute');
      await press('Volgende', { value: 'dreiging-school' });
      await press('Volgende', { value: 'external' });
      await press('Volgende', { checked: 'do-1' });
      await press('Volgende', { description: 'Een dreigend bericht over de school voor morgen.' });
      const sent = await press('Versturen');
      assert.match(texts(sent), /aangevuld/);
      const all = await app.store.cases.list();
      assert.equal(all.length, 1);
      assert.equal(all[0]?.pending, false);
      assert.equal(all[0]?.type, 'dreiging-school');
      assert.equal(all[0]?.urgent, true);
      assert.equal(await app.store.flows.findActive('teams', teacher.id), undefined, 'the flow is sent');
    });

    it('throwing the report away leaves the alarm standing, says so, and tells the experts no details will come', async () => {
      await start();
      await press('Ja, acuut gevaar');
      await connector.waitFor((c) => c.conversationId === dmOf(AAD.lead));
      await press('Stoppen');
      const gone = await press('Weggooien');
      assert.match(texts(gone), /acuut gevaar \(M-2026-0001\) is al verstuurd en blijft staan/);
      assert.doesNotMatch(texts(gone), /niets verstuurd/);
      const c = await app.store.cases.get('M-2026-0001');
      assert.equal(c?.status, 'open');
      assert.ok(c?.timeline.some((e) => e.action === 'details-withdrawn'));
      await connector.waitFor(
        (x) => x.conversationId === dmOf(AAD.lead) && x.method === 'PUT' && /niet afgemaakt/.test(texts(x)),
      );
    });

    it("a datalek's 72 hours run from the alarm, when the school knew", async () => {
      await start();
      await press('Ja, acuut gevaar');
      clock = new Date('2026-11-23T09:40:00Z');
      await press('Volgende', { value: 'datalek' });
      await press('Volgende', { value: 'unknown' });
      await press('Volgende', { checked: '' });
      await press('Volgende', { description: 'Een lijst met leerlinggegevens staat open online.' });
      await press('Versturen');
      const c = await app.store.cases.get('M-2026-0001');
      assert.equal(c?.legalDeadlineAt, '2026-11-26T09:00:00.000Z');
      const fgCard = await connector.waitFor((x) => x.conversationId === dmOf(AAD.fg));
      assert.match(texts(fgCard), /do 26 nov\.? 10:00 \(72 uur/);
    });

    it('a meldplicht report behind an alarm: the crisis team no longer sees it once the details come', async () => {
      await start();
      await press('Ja, acuut gevaar');
      await connector.waitFor((c) => c.conversationId === dmOf(AAD.crisis));
      await press('Volgende', { value: 'grooming' });
      await press('Volgende', { value: 'staff' });
      await press('Volgende', { checked: '' });
      const secret = 'Een collega heeft een leerling om foto’s gevraagd.';
      await press('Volgende', { description: secret });
      await press('Versturen');
      const c = await app.store.cases.get('M-2026-0001');
      assert.equal(c?.meldplicht, true);
      assert.deepEqual(c?.recipients, ['lead', 'board']);
      const stub = await connector.waitFor(
        (x) => x.conversationId === dmOf(AAD.crisis) && x.method === 'PUT',
      );
      assert.match(texts(stub), /Je ziet de details niet meer/);
      for (const call of connector.calls.filter((x) => x.conversationId === dmOf(AAD.crisis)))
        assert.ok(!JSON.stringify(call.body).includes(secret), 'the crisis team never gets the description');
      const board = await connector.waitFor((x) => x.conversationId === dmOf(AAD.board));
      assert.ok(texts(board).includes(secret));
    });
  });
});
