/**
 * Storage benchmark: the embedded lowdb file against PostgreSQL with 1k, 10k and 100k stored cases. Per store and
 * size, in a process of its own (so memory is that store's alone): opening time, one small write, a case submit
 * (`cases.create` with its flow and first notification, the write behind "Versturen"), a plain question through
 * the real HTTP endpoint (restify + CloudAdapter + the whole core, fake connector on loopback), the same question
 * while submits are written back to back, and memory after GC. Reports only; it never fails on speed.
 *
 * Run: npm run bench -- --storage  (PostgreSQL from VANGNET_TEST_PG, default postgres@127.0.0.1:5432; without a
 * server the PostgreSQL rows are left out with the reason)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { CaseRecord, FlowRecord, OutboxItem } from '../../src/core/cases/model.js';
import { startFlow } from '../../src/core/escalation/flow.js';
import { silentLogger } from '../../src/core/logger.js';
import type { NewCase, Store } from '../../src/core/storage/store.js';
import { projectRoot } from '../../src/paths.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { PgStore } from '../../src/storage/postgres/pg-store.js';
import { FILE_FORMAT, FILE_VERSION, STORE_FILE } from '../../src/storage/store-file.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { createTestDatabase, postgresProblem } from '../helpers/postgres.js';
import { sharedKnowledge, teamsActivity } from '../helpers/test-app.js';
import { exposeGc, percentile } from './measure.js';
import { Rng } from './rng.js';

export type StoreKind = 'lowdb' | 'postgres';
export const SIZES = [1_000, 10_000, 100_000] as const;

export interface StorageRow {
  readonly store: StoreKind;
  readonly cases: number;
  /** Seeding (bulk, outside the store's API) and opening the store on the seeded data. */
  readonly seedMs: number;
  readonly openMs: number;
  /** The embedded store's file size; for PostgreSQL the database's size. */
  readonly sizeMB: number;
  /** A small write (a knowledge gap): what any change costs. */
  readonly writeP50Ms: number;
  readonly submits: number;
  readonly submitP50Ms: number;
  readonly submitP99Ms: number;
  readonly questions: number;
  readonly questionP50Ms: number;
  readonly questionP99Ms: number;
  /** The same question while submits are written back to back. */
  readonly loadedQuestions: number;
  readonly loadedQuestionP50Ms: number;
  readonly loadedQuestionP99Ms: number;
  readonly loadedQuestionMaxMs: number;
  readonly heapMB: number;
  readonly rssMB: number;
}

/** How many timed operations per size: lowdb rewrites its whole file on every write, so it gets fewer at 100k. */
function plan(kind: StoreKind, n: number) {
  const huge = kind === 'lowdb' && n >= 100_000;
  return {
    writes: huge ? 3 : 30,
    submits: kind === 'lowdb' ? (huge ? 8 : n >= 10_000 ? 50 : 200) : 500,
    questions: 300,
    loadSubmits: kind === 'lowdb' ? (huge ? 4 : 30) : 200,
  };
}

const T_END = Date.parse('2026-11-30T09:00:00Z');
const YEARS = 3;
const TYPES = ['online-pesten', 'naaktbeelden', 'sextortion', 'account-gehackt', 'bedreiging', 'grooming'];
const WORDS =
  'leerling klas groepsapp bericht foto filmpje gedeeld ouders mentor school pauze telefoon account profiel nep scheldwoorden bedreigd gepest screenshot instagram tiktok snapchat whatsapp docent'.split(
    ' ',
  );

function text(rng: Rng, words: number): string {
  return Array.from({ length: words }, () => rng.pick(WORDS)).join(' ');
}

/**
 * A stored case as a school accumulates them over three years: mostly closed (the older ones anonymised), some
 * taken, a few open; a description of a few sentences; a timeline of four to eight entries; cards per expert.
 */
