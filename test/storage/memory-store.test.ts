import { MemoryStore } from '../../src/core/storage/memory-store.js';
import { storeContract } from './contract.js';

describe('store contract: MemoryStore', () => {
  storeContract(async () => {
    const store = new MemoryStore();
    return { store, cleanup: () => store.close() };
  });
});
