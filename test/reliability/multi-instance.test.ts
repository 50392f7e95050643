import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLAIM_MS } from '../../src/core/cases/dispatcher.js';
import type { CaseRecord } from '../../src/core/cases/model.js';
import { PgStore } from '../../src/storage/postgres/pg-store.js';
import { type ConnectorCall, FakeConnector } from '../helpers/fake-connector.js';
import { createTestDatabase, requirePostgres } from '../helpers/postgres.js';
import { callText, caseIdIn, reportUntilReview } from '../helpers/reporting.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TeamsUser } from '../helpers/teams-user.js';

/**
 * Two real Vangnet processes on one PostgreSQL database, no proxy in front: teachers report through both at once,
 * one process is killed (SIGKILL) halfway and started again. Nothing acknowledged may be lost or doubled, every
 * case card must arrive, and the weekly tip goes out once per channel across both.
 */

const EXPERT = '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01';
const TEACHERS = 16;
const SECOND_WAVE = 8;
const CHANNELS = ['19:team-a@thread.tacv2', '19:team-b@thread.tacv2', '19:team-c@thread.tacv2'];

/** The school's weekly tip moment set to this minute (Amsterdam time), so it is due at once. */
function tipMomentNow(now = new Date()): { day: number; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(String(parts.weekday)) + 1;
  return { day, time: `${parts.hour}:${parts.minute}` };
}

