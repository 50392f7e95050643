import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { ErrorCode, StoreError } from '../core/errors.js';
import { EmbeddedStore, emptyTables, type Persistence } from '../core/storage/embedded-store.js';
import { DurableJsonFile } from './durable-json-file.js';
import { type FolderLock, lockFolder } from './folder-lock.js';
import { fromStoreFile, STORE_FILE, type StoreFile, toStoreFile } from './store-file.js';

export interface LowdbOpenOptions {
  /**
   * Read without the lock and never write (CLI commands that only look: `kb gaps`, `tips preview`): the folder is
   * left byte-identical, also while the bot runs.
   */
  readonly readOnly?: boolean;
  /** Told when the folder lock was lost (another process removed it); the store stops writing. */
  readonly onLockLost?: (err: Error) => void;
}

/**
 * The embedded default store: one JSON file (`vangnet.json`) in `DATA_DIR`, for one process per folder.
 *
 * - The folder is locked while the store is open: a second process stops at start, naming the one that holds it.
 * - The file's shape is checked when opened; a wrong shape stops the start and leaves the file untouched.
 * - Every write is durable (fsync of file and folder) before it counts; concurrent writes share one file write;
 *   a failed write leaves memory as it was and turns `health()` to failed until the disk works again.
 * - New files and folders are private to the user (0600 / 0700). `NODE_ENV` plays no part.
 */
export class LowdbStore extends EmbeddedStore {
  private constructor(
    tables: ReturnType<typeof emptyTables>,
    persistence: Persistence | undefined,
    readOnly: boolean,
    private readonly lock?: FolderLock,
  ) {
    super('lowdb', tables, persistence, readOnly);
  }

  static async open(dataDir: string, options: LowdbOpenOptions = {}): Promise<LowdbStore> {
    const path = join(dataDir, STORE_FILE);
    const adapter = new DurableJsonFile<StoreFile>(path);
    if (options.readOnly) {
      const raw = await readRaw(adapter, path);
      return new LowdbStore(raw === null ? emptyTables() : fromStoreFile(raw, path), undefined, true);
    }
    try {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await access(dataDir, constants.W_OK);
    } catch (err) {
      throw new StoreError(`Cannot use the data folder ${dataDir}: ${(err as Error).message}`, err);
    }
    let lost = false;
    const lock = await lockFolder(dataDir, (err) => {
      lost = true;
      options.onLockLost?.(err);
    });
    try {
      const raw = await readRaw(adapter, path);
      const tables = raw === null ? emptyTables() : fromStoreFile(raw, path);
      const db = new Low<StoreFile>(adapter, toStoreFile(tables));
      const persistence: Persistence = {
        async write(state) {
          if (lost)
            throw new StoreError(
              `Lost the lock on ${dataDir}; not writing`,
              undefined,
              ErrorCode.StoreLocked,
            );
          db.data = toStoreFile(state);
          await db.write();
        },
      };
      return new LowdbStore(tables, persistence, false, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  override async close(): Promise<void> {
    await super.close();
    await this.lock?.release();
  }
}

async function readRaw(adapter: DurableJsonFile<StoreFile>, path: string): Promise<unknown> {
  try {
    return await adapter.read();
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new StoreError(
        `${path} is not valid JSON (${err.message}); nothing was changed. Restore it from a backup.`,
        err,
        ErrorCode.StoreInvalid,
      );
    throw new StoreError(`Cannot read ${path}: ${(err as Error).message}`, err);
  }
}
