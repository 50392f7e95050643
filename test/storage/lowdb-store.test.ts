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
