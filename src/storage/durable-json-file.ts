import { constants } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter whose writes are durable, not only atomic: the new content goes to a temporary file (mode
 * 0600) that is fsynced, renamed over the old file, and then the directory is fsynced too, so that after a power
 * loss the file holds either the old or the new content, and a write that returned is on disk. (lowdb's own
 * JSONFile/steno renames but never fsyncs.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private readonly tmp: string;

  constructor(private readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    const file = await open(this.tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(this.tmp, this.path);
    } catch (err) {
      await rm(this.tmp, { force: true });
      throw err;
    }
    await syncDirectory(dirname(this.path));
  }
}

/** Makes a rename in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
