import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sinon from 'sinon';
import { ErrorCode, StoreError } from '../../src/core/errors.js';
import { startFlow } from '../../src/core/escalation/flow.js';
import { projectRoot } from '../../src/paths.js';
import { DurableJsonFile } from '../../src/storage/durable-json-file.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { newCase, storeContract } from './contract.js';

const newCaseWithoutNotices = (formId: string) => newCase(formId, {}, 0);

describe('store contract: LowdbStore (embedded JSON file)', () => {
  const temp = tempDirs();
  storeContract(async () => {
    const dir = await temp('lowdb-contract-');
    let store = await LowdbStore.open(dir);
    return {
      store,
      async reopen() {
        await store.close();
        store = await LowdbStore.open(dir);
        return store;
      },
      cleanup: () => store.close(),
    };
  });
});

/** Every file in a folder with its bytes' hash: "byte-identical" means this does not change. */
async function fingerprint(dir: string): Promise<string> {
  const names = (await readdir(dir)).sort();
  const parts = await Promise.all(
    names.map(async (n) => {
      const s = await stat(join(dir, n));
      return s.isDirectory()
        ? `${n}/`
        : `${n}:${createHash('sha256')
            .update(await readFile(join(dir, n)))
            .digest('hex')}`;
    }),
  );
  return parts.join('\n');
}

/** Runs a snippet in a separate Node process (tsx), resolving with its exit code and output. */
function runNode(
  code: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (c) => resolve({ code: c, out }));
  });
}