function caseRecord(rng: Rng, i: number, n: number, seqOf: Map<number, number>): CaseRecord {
  const created = new Date(T_END - Math.floor(((n - i) / n) * YEARS * 365 * 86_400_000));
  const year = created.getUTCFullYear();
  const seq = (seqOf.get(year) ?? 0) + 1;
  seqOf.set(year, seq);
  const id = `M-${year}-${String(seq).padStart(4, '0')}`;
  const ageDays = (T_END - created.getTime()) / 86_400_000;
  const status: CaseRecord['status'] =
    ageDays > 30 ? 'closed' : rng.chance(0.5) ? 'taken' : rng.chance(0.7) ? 'closed' : 'open';
  const anonymised = status === 'closed' && ageDays > 395;
  const at = (min: number) => new Date(created.getTime() + min * 60_000).toISOString();
  const expert = `expert-${rng.int(12)}`;
  const timeline: CaseRecord['timeline'] = [
    { at: at(0), by: 'reporter', action: 'created' },
    { at: at(0), by: 'system', action: 'delivered', note: expert },
    ...(status !== 'open' ? [{ at: at(rng.between(3, 200)), by: expert, action: 'taken' as const }] : []),
    ...(rng.chance(0.5)
      ? [{ at: at(300), by: expert, action: 'note' as const, text: anonymised ? undefined : text(rng, 20) }]
      : []),
    ...(status === 'closed' ? [{ at: at(2000), by: expert, action: 'closed' as const }] : []),
  ];
  return {
    id,
    version: rng.between(1, 6),
    formId: randomUUID(),
    status,
    type: rng.pick(TYPES),
    involved: 'pupil',
    urgent: rng.chance(0.1),
    danger: rng.chance(0.05),
    meldplicht: false,
    description: anonymised ? '' : text(rng, rng.between(25, 90)),
    checked: anonymised ? [] : ['do-0', 'do-1'],
    reporter: anonymised
      ? { platform: 'teams' }
      : {
          platform: 'teams',
          userId: `29:teacher-${rng.int(500)}`,
          aadObjectId: randomUUID(),
          name: `Docent ${rng.int(500)}`,
          lang: 'nl',
        },
    roles: ['aanspreekpunt-pesten'],
    recipients: [expert],
    assignee: status === 'open' ? undefined : expert,
    createdAt: created.toISOString(),
    deadlineAt: status === 'open' ? new Date(T_END + 86_400_000).toISOString() : undefined,
    escalation: 0,
    closedAt: status === 'closed' ? at(2000) : undefined,
    outcome: status === 'closed' ? 'opgelost' : undefined,
    timeline,
    cards: anonymised
      ? []
      : [
          {
            who: expert,
            ref: { platform: 'teams', conversationId: `a:dm-${expert}`, activityId: `act-${i}` },
          },
        ],
    anonymised: anonymised || undefined,
  };
}

function seedCases(n: number): { cases: CaseRecord[]; sequences: Record<string, number> } {
  const rng = new Rng(42);
  const seqOf = new Map<number, number>();
  const cases = Array.from({ length: n }, (_, i) => caseRecord(rng, i, n, seqOf));
  return {
    cases,
    sequences: Object.fromEntries([...seqOf].map(([y, s]) => [`case-${y}`, s])),
  };
}

/** The embedded store's file written directly, as `toStoreFile` writes it. */
async function seedLowdb(dir: string, n: number): Promise<void> {
  const { cases, sequences } = seedCases(n);
  const file = {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    conversations: {},
    gaps: [],
    feedback: [],
    feedbackKeys: {},
    flows: {},
    forms: {},
    cases: Object.fromEntries(cases.map((c) => [c.id, c])),
    sequences,
    outbox: {},
    roleOverrides: {},
    subscriptions: {},
    onceKeys: {},
  };
  await writeFile(join(dir, STORE_FILE), JSON.stringify(file), { mode: 0o600 });
}

