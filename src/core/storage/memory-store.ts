import { EmbeddedStore } from './embedded-store.js';

/** A `Store` in memory only: for tests and tools where nothing needs to persist. */
export class MemoryStore extends EmbeddedStore {
  constructor() {
    super('memory');
  }
}
