import type { CaseRecord } from '../../src/core/cases/model.js';
import type { Store } from '../../src/core/storage/store.js';

/** Puts a ready-made case in a store (tests that need many cases, or a case in a given state). */
export async function seedCase(store: Store, record: Omit<CaseRecord, 'version'>): Promise<CaseRecord> {
  const { record: stored } = await store.cases.create({
    sequence: 'seed',
    formId: record.formId ?? `seed-${record.id}`,
    build: () => ({ record, outbox: [] }),
  });
  return stored;
}
