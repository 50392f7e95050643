import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeConnector } from '../helpers/fake-connector.js';
import { answerText, callText, reportUntilReview } from '../helpers/reporting.js';
import { fingerprint, runEntry } from '../helpers/run-process.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TeamsUser } from '../helpers/teams-user.js';

/**
 * What an operator of the embedded store meets, with real processes: a second start on the same folder, the
 * looking CLI commands beside the running bot, and a disk that refuses writes.
 */

const EXPERT = '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01';
const SCHOOL = `
school: { name: Beheerschool, level: vo, crisisContact: "010-3" }
people:
  - { id: expert, name: "E. Xpert", teams: "${EXPERT}" }
roles:
  aanspreekpunt-pesten: { holders: [expert] }
  schoolleiding: { holders: [expert] }
admins: [expert]
`;
const CHANNEL = { id: '19:lerarenkamer@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' };

describe('operating the embedded store (real processes on one DATA_DIR)', function () {
  this.timeout(120_000);
  let dir: string;
  let dataDir: string;
  let env: Record<string, string>;
  let connector: FakeConnector;
  let server: ServerProcess | undefined;
  let teacher: TeamsUser;
  let expert: TeamsUser;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'operator-'));
    dataDir = join(dir, 'data');
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    // The scheduler stays quiet (hourly), so nothing but the requests below writes the folder.
    env = { VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml'), VANGNET_TICK_SECONDS: '3600', LOG_LEVEL: 'warn' };
    connector = await new FakeConnector().start();
    server = await startServerProcess({ env, dataDir });
    teacher = new TeamsUser(
      () => server?.url ?? '',
      connector,
      '29:teacher-1',
      '00000000-0000-0000-0000-0000000000a1',
      'T. Docent',
    );
    expert = new TeamsUser(() => server?.url ?? '', connector, EXPERT, EXPERT, 'E. Xpert');
    // Something in every part the CLI reads: a knowledge gap and a tip subscription.
    await teacher.say('mag dat eigenlijk wel'); // no article answers it: a knowledge gap
    await teacher.mention('tips aan', CHANNEL);
    await connector.waitFor((c) => c.conversationId === CHANNEL.id);
  });

  after(async () => {
    await server?.stop();
    await connector?.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const pid = () => server?.child.pid;

  it('a second start on the same DATA_DIR exits 1 naming the pid that holds it, and changes nothing', async () => {
    const before = await fingerprint(dataDir);
    const second = await runEntry('main', [], { ...env, DATA_DIR: dataDir });
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`in use by Vangnet process ${pid()} on `));
    assert.match(second.stderr, /use PostgreSQL \(DATABASE_URL\)/);
    assert.equal(await fingerprint(dataDir), before, 'the folder is byte-identical');
    const health = await fetch(`${server?.url}/healthz`);
    assert.equal(health.status, 200, 'the running bot is not disturbed');
  });

  it('`vangnet kb gaps` and `vangnet tips preview` beside the running bot answer and leave the folder byte-identical', async () => {
    const before = await fingerprint(dataDir);
    const gaps = await runEntry('cli', ['kb', 'gaps'], { ...env, DATA_DIR: dataDir });
    assert.equal(gaps.code, 0, gaps.stderr);
    assert.match(gaps.stdout, /unanswered\s+\S+\s+mag dat eigenlijk wel/);
    const preview = await runEntry('cli', ['tips', 'preview'], { ...env, DATA_DIR: dataDir });
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, new RegExp(`teams\\s+${CHANNEL.id}`));
    assert.match(preview.stdout, /next: tip-\d{3}/);
    assert.equal(await fingerprint(dataDir), before, 'the folder is byte-identical');
  });

  it('`vangnet tips send --now` beside the running bot refuses with its reason and exit 1', async () => {
    const before = await fingerprint(dataDir);
    const mark = connector.calls.length;
    const send = await runEntry('cli', ['tips', 'send', '--now'], { ...env, DATA_DIR: dataDir });
    assert.equal(send.code, 1, send.stdout + send.stderr);
    assert.match(send.stdout, new RegExp(`in use by Vangnet process ${pid()} on `));
    assert.match(send.stdout, /The running bot posts the weekly tip itself/);
    assert.equal(await fingerprint(dataDir), before, 'the folder is byte-identical');
    assert.equal(connector.calls.length, mark, 'nothing was posted');
  });

  it('/healthz says 503 store.write_failed while the disk refuses writes, a submit then fails visibly and reaches nobody, and all recovers', async () => {
    const review = await reportUntilReview(teacher, connector);
    // The disk refuses the next write: the temporary file's name is taken by a folder (EISDIR, even for root).
    const blocker = join(dataDir, `.vangnet.json.${pid()}.tmp`);
    await mkdir(blocker);
    try {
      const mark = connector.calls.length;
      const answer = await teacher.press(review, 'Versturen');
      const shown = [answerText(answer), ...connector.calls.slice(mark).map(callText)].join(' || ');
      assert.match(shown, /ging iets mis/, 'the teacher sees it did not work');
      assert.doesNotMatch(shown, /is verstuurd/);

      const failing = await fetch(`${server?.url}/healthz`);
      assert.equal(failing.status, 503);
      assert.deepEqual(await failing.json(), { status: 'unavailable', code: 'store.write_failed' });

      await rm(blocker, { recursive: true });
      const healthy = await fetch(`${server?.url}/healthz`);
      assert.equal(healthy.status, 200);
      assert.deepEqual(await healthy.json(), { status: 'ok' });

      // "Versturen" again on the card still on screen: now it is sent, as the first case.
      const sent = answerText(await teacher.press(review, 'Versturen'));
      assert.match(sent, /Melding M-\d{4}-0001 is verstuurd/, 'no number was used up');
      await connector.waitFor((c) => c.conversationId === expert.dm);
      const cards = connector.calls.filter((c) => c.conversationId === expert.dm);
      assert.equal(cards.length, 1, 'the expert got one card: nothing from the failed submit');
      assert.match(callText(cards[0] as (typeof cards)[number]), /Melding M-\d{4}-0001/);
    } finally {
      await rm(blocker, { recursive: true, force: true });
    }
  });
});
