import { readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ErrorCode, StoreError } from '../core/errors.js';

/**
 * An exclusive lock on a data folder, so only one process ever writes its store (two processes on one file
 * overwrite each other's cases). proper-lockfile keeps the lock fresh; a lock whose owner died is recognised
 * at once when the owner ran on this host (its pid is gone), else once it went stale (10 s without refresh).
 */

const LOCK_DIR = 'vangnet.lock';
const OWNER_FILE = 'vangnet.lock.owner.json';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

export interface FolderLock {
  release(): Promise<void>;
}

/** Takes the lock or throws `StoreError` (`StoreLocked`) saying which process holds it. */
export async function lockFolder(dir: string, onCompromised: (err: Error) => void): Promise<FolderLock> {
  const lockPath = join(dir, LOCK_DIR);
  const ownerPath = join(dir, OWNER_FILE);
  const take = () =>
    lockfile.lock(dir, { lockfilePath: lockPath, realpath: false, stale: 10_000, retries: 0, onCompromised });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const owner = await readOwner(ownerPath);
    if (owner && owner.host === hostname() && !isAlive(owner.pid)) {
      // The process that held it is gone (killed): its lock is stale now, not in 10 seconds.
      await rmdir(lockPath).catch(() => undefined);
      release = await take().catch(() => {
        throw lockedError(dir, owner);
      });
    } else throw lockedError(dir, owner);
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(ownerPath, JSON.stringify(me), { mode: 0o600 });
  return {
    async release() {
      await rm(ownerPath, { force: true });
      await release().catch(() => undefined);
    },
  };
}

/** Who holds the folder's lock right now, if anyone (for messages). */
export async function lockHolder(dir: string): Promise<LockOwner | undefined> {
  const locked = await lockfile.check(dir, {
    lockfilePath: join(dir, LOCK_DIR),
    realpath: false,
    stale: 10_000,
  });
  if (!locked) return undefined;
  const owner = await readOwner(join(dir, OWNER_FILE));
  return owner && (owner.host !== hostname() || isAlive(owner.pid)) ? owner : undefined;
}

function lockedError(dir: string, owner: LockOwner | undefined): StoreError {
  const who = owner
    ? `Vangnet process ${owner.pid} on ${owner.host} (since ${owner.since})`
    : 'another process';
  return new StoreError(
    `The data folder ${dir} is in use by ${who}. Stop that process first, or give this one its own DATA_DIR; ` +
      'to run several instances on one store, use PostgreSQL (DATABASE_URL).',
    undefined,
    ErrorCode.StoreLocked,
  );
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
