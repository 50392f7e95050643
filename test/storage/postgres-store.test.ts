import { PgStore } from '../../src/storage/postgres/pg-store.js';
import { createTestDatabase, requirePostgres } from '../helpers/postgres.js';
import { storeContract } from './contract.js';

describe('store contract: PgStore (PostgreSQL)', function () {
  this.timeout(30000);
  before(async function () {
    await requirePostgres(this);
  });
  storeContract(async () => {
    const db = await createTestDatabase();
    let store = await PgStore.open(db.url);
    return {
      store,
      async reopen() {
        await store.close();
        store = await PgStore.open(db.url);
        return store;
      },
      async cleanup() {
        await store.close().catch(() => undefined);
        await db.drop();
      },
    };
  });
});