/** Bulk insert: 2,000 rows a statement through jsonb_to_recordset, then ANALYZE. */
async function seedPostgres(url: string, n: number): Promise<void> {
  const { cases, sequences } = seedCases(n);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < cases.length; i += 2000) {
      const rows = cases.slice(i, i + 2000).map(({ version, ...c }) => ({
        id: c.id,
        form_id: c.formId,
        status: c.status,
        reporter_platform: c.reporter.platform,
        reporter_user: c.reporter.userId ?? null,
        deadline_at: c.deadlineAt ?? null,
        closed_at: c.closedAt ?? null,
        anonymised: c.anonymised === true,
        created_at: c.createdAt,
        version,
        data: c,
      }));
      await client.query(
        `INSERT INTO cases (id, form_id, status, reporter_platform, reporter_user, deadline_at, closed_at, anonymised,
                            created_at, version, data)
         SELECT id, form_id, status, reporter_platform, reporter_user, deadline_at, closed_at, anonymised, created_at,
                version, data
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, form_id text, status text, reporter_platform text,
              reporter_user text, deadline_at timestamptz, closed_at timestamptz, anonymised boolean,
              created_at timestamptz, version integer, data jsonb)`,
        [JSON.stringify(rows)],
      );
    }
    for (const [name, value] of Object.entries(sequences))
      await client.query('INSERT INTO sequences (name, value) VALUES ($1, $2)', [name, value]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/**
 * Report flows waiting for "Versturen", created together (one write for the embedded store), so the timed part
 * is the submit alone.
 */
function openFlows(store: Store, count: number): Promise<FlowRecord[]> {
  const now = new Date();
  return Promise.all(
    Array.from({ length: count }, () =>
      store.flows.create({
        ...startFlow({ id: randomUUID(), platform: 'teams', reporterId: `29:bench-${randomUUID()}`, now }),
        version: 0,
      }),
    ),
  );
}

/** A new report as "Versturen" writes it: the case, its first notification and the flow marked as sent. */
async function submit(store: Store, rng: Rng, flow: FlowRecord): Promise<number> {
  const now = new Date();
  const input: NewCase = {
    sequence: 'case-2027',
    formId: flow.id,
    flow: { ...flow, status: 'submitted', updatedAt: now.toISOString() },
    build: (seq) => {
      const record = caseRecord(rng, 1, 1, new Map()); // created now: a fresh, full record
      const id = `M-2027-${String(seq).padStart(4, '0')}`;
      const outbox: OutboxItem = {
        id: randomUUID(),
        caseId: id,
        kind: 'case-card',
        to: 'expert-1',
        attempts: 0,
        nextAttemptAt: '2099-01-01T00:00:00.000Z', // never due: no delivery runs during the benchmark
        createdAt: now.toISOString(),
      };
      const { version: _v, ...rest } = {
        ...record,
        id,
        status: 'open' as const,
        assignee: undefined,
        closedAt: undefined,
        anonymised: undefined,
      };
      return { record: rest, outbox: [outbox] };
    },
  };
  const t0 = process.hrtime.bigint();
  await store.cases.create(input);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** One store at one size, measured in this process. */
export async function measureCase(kind: StoreKind, n: number): Promise<StorageRow> {
  const gc = exposeGc();
  const p = plan(kind, n);
  const rng = new Rng(7);
  const dir = await mkdtemp(join(tmpdir(), 'bench-storage-'));
  const db = kind === 'postgres' ? await createTestDatabase() : undefined;
  const connector = await new FakeConnector().start();
  let store: Store | undefined;
  try {
    let t0 = process.hrtime.bigint();
    if (db) {
      await (await PgStore.open(db.url)).close(); // the schema
      await seedPostgres(db.url, n);
    } else await seedLowdb(dir, n);
    const seedMs = ms(t0);
    t0 = process.hrtime.bigint();
    store = db ? await PgStore.open(db.url) : await LowdbStore.open(dir);
    const openMs = ms(t0);
    const opened = store;

    const writes: number[] = [];
    for (let i = 0; i < p.writes; i++) {
      const w0 = process.hrtime.bigint();
      await opened.gaps.add({
        at: new Date().toISOString(),
        reason: 'unanswered',
        query: 'q',
        platform: 'teams',
      });
      writes.push(ms(w0));
    }
    const flows = await openFlows(opened, p.submits + p.loadSubmits);
    const submits: number[] = [];
    for (let i = 0; i < p.submits; i++) submits.push(await submit(opened, rng, flows[i] as FlowRecord));

    // Questions through the real HTTP endpoint, one at a time, then while submits run back to back.
    const knowledge = await sharedKnowledge();
    const app = await startApp(
      loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', VANGNET_TICK_SECONDS: '3600' }),
      { store: opened, logger: silentLogger, knowledge },
    );
    const ask = async (): Promise<number> => {
      const q0 = process.hrtime.bigint();
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          teamsActivity(connector.url, {
            text: 'er gaat een naaktfoto rond in de klassenapp',
            conversation: { id: 'a:bench-question', conversationType: 'personal', tenantId: 't' },
          }),
        ),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`question answered ${res.status}`);
      return ms(q0);
    };
    const questions: number[] = [];
    const loaded: number[] = [];
    try {
      for (let i = 0; i < 20; i++) await ask(); // warm-up (the first one saves the conversation)
      for (let i = 0; i < p.questions; i++) questions.push(await ask());
      let writing = true;
      const background = (async () => {
        for (let i = 0; i < p.loadSubmits; i++) await submit(opened, rng, flows[p.submits + i] as FlowRecord);
        writing = false;
      })();
      while (writing) loaded.push(await ask());
      await background;
    } finally {
      await app.stop();
    }
    gc();
    gc();
    const mem = process.memoryUsage();
    let sizeMB: number;
    if (db) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const r = await client.query('SELECT pg_database_size(current_database()) AS b');
      await client.end();
      sizeMB = Number(r.rows[0]?.b) / 1024 / 1024;
    } else sizeMB = (await stat(join(dir, STORE_FILE))).size / 1024 / 1024;
    const w = sorted(writes);
    const s = sorted(submits);
    const q = sorted(questions);
    const l = sorted(loaded);
    return {
      store: kind,
      cases: n,
      seedMs,
      openMs,
      sizeMB,
      writeP50Ms: percentile(w, 50),
      submits: s.length,
      submitP50Ms: percentile(s, 50),
      submitP99Ms: percentile(s, 99),
      questions: q.length,
      questionP50Ms: percentile(q, 50),
      questionP99Ms: percentile(q, 99),
      loadedQuestions: l.length,
      loadedQuestionP50Ms: percentile(l, 50),
      loadedQuestionP99Ms: percentile(l, 99),
      loadedQuestionMaxMs: l.at(-1) ?? Number.NaN,
      heapMB: mem.heapUsed / 1024 / 1024,
      rssMB: mem.rss / 1024 / 1024,
    };
  } finally {
    await store?.close();
    await connector.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The numbers the issue measured on the first round's store (whole-file lowdb, no versions). */
export const FIRST_ROUND = {
  oneWriteS: { 1000: 0.21, 10000: 1.27, 50000: 6.9 } as Record<number, number>,
  submitS: { 1000: 0.6, 10000: 5.5, 50000: 36 } as Record<number, number>,
};

/** Runs every store and size, each in a child process; `log` gets progress lines. */
export async function runStorageBench(log: (s: string) => void): Promise<{
  rows: StorageRow[];
  skipped: string[];
}> {
  const rows: StorageRow[] = [];
  const skipped: string[] = [];
  const pgProblem = await postgresProblem();
  if (pgProblem) skipped.push(`postgres: no server (${pgProblem})`);
  for (const kind of ['lowdb', 'postgres'] as const) {
    if (kind === 'postgres' && pgProblem) continue;
    for (const n of SIZES) {
      log(`storage: ${kind} with ${n.toLocaleString('en')} cases …`);
      const row = await runChild(kind, n);
      rows.push(row);
      log(
        `  open ${(row.openMs / 1000).toFixed(2)} s, submit p99 ${row.submitP99Ms.toFixed(1)} ms, question p50 ${row.questionP50Ms.toFixed(1)} ms`,
      );
    }
  }
  return { rows, skipped };
}

function runChild(kind: StoreKind, n: number): Promise<StorageRow> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--case', `${kind}:${n}`],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as StorageRow);
      else reject(new Error(`storage bench ${kind}:${n} exited with ${code}:\n${out}`));
    });
  });
}

