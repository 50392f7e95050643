import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { type ConnectorCall, cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TeamsUser } from '../helpers/teams-user.js';

const EXPERT = '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01';
const SCHOOL = `
school: { name: Crashschool, level: vo, crisisContact: "010-3" }
people:
  - { id: expert, name: "E. Xpert", teams: "${EXPERT}" }
roles:
  aanspreekpunt-pesten: { holders: [expert] }
  schoolleiding: { holders: [expert] }
admins: [expert]
`;

describe('crash safety: SIGKILL of the real server under load', function () {
  this.timeout(120000);
  let dir: string;
  let connector: FakeConnector;
  let server: ServerProcess | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crash-'));
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    connector = await new FakeConnector().start();
  });
  after(async () => {
    await server?.stop().catch(() => undefined);
    await connector.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('leaves a valid store with every acknowledged case present, and delivers what was not yet delivered', async () => {
    const env = {
      VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml'),
      VANGNET_TICK_SECONDS: '1',
      LOG_LEVEL: 'warn',
    };
    const dataDir = join(dir, 'data');
    server = await startServerProcess({ env, dataDir });
    const url = server.url;
    const acknowledged = new Set<string>();

    /** One teacher reporting an incident from start to "Melding … is verstuurd". */
    const report = async (n: number) => {
      const teacher = new TeamsUser(
        () => url,
        connector,
        `29:teacher-${n}`,
        `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
        `T${n}`,
      );
      const last = (after: number) =>
        connector.waitFor(
          (c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= after,
          15000,
        );
      let mark = connector.calls.length;
      await teacher.say('melding');
      let card: ConnectorCall = await last(mark);
      const steps: [string, Record<string, unknown>][] = [
        ['Nee', {}],
        ['Volgende', { value: 'online-pesten' }],
        ['Volgende', { value: 'pupil' }],
        ['Volgende', { checked: 'do-0' }],
        ['Volgende', { description: `Melding ${n}: A.B. wordt gepest in de groepsapp.` }],
        ['Versturen', {}],
      ];
      for (const [label, inputs] of steps) {
        mark = connector.calls.length;
        await teacher.press(card, label, inputs);
        card = await last(mark);
      }
      const id = /Melding (M-\d{4}-\d{4}) is verstuurd/.exec(
        cardTexts(FakeConnector.card(card)).join(' '),
      )?.[1];
      if (id) acknowledged.add(id);
    };

    // 16 teachers at once; the server is killed once about half of them got their acknowledgement.
    const runs = Array.from({ length: 16 }, (_, i) => report(i + 1).catch(() => undefined));
    const deadline = Date.now() + 60000;
    while (acknowledged.size < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await server.stop('SIGKILL');
    server = undefined;
    await Promise.all(runs);
    assert.ok(acknowledged.size >= 8, `acknowledged before the kill: ${acknowledged.size}`);

    // The file is valid JSON and holds every acknowledged case.
    JSON.parse(await readFile(join(dataDir, 'vangnet.json'), 'utf8'));
    const store = await LowdbStore.open(dataDir);
    const stored = new Set((await store.cases.list()).map((c) => c.id));
    for (const id of acknowledged)
      assert.ok(stored.has(id), `${id} was acknowledged but is missing after the crash`);
    await store.close();

    // After a restart, every stored case reaches the expert (the outbox survives the crash).
    server = await startServerProcess({ env, dataDir });
    const expertDm = `a:dm-${EXPERT}`;
    const until = Date.now() + 30000;
    const delivered = () =>
      new Set(
        connector.calls
          .filter((c) => c.conversationId === expertDm)
          .flatMap((c) => /M-\d{4}-\d{4}/.exec(cardTexts(FakeConnector.card(c)).join(' ')) ?? []),
      );
    while ([...stored].some((id) => !delivered().has(id)) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    for (const id of stored) assert.ok(delivered().has(id), `${id} never reached the expert`);
  });
});
