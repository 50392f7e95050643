import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorCall } from '../helpers/fake-connector.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { createTestDatabase, requirePostgres } from '../helpers/postgres.js';
import { answerText, callText, caseIdIn, report, reportUntilReview } from '../helpers/reporting.js';
import { TeamsUser } from '../helpers/teams-user.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Races a school would notice, through the real app: restify, botbuilder's CloudAdapter and the store, with the
 * clicks arriving as the Teams service delivers them (in parallel, on a fake connector). Each ran wrong on the
 * first round's storage (whole-snapshot writes without versions): two cases for one double click, two experts
 * who both "took" a case, a reminder that overwrote a take-up.
 */

const AAD = {
  teacher: '00000000-0000-0000-0000-0000000000a1',
  devries: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01',
  bakker: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a02',
  jansen: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a04',
};

const SCHOOL = `
school: { name: Racecollege, level: vo, crisisContact: "Schoolleiding 010-1234567" }
people:
  - { id: jdevries, name: "J. de Vries", teams: "${AAD.devries}" }
  - { id: sbakker, name: "S. Bakker", teams: "${AAD.bakker}" }
  - { id: pjansen, name: "P. Jansen", teams: "${AAD.jansen}" }
roles:
  aanspreekpunt-pesten: { holders: [jdevries, sbakker] }
  schoolleiding: { holders: [pjansen] }
admins: [pjansen]
deadlines: { urgentMinutes: 15, normalNextSchoolDayAt: "12:00" }
# An urgent type sent to the two experts only (acute danger would alert the schoolleiding as well).
routing: { sextortion: [aanspreekpunt-pesten] }
`;

/** Monday 23 November 2026, 10:00 in Amsterdam: a school day. */
const T0 = new Date('2026-11-23T09:00:00Z');
const ROUNDS = 20;

/**
 * How a round lines up the take-up and the deadline check: the check starting while the take-up has read the case
 * but not yet written it (at its first or second read), the whole take-up inside the check's read-then-write, or
 * both free-running with the check starting a different number of event-loop turns after the click.
 */
const INTERLEAVINGS = [
  'check-during-first-read',
  'check-during-second-read',
  'take-between-check-read-and-write',
  'free-running',
] as const;
type Interleaving = (typeof INTERLEAVINGS)[number];

