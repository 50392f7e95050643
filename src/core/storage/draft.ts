/**
 * Copy-on-write tables for the embedded stores. A write runs against a `Draft` layered over the committed tables;
 * readers keep seeing the committed state until the draft is persisted and applied, so a failed write leaves
 * memory exactly as it was and nobody reads a change that was never saved.
 */

const DELETED = Symbol('deleted');
/** Passed to `Table.write` to delete a row. */
export const DELETED_ROW: typeof DELETED = DELETED;

interface Source<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  entries(): IterableIterator<[string, V]>;
  readonly size: number;
}

/** A committed table: insertion-ordered, so the oldest entries come first. */
export class Table<V> implements Source<V> {
  private readonly rows = new Map<string, V>();

  constructor(entries: Iterable<[string, V]> = []) {
    for (const [k, v] of entries) this.rows.set(k, v);
  }
  get(key: string): V | undefined {
    return this.rows.get(key);
  }
  has(key: string): boolean {
    return this.rows.has(key);
  }
  entries(): IterableIterator<[string, V]> {
    return this.rows.entries();
  }
  values(): IterableIterator<V> {
    return this.rows.values();
  }
  get size(): number {
    return this.rows.size;
  }
  /** Only `TableDraft.apply` changes a committed table. */
  write(key: string, value: V | typeof DELETED): void {
    if (value === DELETED) this.rows.delete(key);
    else {
      // Re-inserting moves the key to the end: the table stays ordered by last write.
      this.rows.delete(key);
      this.rows.set(key, value);
    }
  }
}

/** Pending changes to one table, readable as if applied. */
export class TableDraft<V> implements Source<V> {
  private readonly changes = new Map<string, V | typeof DELETED>();

  constructor(private readonly base: Source<V>) {}

  get(key: string): V | undefined {
    if (this.changes.has(key)) {
      const v = this.changes.get(key);
      return v === DELETED ? undefined : (v as V);
    }
    return this.base.get(key);
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  set(key: string, value: V): void {
    this.changes.set(key, value);
  }
  delete(key: string): void {
    this.changes.set(key, DELETED);
  }
  *entries(): IterableIterator<[string, V]> {
    for (const [k, v] of this.base.entries()) if (!this.changes.has(k)) yield [k, v];
    for (const [k, v] of this.changes) if (v !== DELETED) yield [k, v as V];
  }
  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
  get size(): number {
    let n = this.base.size;
    for (const [k, v] of this.changes) {
      const inBase = this.base.has(k);
      if (v === DELETED && inBase) n--;
      else if (v !== DELETED && !inBase) n++;
    }
    return n;
  }
  get changed(): boolean {
    return this.changes.size > 0;
  }
  /** Moves these changes into the draft or table below. */
  apply(): void {
    const target = this.base as Table<V> | TableDraft<V>;
    for (const [k, v] of this.changes) {
      if (target instanceof TableDraft) {
        if (v === DELETED) target.delete(k);
        else target.set(k, v as V);
      } else target.write(k, v);
    }
    this.changes.clear();
  }
}

/** A set of named tables and a draft over all of them. */
export type Tables<T> = { readonly [K in keyof T]: Table<T[K]> };
export type Drafts<T> = { readonly [K in keyof T]: TableDraft<T[K]> };

export function draftOf<T>(tables: Tables<T> | Drafts<T>): Drafts<T> {
  return Object.fromEntries(
    Object.entries(tables).map(([name, t]) => [name, new TableDraft(t as Source<unknown>)]),
  ) as Drafts<T>;
}

export function anyChanged<T>(drafts: Drafts<T>): boolean {
  return Object.values(drafts).some((d) => (d as TableDraft<unknown>).changed);
}

export function applyAll<T>(drafts: Drafts<T>): void {
  for (const d of Object.values(drafts)) (d as TableDraft<unknown>).apply();
}