const f = (x: number, digits = 1) => (Number.isNaN(x) ? '–' : x.toFixed(digits));
const seconds = (msValue: number) =>
  msValue >= 1000 ? `${(msValue / 1000).toFixed(2)} s` : `${f(msValue)} ms`;

/** The side-by-side table, with the first round's numbers beside lowdb's. */
export function storageTable(rows: readonly StorageRow[]): string {
  const header = [
    'store',
    'cases',
    'open',
    'size MB',
    'one write p50',
    'submit p50',
    'submit p99',
    'question p50/p99',
    'question under submits p50/p99/max',
    'heap MB',
    'rss MB',
    'first round: write / submit',
  ];
  const lines = rows.map((r) => {
    const w = FIRST_ROUND.oneWriteS[r.cases];
    const s = FIRST_ROUND.submitS[r.cases];
    return [
      r.store,
      r.cases.toLocaleString('en'),
      seconds(r.openMs),
      f(r.sizeMB),
      seconds(r.writeP50Ms),
      seconds(r.submitP50Ms),
      `${seconds(r.submitP99Ms)} (n=${r.submits})`,
      `${f(r.questionP50Ms)} / ${f(r.questionP99Ms)} ms`,
      `${f(r.loadedQuestionP50Ms)} / ${f(r.loadedQuestionP99Ms)} / ${f(r.loadedQuestionMaxMs, 0)} ms (n=${r.loadedQuestions})`,
      f(r.heapMB, 0),
      f(r.rssMB, 0),
      r.store === 'lowdb' && w !== undefined && s !== undefined ? `${w} s / ${s} s` : '',
    ];
  });
  const all = [header, ...lines];
  const widths = header.map((_, c) => Math.max(...all.map((l) => (l[c] ?? '').length)));
  return all
    .map((l) =>
      l.map((cell, c) => (c < 1 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n');
}

/** What the numbers say against the goals. */
export function storageVerdict(rows: readonly StorageRow[]): string[] {
  const find = (kind: StoreKind, n: number) => rows.find((r) => r.store === kind && r.cases === n);
  const out: string[] = [];
  const pg100k = find('postgres', 100_000);
  if (pg100k)
    out.push(
      `goal: a submit under 50 ms p99 at 100k cases on PostgreSQL: ${f(pg100k.submitP99Ms)} ms — ${pg100k.submitP99Ms < 50 ? 'met' : 'NOT met'}`,
    );
  for (const kind of ['lowdb', 'postgres'] as const) {
    const small = find(kind, 1_000);
    const big = find(kind, 100_000);
    if (!small || !big) continue;
    out.push(
      `goal: question latency independent of the number of cases (${kind}): p50 ${f(small.questionP50Ms)} ms at 1k vs ${f(big.questionP50Ms)} ms at 100k; ` +
        `while submits are written: p99 ${f(small.loadedQuestionP99Ms)} ms at 1k vs ${f(big.loadedQuestionP99Ms)} ms at 100k, ` +
        `slowest ${f(small.loadedQuestionMaxMs, 0)} vs ${f(big.loadedQuestionMaxMs, 0)} ms`,
    );
  }
  return out;
}

if (process.argv.includes('--case')) {
  const [kind, n] = String(process.argv[process.argv.indexOf('--case') + 1]).split(':');
  const row = await measureCase(kind as StoreKind, Number(n));
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