for (const storeKind of ['lowdb', 'postgres'] as const) {
  describe(`races through the real app (fake Teams connector, ${storeKind})`, function () {
    this.timeout(120_000);
    let dir: string;
    let connector: FakeConnector;
    let app: TestApp;
    let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    let clock: Date;
    let teacher: TeamsUser;
    let devries: TeamsUser;
    let bakker: TeamsUser;

    before(async function () {
      if (storeKind === 'postgres') await requirePostgres(this);
    });

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'races-'));
      await writeFile(join(dir, 'school.yml'), SCHOOL);
      clock = T0;
      connector = await new FakeConnector().start();
      db = storeKind === 'postgres' ? await createTestDatabase() : undefined;
      app = await startTestApp(
        { VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml'), ...(db ? { DATABASE_URL: db.url } : {}) },
        { now: () => clock },
      );
      assert.equal(app.store.kind, storeKind);
      teacher = new TeamsUser(() => app.url, connector, '29:teacher-1', AAD.teacher, 'T. Docent');
      devries = new TeamsUser(() => app.url, connector, AAD.devries, AAD.devries, 'J. de Vries');
      bakker = new TeamsUser(() => app.url, connector, AAD.bakker, AAD.bakker, 'S. Bakker');
    });

    afterEach(async () => {
      await app?.cleanup();
      await connector?.stop();
      await db?.drop();
      await rm(dir, { recursive: true, force: true });
    });

    /** Calls into a conversation since `mark` whose text matches. */
    const since = (mark: number, conv: string, re: RegExp) =>
      connector.calls.slice(mark).filter((c) => c.conversationId === conv && re.test(callText(c)));

    /** Waits until `n` calls since `mark` into `conv` match `re` (already there, or still to come). */
    const untilCount = (mark: number, conv: string, re: RegExp, n: number) =>
      connector.waitFor(
        (c) => c.conversationId === conv && re.test(callText(c)) && since(mark, conv, re).length >= n,
        10_000,
      );

    /** The case card an expert received for a case. */
    const cardFor = (expert: TeamsUser, id: string) =>
      connector.waitFor(
        (c) => c.conversationId === expert.dm && c.method === 'POST' && caseIdIn(c) === id,
        10_000,
      );

    it('"Versturen" pressed twice at once: one case, both presses answered with its number, one card per expert', async () => {
      const review = await reportUntilReview(teacher, connector);
      const mark = connector.calls.length;
      const pressed = await Promise.all([
        teacher.press(review, 'Versturen'),
        teacher.press(review, 'Versturen'),
      ]);
      // Each press is answered in its invoke response (what the teacher sees at once) and the card is updated.
      assert.deepEqual(
        pressed.map((a) => /Melding (M-\d{4}-\d{4,6}) is verstuurd/.exec(answerText(a))?.[1]),
        ['M-2026-0001', 'M-2026-0001'],
        'both presses name the one case',
      );
      await untilCount(mark, teacher.dm, /is verstuurd/, 2);
      assert.ok(
        since(mark, teacher.dm, /is verstuurd/).every((c) => caseIdIn(c) === 'M-2026-0001'),
        'the card shows the one case',
      );

      const cases = await app.store.cases.list();
      assert.deepEqual(
        cases.map((c) => c.id),
        ['M-2026-0001'],
        'one case',
      );
      await cardFor(devries, 'M-2026-0001');
      await cardFor(bakker, 'M-2026-0001');
      await app.cases?.dispatcher.idle();
      for (const expert of [devries, bakker])
        assert.equal(
          since(0, expert.dm, /Melding M-2026-0001/).filter((c) => c.method === 'POST').length,
          1,
          `one case card for ${expert.name}`,
        );
      assert.equal(await app.store.flows.findActive('teams', teacher.id), undefined, 'the flow is sent');
    });

    it('two experts press "Ik pak dit op" at once: one takes it, the other is told who has it, the reporter hears once', async () => {
      const id = await report(teacher, connector);
      assert.equal(id, 'M-2026-0001');
      const cards = [await cardFor(devries, id), await cardFor(bakker, id)] as const;
      await app.cases?.dispatcher.idle();

      const mark = connector.calls.length;
      const [a, b] = await Promise.all([
        devries.press(cards[0], 'Ik pak dit op'),
        bakker.press(cards[1], 'Ik pak dit op'),
      ]);
      const shown = new Map([
        [devries, answerText(a)],
        [bakker, answerText(b)],
      ]);
      const took = (u: TeamsUser) => new RegExp(`Je hebt melding ${id} opgepakt`).test(shown.get(u) ?? '');
      const refused = (u: TeamsUser) => /Deze melding is al opgepakt door/.test(shown.get(u) ?? '');
      const [winner, loser] = took(devries) ? [devries, bakker] : [bakker, devries];
      assert.ok(took(winner) && !refused(winner), `${winner.name} is told they took it`);
      assert.ok(!took(loser), `${loser.name} did not take it too`);
      assert.ok(refused(loser), `${loser.name} is told it is taken`);
      assert.match(shown.get(loser) ?? '', new RegExp(`al opgepakt door ${winner.name}`));

      const stored = await app.store.cases.get(id);
      const winnerId = winner === devries ? 'jdevries' : 'sbakker';
      assert.equal(stored?.status, 'taken');
      assert.equal(stored?.assignee, winnerId);
      assert.deepEqual(
        stored?.timeline.filter((e) => e.action === 'taken').map((e) => e.by),
        [winnerId],
        'one taken in the timeline',
      );

      await untilCount(mark, teacher.dm, /is opgepakt door/, 1);
      await app.cases?.dispatcher.idle();
      const notices = since(mark, teacher.dm, /is opgepakt door/);
      assert.equal(notices.length, 1, 'the reporter gets exactly one "opgepakt" notice');
      assert.match(callText(notices[0] as ConnectorCall), new RegExp(`opgepakt door ${winner.name}`));
    });

    it(`a take-up during the deadline check (${ROUNDS} rounds): no reminder after the take, the timeline complete and in order`, async () => {
      let reminderFirst = 0;
      const restore = { get: app.store.cases.get, list: app.store.cases.list };
      const cases = app.store.cases as { get: typeof restore.get; list: typeof restore.list };

      /** The take-up pressed by J. de Vries and the deadline check running until it is answered. */
      const race = async (id: string, card: ConnectorCall, how: Interleaving, round: number) => {
        let answered = false;
        let checking: Promise<void> | undefined;
        const check = () => {
          checking ??= (async () => {
            do {
              await app.cases?.checkDeadlines();
              await new Promise((r) => setImmediate(r));
            } while (!answered);
          })();
          return checking;
        };
        let take: Promise<unknown> | undefined;
        let reads = 0;
        if (how === 'check-during-first-read' || how === 'check-during-second-read') {
          // The check starts right after the take-up read the case, before it decides and writes.
          const at = how === 'check-during-first-read' ? 1 : 2;
          cases.get = async (caseId) => {
            const found = await restore.get(caseId);
            if (caseId === id && !checking && ++reads === at) void check();
            return found;
          };
        } else if (how === 'take-between-check-read-and-write') {
          // The check found the case due; the whole take-up happens before it goes on to write.
          let held = false;
          cases.list = async (filter) => {
            const found = await restore.list(filter);
            if (filter?.dueBy && !held) {
              held = true;
              await take;
            }
            return found;
          };
        }
        try {
          take = devries.press(card, 'Ik pak dit op').finally(() => {
            answered = true;
          });
          if (how === 'take-between-check-read-and-write') void check();
          if (how === 'free-running') {
            for (let i = 0; i < round; i++) await new Promise((r) => setImmediate(r));
            void check();
          }
          await take;
          await check();
        } finally {
          cases.get = restore.get;
          cases.list = restore.list;
        }
      };
      for (let round = 0; round < ROUNDS; round++) {
        clock = T0;
        const id = await report(teacher, connector, { type: 'sextortion' });
        assert.ok(id, `round ${round}: acknowledged`);
        const card = await cardFor(devries, id);
        await cardFor(bakker, id);
        await app.cases?.dispatcher.idle();
        const before = await app.store.cases.get(id);
        assert.deepEqual(
          before?.timeline.map((e) => e.action),
          ['created', 'delivered', 'delivered'],
        );

        // Past the urgent deadline: the take-up and the deadline check run at once, the check again and again
        // until the take-up is answered. Each round lines them up differently (see `Interleaving`).
        clock = new Date(T0.getTime() + 16 * 60_000);
        const mark = connector.calls.length;
        await race(id, card, INTERLEAVINGS[round % INTERLEAVINGS.length] as Interleaving, round);
        await untilCount(mark, teacher.dm, new RegExp(`${id} is opgepakt door`), 1);
        await app.cases?.dispatcher.idle();

        const stored = await app.store.cases.get(id);
        assert.equal(stored?.status, 'taken', `round ${round}: the take-up counts`);
        assert.equal(stored?.assignee, 'jdevries');
        const actions = stored?.timeline.map((e) => e.action) ?? [];
        const reminded = actions.includes('reminder');
        if (reminded) reminderFirst++;
        assert.deepEqual(
          actions,
          ['created', 'delivered', 'delivered', ...(reminded ? ['reminder'] : []), 'taken'],
          `round ${round}: every entry, once, in order`,
        );

        const confirmation = connector.calls.findIndex(
          (c, i) =>
            i >= mark &&
            c.conversationId === devries.dm &&
            new RegExp(`Je hebt melding ${id} opgepakt`).test(callText(c)),
        );
        assert.ok(confirmation >= 0, `round ${round}: the expert is told they took it`);
        for (const expert of [devries, bakker]) {
          const reminders = connector.calls
            .map((c, i) => ({ c, i }))
            .filter(
              ({ c, i }) =>
                i >= mark &&
                c.conversationId === expert.dm &&
                /Herinnering/.test(callText(c)) &&
                caseIdIn(c) === id,
            );
          assert.ok(reminders.length <= (reminded ? 1 : 0), `round ${round}: reminders to ${expert.name}`);
          for (const { i } of reminders)
            assert.ok(
              i < confirmation,
              `round ${round}: a reminder reached ${expert.name} after the take-up`,
            );
        }
        assert.equal(
          since(mark, teacher.dm, new RegExp(`${id} is opgepakt door`)).length,
          1,
          `round ${round}: one notice to the reporter`,
        );
      }
      console.log(
        `      take-up vs deadline check (${storeKind}): the reminder came first in ${reminderFirst} of ${ROUNDS} rounds`,
      );
    });
  });
}
