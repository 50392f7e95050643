import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buttonData,
  type ConnectorCall,
  cardTexts,
  FakeConnector,
  findAction,
} from '../helpers/fake-connector.js';
import { type InvokeAnswer, TeamsUser } from '../helpers/teams-user.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const AAD = {
  teacher: '00000000-0000-0000-0000-0000000000a1',
  expert: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01',
  lead: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a04',
  other: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a99',
};
const SCHOOL = `
school: { name: Testcollege, level: vo, crisisContact: "010-1234567" }
people:
  - { id: jdevries, name: "J. de Vries", teams: "${AAD.expert}" }
  - { id: pjansen, name: "P. Jansen", teams: "${AAD.lead}" }
roles:
  vertrouwenspersoon: { holders: [jdevries] }
  schoolleiding: { holders: [pjansen] }
admins: [pjansen]
`;
const CHANNEL = {
  id: '19:klas2b@thread.tacv2;messageid=777',
  conversationType: 'channel',
  tenantId: 'tenant-1',
};

/** The card of an invoke answer, or a failure that says what came back. */
function cardOf(answer: InvokeAnswer | undefined): Record<string, unknown> {
  assert.equal(answer?.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(answer).slice(0, 200));
  return answer.value as Record<string, unknown>;
}

describe('Teams Universal Actions (Action.Execute, refresh) through the fake connector', function () {
  this.timeout(30000);
  let dir: string;
  let connector: FakeConnector;
  let app: TestApp;
  let teacher: TeamsUser;
  let expert: TeamsUser;
  let other: TeamsUser;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ua-'));
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    connector = await new FakeConnector().start();
    app = await startTestApp({ VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml') });
    teacher = new TeamsUser(() => app.url, connector, '29:teacher-1', AAD.teacher, 'T. Docent');
    expert = new TeamsUser(() => app.url, connector, AAD.expert, AAD.expert, 'J. de Vries');
    other = new TeamsUser(() => app.url, connector, '29:other', AAD.other, 'Iemand Anders');
  });
  afterEach(async () => {
    await app.cleanup();
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const texts = (card: unknown) => cardTexts(card).join(' | ');
  const callsSince = (mark: number) => connector.calls.slice(mark);

  /** A question to the expert, sent as a case: copy A is the card it arrives with. */
  async function caseCardForExpert(): Promise<ConnectorCall> {
    await teacher.say('hoi'); // the bot knows the teacher's chat and the service URL
    await connector.waitFor((c) => c.conversationId === teacher.dm);
    await app.cases?.createQuestion({
      reporter: { platform: 'teams', userId: teacher.id, aadObjectId: AAD.teacher, name: 'T. Docent' },
      question: 'Mag een leerling mij filmen tijdens de les?',
      role: 'vertrouwenspersoon',
      formId: '11111111-2222-4333-8444-555555555555',
    });
    return connector.waitFor((c) => c.conversationId === expert.dm);
  }

  it('"Ik pak dit op" on one copy: the other copy refreshes to "Opgepakt door …", and no chat message is posted', async () => {
    const copyA = await caseCardForExpert();
    const cardA = FakeConnector.card(copyA) as Record<string, unknown>;
    assert.equal(findAction(cardA, 'Ik pak dit op')?.type, 'Action.Execute');
    // Every copy refreshes for the case's experts, named by their Teams MRI.
    assert.deepEqual(cardA.refresh, {
      action: { type: 'Action.Execute', verb: 'case.refresh', data: { caseId: 'V-2026-0001' } },
      // The people it was sent to, and the admins (who may open any case).
      userIds: [`8:orgid:${AAD.expert}`, `8:orgid:${AAD.lead}`],
    });

    // Copy B: "Bekijken" from "open meldingen" brings the same case as a new message.
    await expert.say('open meldingen');
    const list = await connector.waitFor(
      (c) => c.conversationId === expert.dm && /Open meldingen/.test(texts(FakeConnector.card(c))),
    );
    let mark = connector.calls.length;
    await expert.press(list, 'Bekijken');
    const copyB = await connector.waitFor(
      (c) => c.conversationId === expert.dm && c.method === 'POST' && connector.calls.indexOf(c) >= mark,
    );
    assert.match(texts(FakeConnector.card(copyB)), /Ik pak dit op/);

    // Take it up on copy A: the answer to the button is the updated card, with what happened on top.
    mark = connector.calls.length;
    const taken = cardOf(await expert.press(copyA, 'Ik pak dit op'));
    assert.match(texts(taken), /Je hebt melding V-2026-0001 opgepakt/);
    assert.match(texts(taken), /Opgepakt door J\. de Vries/);
    assert.doesNotMatch(texts(taken), /Ik pak dit op/);
    assert.ok(
      callsSince(mark).every((c) => c.method === 'PUT' || c.conversationId === teacher.dm),
      'the expert gets no chat message: the card says it (the reporter is told in their own chat)',
    );

    // Copy B refreshes by itself when the expert looks at it: the current state, and nothing posted.
    mark = connector.calls.length;
    const refreshed = cardOf(
      await expert.execute(
        'case.refresh',
        { caseId: 'V-2026-0001' },
        expert.dm,
        copyB.responseId,
        'automatic',
      ),
    );
    assert.match(texts(refreshed), /Opgepakt door J\. de Vries/);
    assert.doesNotMatch(texts(refreshed), /Ik pak dit op/);
    assert.deepEqual(callsSince(mark), [], 'a refresh never posts or updates a chat message');

    // Someone who may not see the case gets no details from a refresh, and nothing is posted either.
    await other.say('hoi');
    await connector.waitFor((c) => c.conversationId === other.dm);
    mark = connector.calls.length;
    const refused = cardOf(
      await other.execute('case.refresh', { caseId: 'V-2026-0001' }, other.dm, 'x', 'automatic'),
    );
    assert.match(texts(refused), /kun je hier niet \(meer\) bekijken/);
    assert.doesNotMatch(JSON.stringify(refused), /filmen/);
    assert.deepEqual(callsSince(mark), []);
  });

  it('an automatic refresh never posts, whatever it carries (unknown verb, forged data)', async () => {
    await teacher.say('hoi');
    await connector.waitFor((c) => c.conversationId === teacher.dm);
    const mark = connector.calls.length;
    for (const [verb, data] of [
      ['bestaat.niet', {}],
      ['case.refresh', { caseId: '__proto__' }],
      ['case.take', { caseId: 'M-2026-0001' }],
      ['kb.feedback', { slug: 'x', helpful: 'misschien' }],
    ] as const) {
      const answer = await teacher.execute(verb, data, teacher.dm, 'x', 'automatic');
      assert.equal(answer.statusCode, 200, verb);
    }
    assert.deepEqual(callsSince(mark), [], 'no "Deze knop werkt niet meer" in the chat');
  });

  it('"Hielp dit? Ja" in a channel updates the card for the person who clicked, and posts nothing there', async () => {
    await teacher.mention('account van een leerling gehackt', CHANNEL);
    const answerCall = await connector.waitFor((c) => c.conversationId === CHANNEL.id);
    assert.match(texts(FakeConnector.card(answerCall)), /Hielp dit\?/);
    const mark = connector.calls.length;
    const mine = cardOf(await teacher.press(answerCall, 'Ja'));
    assert.match(texts(mine), /Dank je, fijn dat het hielp/);
    assert.doesNotMatch(texts(mine), /Hielp dit\?/);
    assert.ok(texts(mine).includes('Lees meer'), 'the rest of the answer stays');
    assert.deepEqual(callsSince(mark), [], 'no public reply, no change of the shared card');
    assert.deepEqual(
      (await app.store.feedback.list()).map((f) => f.helpful),
      [true],
    );
    // A second press on the same card, from an older client that sends a message (Action.Submit) instead: feedback
    // counts once per person per card, and still nothing is posted.
    await teacher.submit(
      { ...buttonData(FakeConnector.card(answerCall), 'Nee') },
      CHANNEL.id,
      answerCall.responseId,
    );
    assert.deepEqual(callsSince(mark), []);
    assert.equal((await app.store.feedback.list()).length, 1);
  });

  it('"mijn meldingen" in a channel: the list comes in the private chat, the channel gets a link to that chat', async () => {
    await teacher.say('hoi');
    await connector.waitFor((c) => c.conversationId === teacher.dm);
    const mark = connector.calls.length;
    await teacher.mention('mijn meldingen', CHANNEL);
    const list = await connector.waitFor(
      (c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= mark,
    );
    assert.match(texts(FakeConnector.card(list)), /Mijn meldingen/);
    const note = await connector.waitFor(
      (c) => c.conversationId === CHANNEL.id && connector.calls.indexOf(c) >= mark,
    );
    const card = FakeConnector.card(note);
    assert.match(texts(card), /Ik heb je het antwoord privé gestuurd/);
    assert.deepEqual(findOpenUrl(card), 'https://teams.microsoft.com/l/chat/0/0?users=28:vangnet-bot');
  });

  it('"Melden bij Vangnet" on a post: the report opens privately with where, when and by whom — nothing in the channel', async () => {
    await teacher.say('hoi');
    await connector.waitFor((c) => c.conversationId === teacher.dm);
    const mark = connector.calls.length;
    const answer = await teacher.reportMessage(
      {
        id: '1717000000000',
        createdDateTime: '2026-11-23T08:02:00.000Z',
        linkToMessage:
          'https://teams.microsoft.com/l/message/19:klas2b@thread.tacv2/1717000000000?tenantId=tenant-1',
        from: { user: { id: '29:pupil', displayName: 'Leerling 2B', userIdentityType: 'aadUser' } },
        body: {
          contentType: 'html',
          content:
            '<p>Kijk wat Sanne de Boer stuurde 06-12345678 https://x.example/a</p><img src="https://graph/img.png"><attachment id="a1"></attachment>',
        },
        attachments: [
          {
            id: 'a1',
            contentType: 'reference',
            contentUrl: 'https://sharepoint/secret.jpg',
            name: 'secret.jpg',
          },
        ],
      },
      CHANNEL,
      { channel: { id: '19:klas2b@thread.tacv2', name: 'Algemeen' }, team: { id: '19:t', name: 'Klas 2B' } },
    );
    assert.equal(answer.task?.type, 'message');
    assert.match(answer.task?.value ?? '', /Ik help je verder in een privégesprek/);
    const step = await connector.waitFor(
      (c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= mark,
    );
    assert.match(texts(FakeConnector.card(step)), /Je meldt een bericht uit kanaal Klas 2B › Algemeen/);
    assert.match(texts(FakeConnector.card(step)), /Is er nu acuut gevaar/);
    assert.ok(
      callsSince(mark).every((c) => c.conversationId === teacher.dm),
      'nothing is posted where the message was',
    );

    const flow = await app.store.flows.findActive('teams', teacher.id);
    assert.equal(flow?.source?.author, 'Leerling 2B');
    assert.equal(flow?.source?.sentAt, '2026-11-23T08:02:00.000Z');
    assert.equal(flow?.source?.placeName, 'Klas 2B › Algemeen');
    assert.match(flow?.source?.link ?? '', /^https:\/\/teams\.microsoft\.com\/l\/message\//);
    const kept = JSON.stringify(flow?.source);
    for (const leak of ['Sanne', 'Boer', '12345678', 'x.example', 'img.png', 'secret.jpg', 'sharepoint'])
      assert.ok(!kept.includes(leak), `${leak} is not kept`);

    // The case card the expert gets says which message the report is about.
    let card = step;
    for (const [button, inputs] of [
      ['Nee', {}],
      ['Volgende', { value: 'online-pesten' }],
      ['Volgende', { value: 'pupil' }],
      ['Volgende', { checked: '' }],
      ['Volgende', { description: 'Vervelend bericht over een klasgenoot.' }],
      ['Versturen', {}],
    ] as const) {
      const m = connector.calls.length;
      await teacher.press(card, button, inputs);
      card = await connector.waitFor(
        (c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= m,
      );
    }
    const caseCard = await connector.waitFor((c) => c.conversationId === `a:dm-${AAD.lead}`);
    const shown = texts(FakeConnector.card(caseCard));
    assert.match(shown, /Gemeld bericht/);
    assert.match(shown, /Leerling 2B · 23-11-2026, 09:02 · kanaal Klas 2B › Algemeen/);
    assert.match(shown, /\[Bericht openen\]\(https:\/\/teams\.microsoft\.com\/l\/message\//);
    assert.ok(!shown.includes('Sanne') && !shown.includes('secret.jpg'));
  });
});

function findOpenUrl(card: unknown): string | undefined {
  const actions = (card as { actions?: { type: string; url?: string }[] } | undefined)?.actions ?? [];
  return actions.find((a) => a.type === 'Action.OpenUrl')?.url;
}