function amsterdamMinutes(now = new Date()): number {
  const [h, m] = tipMomentNow(now).time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function school(): string {
  const tips = tipMomentNow();
  return `
school: { name: Tweelingcollege, level: vo, crisisContact: "010-2" }
people:
  - { id: expert, name: "E. Xpert", teams: "${EXPERT}" }
roles:
  aanspreekpunt-pesten: { holders: [expert] }
  schoolleiding: { holders: [expert] }
admins: [expert]
tips: { day: ${tips.day}, time: "${tips.time}" }
`;
}

describe('two instances on one PostgreSQL database, one killed mid-run', function () {
  this.timeout(300_000);
  let dir: string;
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let connector: FakeConnector;
  const servers: (ServerProcess | undefined)[] = [undefined, undefined];
  const urls: string[] = ['', ''];

  before(async function () {
    await requirePostgres(this);
    // The tip moment is "this minute, today": not in the last two minutes of an Amsterdam day, or the day (and on
    // a Sunday night the week) would change under the test.
    while (amsterdamMinutes() >= 23 * 60 + 58) await new Promise((r) => setTimeout(r, 1000));
    dir = await mkdtemp(join(tmpdir(), 'multi-'));
    await writeFile(join(dir, 'school.yml'), school());
    db = await createTestDatabase();
    connector = await new FakeConnector().start();
  });

  after(async () => {
    for (const s of servers) await s?.stop().catch(() => undefined);
    await connector?.stop();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const start = async (i: 0 | 1) => {
    const env = {
      DATABASE_URL: db?.url ?? '',
      VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml'),
      VANGNET_TICK_SECONDS: '1',
      LOG_LEVEL: 'warn',
    };
    servers[i] = await startServerProcess({ env });
    urls[i] = servers[i]?.url ?? '';
  };

  /** Teacher `n`, talking to instance `n % 2` (or, with `shift` 1, to the other one). */
  const teacher = (n: number, shift = 0) =>
    new TeamsUser(
      () => urls[(n + shift) % 2] ?? '',
      connector,
      `29:teacher-${n}`,
      `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
      `Docent ${n}`,
    );

  /** What the kill cut off: reports abandoned mid-flow, and "Versturen" presses answered by the other instance. */
  const cut = { abandoned: 0, resent: 0 };

  /**
   * One report by teacher `n` through their instance. A step that gets no answer (the instance died under it) ends
   * the report unsent; "Versturen" without an answer is pressed again on the same card through the other instance,
   * as Teams would once a proxy routed around the dead one. Resolves with the acknowledged case number, if any.
   */
  const reportThrough = async (n: number, round = 0): Promise<string | undefined> => {
    const t = teacher(n);
    let review: ConnectorCall;
    try {
      review = await reportUntilReview(t, connector, {
        description: `Melding ${n}.${round}: C.D. wordt gepest.`,
      });
    } catch {
      cut.abandoned++;
      return undefined;
    }
    const send = async (shift: number) => {
      const mark = connector.calls.length;
      await teacher(n, shift).press(review, 'Versturen');
      const sent = await connector.waitFor(
        (c) =>
          c.conversationId === t.dm && connector.calls.indexOf(c) >= mark && /is verstuurd/.test(callText(c)),
        15_000,
      );
      return /Melding (M-\d{4}-\d{4,6}) is verstuurd/.exec(callText(sent))?.[1];
    };
    try {
      return await send(0);
    } catch {
      cut.resent++;
      return await send(1).catch(() => undefined);
    }
  };

  it('keeps every acknowledged case exactly once, delivers every card, and posts each week’s tip once', async () => {
    await Promise.all([start(0), start(1)]);
    for (const [i, id] of CHANNELS.entries()) {
      const via = teacher(i); // split over both instances
      await via.mention('tips aan', { id, conversationType: 'channel', tenantId: 'tenant-1' });
    }
    // The tip moment is now: each channel gets its tip from whichever instance's tips job runs first.
    for (const id of CHANNELS)
      await connector.waitFor((c) => c.conversationId === id && /Tip van de week/.test(callText(c)), 30_000);

    // Wave one: every teacher reporting again and again, half through each instance, until instance 0 is killed.
    const acknowledged = new Map<string, number>();
    let halfway: () => void = () => undefined;
    const half = new Promise<void>((resolve) => {
      halfway = resolve;
    });
    const record = (n: number) => (id: string | undefined) => {
      if (!id) return;
      assert.ok(!acknowledged.has(id), `${id} acknowledged to two teachers`);
      acknowledged.set(id, n);
      if (acknowledged.size >= TEACHERS) halfway();
    };
    let killed = false;
    const wave = Array.from({ length: TEACHERS }, async (_, i) => {
      for (let round = 0; !killed && round < 10; round++) record(i + 1)(await reportThrough(i + 1, round));
    });
    await Promise.race([half, Promise.all(wave)]);
    killed = true;
    const killedAt = Date.now();
    await servers[0]?.stop('SIGKILL');
    servers[0] = undefined;
    await Promise.all(wave);
    assert.ok(acknowledged.size >= TEACHERS, `acknowledged before the kill: ${acknowledged.size}`);
    assert.ok(cut.abandoned + cut.resent > 0, 'the kill cut off requests in flight');

    // Instance 0 again, then wave two through both: all of it acknowledged.
    const beforeRestart = acknowledged.size;
    await start(0);
    await Promise.all(
      Array.from({ length: SECOND_WAVE }, (_, i) =>
        reportThrough(TEACHERS + i + 1).then(record(TEACHERS + i + 1)),
      ),
    );
    assert.equal(acknowledged.size, beforeRestart + SECOND_WAVE, 'both instances answer again');

    // The database: every acknowledged case once, unique numbers, at most one case per report flow.
    const store = await PgStore.open(db?.url ?? '', { readOnly: true });
    let stored: readonly CaseRecord[];
    try {
      stored = await store.cases.list();
    } finally {
      await store.close();
    }
    const ids = stored.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'case numbers are unique');
    for (const [id, n] of acknowledged) {
      const matching = stored.filter((c) => c.id === id);
      assert.equal(matching.length, 1, `${id} is stored once`);
      assert.equal(
        matching[0]?.reporter.userId,
        `29:teacher-${n}`,
        `${id} belongs to the teacher it was acknowledged to`,
      );
    }
    const flows = stored.map((c) => c.formId);
    assert.equal(new Set(flows).size, flows.length, 'one case per report flow');

    // Every stored case reaches the expert; a card delivered twice (a delivery cut off by the kill) is counted.
    const expertDm = `a:dm-${EXPERT}`;
    const cardsOf = (id: string) =>
      connector.calls.filter(
        (c) =>
          c.conversationId === expertDm &&
          c.method === 'POST' &&
          caseIdIn(c) === id &&
          /Melding M-/.test(callText(c)),
      ).length;
    // What the dead instance had claimed waits for its claim to expire, then another instance sends it.
    const lastAllowed = killedAt + CLAIM_MS + 30_000;
    for (const id of ids)
      await connector
        .waitFor(
          (c) => c.conversationId === expertDm && caseIdIn(c) === id,
          Math.max(1, lastAllowed - Date.now()),
        )
        .catch(() =>
          assert.fail(
            `${id} did not reach the expert within ${(lastAllowed - killedAt) / 1000} s of the kill`,
          ),
        );
    const lastCard = (Date.now() - killedAt) / 1000;
    const duplicates = ids.reduce((sum, id) => sum + Math.max(0, cardsOf(id) - 1), 0);
    console.log(
      `      multi-instance: ${acknowledged.size} acknowledged, ${ids.length} stored, ${ids.length} cards delivered ` +
        `(kill cut ${cut.abandoned} report(s) mid-flow, ${cut.resent} "Versturen" answered by the other instance) ` +
        `(all there ${lastCard.toFixed(1)} s after the kill), ${duplicates} duplicate card(s)`,
    );
    for (const id of ids) assert.ok(cardsOf(id) >= 1, `${id} never reached the expert`);

    // The tip: once per channel, across both instances, the kill and the restart (the tips job ran every second).
    for (const id of CHANNELS)
      assert.equal(
        connector.calls.filter((c) => c.conversationId === id && /Tip van de week/.test(callText(c))).length,
        1,
        `one tip in ${id}`,
      );
  });
});
