import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../src/core/storage/memory-store.js';
import { MAX_FORM_CARDS } from '../../src/core/storage/store.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';

describe('LowdbStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('persists conversations, gaps and feedback across a reopen', async () => {
    const a = await LowdbStore.open(dir);
    await a.saveConversation({
      platform: 'teams',
      conversationId: 'c1',
      kind: 'personal',
      userId: 'u1',
      reference: { serviceUrl: 'https://smba' },
      updatedAt: '2026-01-01T00:00:00Z',
    });
    await a.addGap({ at: '2026-01-01T00:00:00Z', reason: 'unanswered', query: 'q', platform: 'teams' });
    await a.addFeedback({ at: '2026-01-01T00:00:00Z', slug: 's', helpful: true, platform: 'teams' });
    await a.close();

    const b = await LowdbStore.open(dir);
    assert.equal((await b.getConversation('teams', 'c1'))?.userId, 'u1');
    assert.equal((await b.findPersonalConversation('teams', 'u1'))?.conversationId, 'c1');
    assert.equal((await b.listGaps()).length, 1);
    assert.equal((await b.listFeedback()).length, 1);
    const raw = JSON.parse(await readFile(join(dir, 'vangnet.json'), 'utf8'));
    assert.equal(raw.version, 1);
  });

  it('remembers where the last forms were sent, each taken once', async () => {
    for (const store of [await LowdbStore.open(dir), new MemoryStore()]) {
      const ref = (n: number) => ({ platform: 'local' as const, conversationId: 'c', activityId: `a${n}` });
      for (let n = 0; n < MAX_FORM_CARDS + 5; n++) await store.saveFormCard(`form-${n}`, ref(n));
      assert.equal(await store.takeFormCard('form-0'), undefined, 'the oldest are forgotten');
      assert.deepEqual(await store.takeFormCard(`form-${MAX_FORM_CARDS}`), ref(MAX_FORM_CARDS));
      assert.equal(await store.takeFormCard(`form-${MAX_FORM_CARDS}`), undefined, 'taken once');
      assert.equal(await store.takeFormCard('__proto__'), undefined);
    }
  });

  it('fails with a clear error when the data folder cannot be created', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    await assert.rejects(LowdbStore.open(join(file, 'data')), /Cannot open the data store/);
  });
});

describe('Store.claimOnce (both stores)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claims-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is true only for the first claim of a key while it has not expired, and prunes expired keys', async () => {
    for (const store of [await LowdbStore.open(dir), new MemoryStore()]) {
      assert.equal(await store.claimOnce('slack:event:Ev1', 60_000), true);
      assert.equal(await store.claimOnce('slack:event:Ev1', 60_000), false, 'the second claim loses');
      assert.equal(await store.claimOnce('slack:event:Ev2', 60_000), true, 'other keys are free');
      // A claim that expires at once leaves the key free for the next claim.
      assert.equal(await store.claimOnce('short', 0), true);
      assert.equal(await store.claimOnce('short', 60_000), true, 'an expired key can be claimed again');
      assert.equal(await store.claimOnce('__proto__', 60_000), true);
      assert.equal(await store.claimOnce('__proto__', 60_000), false);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      await store.close();
    }
  });

  it('LowdbStore keeps claims across a reopen and drops expired ones from the file', async () => {
    const a = await LowdbStore.open(dir);
    assert.equal(await a.claimOnce('kept', 60_000), true);
    assert.equal(await a.claimOnce('gone', 0), true);
    assert.equal(await a.claimOnce('other', 60_000), true, 'a later claim prunes the expired key');
    await a.close();
    const raw = JSON.parse(await readFile(join(dir, 'vangnet.json'), 'utf8'));
    assert.deepEqual(Object.keys(raw.claims).sort(), ['kept', 'other']);
    const b = await LowdbStore.open(dir);
    assert.equal(await b.claimOnce('kept', 60_000), false, 'a retry after a restart is still known');
    await b.close();
  });
});