describe('LowdbStore: one process per folder, durable, strict about its file', () => {
  const temp = tempDirs();

  it('refuses a second process on the same folder, naming the one that holds it, and touches nothing', async function () {
    this.timeout(30000);
    const dir = await temp('lowdb-lock-');
    const store = await LowdbStore.open(dir);
    try {
      await store.cases.create(newCaseWithoutNotices('a'));
      const before = await fingerprint(dir);
      const second = await runNode(
        `import { LowdbStore } from './src/storage/lowdb-store.ts';
         try { await LowdbStore.open(${JSON.stringify(dir)}); process.exit(0); }
         catch (e) { console.error(e.message); process.exit(1); }`,
      );
      assert.equal(second.code, 1);
      assert.match(second.out, new RegExp(`in use by Vangnet process ${process.pid} on `));
      assert.equal(await fingerprint(dir), before, 'the folder is byte-identical');
      // In this process too: a second open of the same folder is refused.
      await assert.rejects(
        LowdbStore.open(dir),
        (e) => e instanceof StoreError && e.code === ErrorCode.StoreLocked,
      );
    } finally {
      await store.close();
    }
    const reopened = await LowdbStore.open(dir);
    assert.equal((await reopened.cases.list()).length, 1, 'after close the folder is free again');
    await reopened.close();
  });

  it('takes over the lock of a process that died (SIGKILL) at once', async function () {
    this.timeout(30000);
    const dir = await temp('lowdb-stale-');
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { LowdbStore } from './src/storage/lowdb-store.ts';
         await LowdbStore.open(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      holder.stdout.on('data', (d) => String(d).includes('locked') && resolve()),
    );
    await assert.rejects(LowdbStore.open(dir), /in use by Vangnet process/);
    const exited = new Promise((r) => holder.once('exit', r));
    holder.kill('SIGKILL');
    await exited;
    const store = await LowdbStore.open(dir);
    await store.close();
  });

  it('read-only opening leaves the folder byte-identical, also while another process holds the lock', async () => {
    const dir = await temp('lowdb-ro-');
    const store = await LowdbStore.open(dir);
    await store.cases.create(newCaseWithoutNotices('a'));
    await store.gaps.add({ at: '2026-11-23T09:00:00Z', reason: 'unanswered', query: 'q', platform: 'slack' });
    const before = await fingerprint(dir);
    const ro = await LowdbStore.open(dir, { readOnly: true });
    assert.equal((await ro.gaps.list()).length, 1);
    await assert.rejects(
      ro.gaps.add({ at: '', reason: 'unanswered', query: 'x', platform: 'slack' }),
      /read-only/,
    );
    await ro.close();
    assert.equal(await fingerprint(dir), before);
    await store.close();
  });

  for (const [label, content] of [
    ['an empty object', '{}'],
    ['cases as a list', JSON.stringify({ version: 1, cases: [], conversations: {}, gaps: [], feedback: [] })],
    [
      'a wrapped backup',
      JSON.stringify({
        backup: '2026-11-01',
        data: { version: 1, cases: {}, conversations: {}, gaps: [], feedback: [] },
      }),
    ],
    [
      'a case without its fields',
      JSON.stringify({ format: 'vangnet-store', version: 2, cases: { 'M-1': { id: 'M-1' } } }),
    ],
    ['broken JSON', '{"version": 1, "cases": {'],
    ['an empty file', ''],
  ] as const) {
    it(`refuses a file of the wrong shape (${label}) with a message, and leaves it byte-identical`, async () => {
      const dir = await temp('lowdb-shape-');
      await writeFile(join(dir, 'vangnet.json'), content);
      const before = await fingerprint(dir);
      await assert.rejects(
        LowdbStore.open(dir),
        (e) =>
          e instanceof StoreError &&
          e.code === ErrorCode.StoreInvalid &&
          /nothing was changed/.test(e.message),
      );
      assert.equal(await readFile(join(dir, 'vangnet.json'), 'utf8'), content);
      assert.equal(await fingerprint(dir), before, 'no lock or temp file left behind either');
    });
  }

  it("upgrades the first round's files (version 1) without losing a case", async () => {
    const dir = await temp('lowdb-v1-');
    const v1 = {
      version: 1,
      conversations: {},
      gaps: [],
      feedback: [],
      flows: {},
      forms: {},
      cases: { 'M-2026-0001': { ...newCaseWithoutNotices('f').build(1).record, formId: 'f' } },
      sequences: { 'case-2026': 1 },
      outbox: {},
      roleOverrides: {},
      subscriptions: {},
    };
    await writeFile(join(dir, 'vangnet.json'), JSON.stringify(v1));
    const store = await LowdbStore.open(dir);
    assert.equal((await store.cases.get('M-2026-0001'))?.version, 1);
    assert.equal((await store.cases.create(newCaseWithoutNotices('g'))).record.id, 'M-2026-0002');
    await store.close();
    assert.equal(JSON.parse(await readFile(join(dir, 'vangnet.json'), 'utf8')).version, 2);
  });

  it('a failed write leaves memory as it was, turns health to failed, and recovers when the disk does', async () => {
    const dir = await temp('lowdb-fail-');
    const store = await LowdbStore.open(dir);
    await store.cases.create(newCaseWithoutNotices('kept'));
    // The disk refuses the next write: the temporary file's name is taken by a folder (EISDIR, even for root).
    const blocker = join(dir, `.vangnet.json.${process.pid}.tmp`);
    await mkdir(blocker);
    await assert.rejects(store.cases.create(newCaseWithoutNotices('lost')), StoreError);
    assert.deepEqual(
      (await store.cases.list()).map((c) => c.formId),
      ['kept'],
      'the failed case is not in memory either: nobody can act on it',
    );
    assert.equal(await store.cases.findByForm('lost'), undefined);
    assert.deepEqual(await store.health(), { ok: false, code: 'store.write_failed' });
    await rm(blocker, { recursive: true });
    assert.deepEqual(await store.health(), { ok: true });
    assert.equal(
      (await store.cases.create(newCaseWithoutNotices('lost'))).record.id,
      'M-2026-0002',
      'no number was used up',
    );
    await store.close();
    const reopened = await LowdbStore.open(dir);
    assert.equal((await reopened.cases.list()).length, 2);
    await reopened.close();
  });

  it('persists whatever NODE_ENV says, in a file only its owner can read', async () => {
    const dir = join(await temp('lowdb-env-'), 'data');
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'test';
    try {
      const store = await LowdbStore.open(dir);
      await store.flows.create({
        ...startFlow({ id: 'f1', platform: 'local', reporterId: 'u', now: new Date() }),
        version: 0,
      });
      await store.close();
    } finally {
      process.env.NODE_ENV = saved;
    }
    const raw = JSON.parse(await readFile(join(dir, 'vangnet.json'), 'utf8'));
    assert.ok(raw.flows.f1, 'written to disk under NODE_ENV=test');
    assert.equal((await stat(join(dir, 'vangnet.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
  });

  it('writes once for many concurrent changes (group commit)', async () => {
    const dir = await temp('lowdb-batch-');
    const store = await LowdbStore.open(dir);
    const writes = sinon.spy(DurableJsonFile.prototype, 'write');
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.cases.create(newCaseWithoutNotices(`c${i}`))),
      );
      assert.ok(
        writes.callCount >= 1 && writes.callCount <= 3,
        `40 changes took ${writes.callCount} file writes`,
      );
    } finally {
      writes.restore();
      await store.close();
    }
    const ro = await LowdbStore.open(dir, { readOnly: true });
    assert.equal((await ro.cases.list()).length, 40);
  });
});
