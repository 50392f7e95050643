import { randomUUID } from 'node:crypto';
import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../cases/model.js';
import { ConflictError, ErrorCode, StoreError } from '../errors.js';
import type { RoleId } from '../knowledge/model.js';
import type { RoleAssignment } from '../school/school.js';
import type { TipSubscription } from '../tips/model.js';
import type { Platform } from '../types.js';
import { anyChanged, applyAll, DELETED_ROW, type Drafts, draftOf, Table, type Tables } from './draft.js';
import {
  type AuthRecord,
  type CaseFilter,
  type ConversationRecord,
  conversationKey,
  type FeedbackRecord,
  type GapRecord,
  MAX_FORM_CARDS,
  MAX_LOG_RECORDS,
  matchesCase,
  type NewCase,
  newestFirst,
  type Store,
  type StoreHealth,
} from './store.js';

/** The rows of each table of the embedded stores. */
export interface EmbeddedRows {
  conversations: ConversationRecord;
  gaps: GapRecord;
  feedback: FeedbackRecord;
  /** Who gave feedback on which card (hashed), with when: feedback counts once. */
  feedbackKeys: string;
  flows: FlowRecord;
  forms: MessageRef;
  cases: CaseRecord;
  /** Derived index formId → case id; rebuilt on load, never persisted. */
  caseForms: string;
  sequences: number;
  outbox: OutboxItem;
  roleOverrides: RoleAssignment;
  subscriptions: TipSubscription;
  /** Once-keys (platform retries) with when they expire, as epoch milliseconds. */
  onceKeys: number;
  /** Workspace sessions and one-time links, by the hash of their secret. */
  auth: AuthRecord;
}

export type EmbeddedTables = Tables<EmbeddedRows>;
export type EmbeddedDrafts = Drafts<EmbeddedRows>;

/** Writes the would-be state durably; throws when it cannot (then nothing changes in memory). */
export interface Persistence {
  write(state: EmbeddedDrafts): Promise<void>;
}

export function emptyTables(): EmbeddedTables {
  return {
    conversations: new Table(),
    gaps: new Table(),
    feedback: new Table(),
    feedbackKeys: new Table(),
    flows: new Table(),
    forms: new Table(),
    cases: new Table(),
    caseForms: new Table(),
    sequences: new Table(),
    outbox: new Table(),
    roleOverrides: new Table(),
    subscriptions: new Table(),
    onceKeys: new Table(),
    auth: new Table(),
  };
}

interface Pending {
  readonly mutate: (tx: EmbeddedDrafts) => unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (err: unknown) => void;
}

const LOG_CAP = MAX_LOG_RECORDS;

/**
 * The store of one process: every table in memory, each write a synchronous change on a draft. Writes queue up
 * and are persisted together (group commit): concurrent writes cost one file write, a change counts as done only
 * once persisted, and a write that fails leaves memory as it was. Conditional writes and create-once are checked
 * inside the serialised write, so they hold under any interleaving of async callers.
 *
 * Claims on outbox items, once-keys and leases stay in memory: an embedded store is used by one process only
 * (the lowdb store locks its folder).
 */
export class EmbeddedStore implements Store {
  private readonly queue: Pending[] = [];
  private writing?: Promise<void>;
  private failure?: StoreHealth & { ok: false };
  private closed = false;
  private readonly claims = new Map<string, { owner: string; until: string }>();
  private readonly leaseHolders = new Map<string, { owner: string; until: number }>();

  constructor(
    readonly kind: 'memory' | 'lowdb',
    private readonly tables: EmbeddedTables = emptyTables(),
    private readonly persistence?: Persistence,
    private readonly readOnly = false,
  ) {
    for (const c of tables.cases.values()) if (c.formId) tables.caseForms.write(c.formId, c.id);
  }

  /** Runs a change on a draft, queued behind the writes before it; resolves once it is persisted. */
  protected commit<T>(mutate: (tx: EmbeddedDrafts) => T): Promise<T> {
    if (this.readOnly)
      return Promise.reject(
        new StoreError('The store is open read-only', undefined, ErrorCode.StoreReadOnly),
      );
    if (this.closed) return Promise.reject(new StoreError('The store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ mutate, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  /** Starts the writer unless it runs; a change queued while it was finishing starts it again. */
  private kick(): void {
    if (this.writing) return;
    this.writing = (async () => {
      try {
        await this.drain();
      } finally {
        this.writing = undefined;
        if (this.queue.length > 0) this.kick();
      }
    })();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const draft = draftOf(this.tables);
      const done: { p: Pending; value: unknown }[] = [];
      for (const p of batch) {
        // Each change on its own layer: one that throws (a conflict) leaves the others of the batch intact.
        const layer = draftOf(draft);
        try {
          const value = p.mutate(layer);
          applyAll(layer);
          done.push({ p, value });
        } catch (err) {
          p.reject(err);
        }
      }
      if (anyChanged(draft)) {
        try {
          await this.persistence?.write(draft);
          this.failure = undefined;
        } catch (err) {
          this.failure = { ok: false, code: 'store.write_failed' };
          const failed = err instanceof StoreError ? err : new StoreError('Cannot write the data store', err);
          for (const { p } of done) p.reject(failed);
          continue;
        }
        applyAll(draft);
      }
      for (const { p, value } of done) p.resolve(value);
    }
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, code: 'store.closed' };
    if (!this.failure || !this.persistence) return { ok: true };
    // Probe: write the committed state again; a disk that came back clears the failure.
    try {
      await this.persistence.write(draftOf(this.tables));
      this.failure = undefined;
      return { ok: true };
    } catch {
      return { ok: false, code: 'store.write_failed' };
    }
  }

  async close(): Promise<void> {
    await this.writing;
    this.closed = true;
  }

  readonly conversations = {
    save: async (record: ConversationRecord): Promise<void> => {
      const key = conversationKey(record.platform, record.conversationId);
      const known = this.tables.conversations.get(key);
      if (known && sameConversation(known, record)) return;
      await this.commit((tx) => tx.conversations.set(key, structuredClone(record)));
    },
    get: async (platform: Platform, conversationId: string) =>
      this.tables.conversations.get(conversationKey(platform, conversationId)),
    findPersonal: async (platform: Platform, userId: string) =>
      latest(
        this.tables.conversations.values(),
        (r) =>
          r.platform === platform &&
          r.kind === 'personal' &&
          (r.userId === userId || r.aadObjectId === userId),
      ),
    findAny: async (platform: Platform) =>
      latest(this.tables.conversations.values(), (r) => r.platform === platform),
  };

  readonly gaps = {
    add: (gap: GapRecord): Promise<void> =>
      this.commit((tx) => {
        tx.gaps.set(randomUUID(), structuredClone(gap));
        trimOldest(tx.gaps, LOG_CAP);
      }),
    list: async (): Promise<readonly GapRecord[]> => [...this.tables.gaps.values()],
  };

  readonly feedback = {
    add: (feedback: FeedbackRecord, key: string): Promise<boolean> =>
      this.commit((tx) => {
        if (tx.feedbackKeys.has(key)) return false;
        tx.feedbackKeys.set(key, feedback.at);
        tx.feedback.set(randomUUID(), structuredClone(feedback));
        trimOldest(tx.feedback, LOG_CAP);
        trimOldest(tx.feedbackKeys, LOG_CAP * 4);
        return true;
      }),
    list: async (): Promise<readonly FeedbackRecord[]> => [...this.tables.feedback.values()],
  };

  readonly flows = {
    get: async (id: string) => this.tables.flows.get(id),
    findActive: async (platform: Platform, reporterId: string) =>
      activeFlow(this.tables.flows, platform, reporterId),
    create: (flow: FlowRecord): Promise<FlowRecord> =>
      this.commit((tx) => {
        const active = activeFlow(tx.flows, flow.platform, flow.reporterId);
        if (active) return active;
        if (tx.flows.has(flow.id)) throw new ConflictError('flow', flow.id);
        const stored = { ...structuredClone(flow), version: 1 };
        tx.flows.set(flow.id, stored);
        return stored;
      }),
    update: (flow: FlowRecord): Promise<FlowRecord> => this.commit((tx) => putFlow(tx, flow)),
    prune: (finishedBefore: string, draftsBefore: string): Promise<number> =>
      this.commit((tx) => {
        let n = 0;
        for (const f of [...tx.flows.values()]) {
          const cutoff = f.status === 'active' ? draftsBefore : finishedBefore;
          if (f.updatedAt < cutoff) {
            tx.flows.delete(f.id);
            n++;
          }
        }
        return n;
      }),
  };

  readonly forms = {
    save: (formId: string, ref: MessageRef): Promise<void> =>
      this.commit((tx) => {
        tx.forms.set(formId, structuredClone(ref));
        trimOldest(tx.forms, MAX_FORM_CARDS);
      }),
    take: async (formId: string): Promise<MessageRef | undefined> => {
      if (!this.tables.forms.has(formId)) return undefined;
      return this.commit((tx) => {
        const ref = tx.forms.get(formId);
        tx.forms.delete(formId);
        return ref;
      });
    },
  };

  readonly cases = {
    get: async (id: string) => this.tables.cases.get(id),
    findByForm: async (formId: string) => {
      const id = this.tables.caseForms.get(formId);
      return id === undefined ? undefined : this.tables.cases.get(id);
    },
    create: (input: NewCase) =>
      this.commit((tx) => {
        const earlier = tx.caseForms.get(input.formId);
        if (earlier !== undefined) {
          const record = tx.cases.get(earlier);
          if (record) return { record, created: false };
        }
        if (input.flow) putFlow(tx, input.flow);
        const seq = (tx.sequences.get(input.sequence) ?? 0) + 1;
        tx.sequences.set(input.sequence, seq);
        const built = input.build(seq);
        if (tx.cases.has(built.record.id)) throw new StoreError(`Case number ${built.record.id} is taken`);
        const record = { ...structuredClone(built.record), formId: input.formId, version: 1 } as CaseRecord;
        tx.cases.set(record.id, record);
        tx.caseForms.set(input.formId, record.id);
        for (const item of built.outbox) tx.outbox.set(item.id, structuredClone(item));
        return { record, created: true };
      }),
    update: (
      record: CaseRecord,
      outbox: readonly OutboxItem[] = [],
      options: { readonly dropOutbox?: boolean } = {},
    ): Promise<CaseRecord> =>
      this.commit((tx) => {
        const stored = putCase(tx, record);
        if (options.dropOutbox)
          for (const item of [...tx.outbox.values()])
            if (item.caseId === record.id) tx.outbox.delete(item.id);
        for (const item of outbox) tx.outbox.set(item.id, structuredClone(item));
        return stored;
      }),
    list: async (filter: CaseFilter = {}): Promise<readonly CaseRecord[]> => {
      const out = [...this.tables.cases.values()].filter((c) => matchesCase(c, filter)).sort(newestFirst);
      return filter.limit === undefined ? out : out.slice(0, filter.limit);
    },
  };

  readonly outbox = {
    claimDue: async (now: string, owner: string, leaseMs: number, limit: number) => {
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      const due = [...this.tables.outbox.values()]
        .filter((o) => o.nextAttemptAt <= now && !this.heldByOther(o.id, owner, now))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .slice(0, limit);
      for (const o of due) this.claims.set(o.id, { owner, until });
      return due.map((o) => ({ ...o, claimedBy: owner, claimedUntil: until }));
    },
    complete: async (itemId: string, owner: string, caseChange?: CaseRecord): Promise<boolean> => {
      if (this.claims.get(itemId)?.owner !== owner) return false;
      await this.commit((tx) => {
        if (caseChange) putCase(tx, caseChange);
        tx.outbox.delete(itemId);
      });
      this.claims.delete(itemId);
      return true;
    },
    reschedule: async (
      item: OutboxItem,
      owner: string,
      caseChange?: CaseRecord,
      more: readonly OutboxItem[] = [],
    ): Promise<boolean> => {
      if (this.claims.get(item.id)?.owner !== owner) return false;
      await this.commit((tx) => {
        if (caseChange) putCase(tx, caseChange);
        if (tx.outbox.has(item.id)) {
          const { claimedBy: _by, claimedUntil: _until, ...rest } = item;
          tx.outbox.set(item.id, structuredClone(rest));
        }
        for (const m of more) tx.outbox.set(m.id, structuredClone(m));
      });
      this.claims.delete(item.id);
      return true;
    },
    list: async (): Promise<readonly OutboxItem[]> => [...this.tables.outbox.values()],
  };

  private heldByOther(itemId: string, owner: string, now: string): boolean {
    const c = this.claims.get(itemId);
    return Boolean(c && c.owner !== owner && c.until > now);
  }

  readonly roles = {
    all: async (): Promise<Readonly<Partial<Record<RoleId, RoleAssignment>>>> =>
      Object.fromEntries(this.tables.roleOverrides.entries()) as Partial<Record<RoleId, RoleAssignment>>,
    set: (role: RoleId, assignment: RoleAssignment): Promise<void> =>
      this.commit((tx) => tx.roleOverrides.set(role, structuredClone(assignment))),
  };

  readonly subscriptions = {
    get: async (id: string) => this.tables.subscriptions.get(id),
    list: async (): Promise<readonly TipSubscription[]> => [...this.tables.subscriptions.values()],
    save: (sub: TipSubscription): Promise<TipSubscription> =>
      this.commit((tx) => {
        const current = tx.subscriptions.get(sub.id);
        if ((current?.version ?? 0) !== sub.version) throw new ConflictError('subscription', sub.id);
        const stored = { ...structuredClone(sub), version: sub.version + 1 };
        tx.subscriptions.set(sub.id, stored);
        return stored;
      }),
  };

  readonly auth = {
    save: (record: AuthRecord): Promise<void> =>
      this.commit((tx) => {
        for (const r of [...tx.auth.values()]) if (r.expiresAt < record.createdAt) tx.auth.delete(r.key);
        tx.auth.set(record.key, structuredClone(record));
      }),
    get: async (key: string) => this.tables.auth.get(key),
    take: async (key: string): Promise<AuthRecord | undefined> => {
      if (!this.tables.auth.has(key)) return undefined;
      return this.commit((tx) => {
        const record = tx.auth.get(key);
        tx.auth.delete(key);
        return record;
      });
    },
  };

  /**
   * Once-keys are decided in memory at once (one process per store) and written with the next write, so a
   * platform retry costs no write of its own; an event that changes something (a take-up) writes its key together
   * with that change, so a retry after a restart is still recognised.
   */
  readonly once = {
    claim: async (key: string, ttlMs: number, now = new Date()): Promise<boolean> => {
      const t = now.getTime();
      const keys = this.tables.onceKeys;
      for (const [k, until] of [...keys.entries()]) if (until <= t) keys.write(k, DELETED_ROW);
      if ((keys.get(key) ?? 0) > t) return false;
      keys.write(key, t + ttlMs);
      return true;
    },
  };

  readonly leases = {
    acquire: async (name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> => {
      const held = this.leaseHolders.get(name);
      if (held && held.owner !== owner && held.until > now.getTime()) return false;
      this.leaseHolders.set(name, { owner, until: now.getTime() + ttlMs });
      return true;
    },
    release: async (name: string, owner: string): Promise<void> => {
      if (this.leaseHolders.get(name)?.owner === owner) this.leaseHolders.delete(name);
    },
  };
}

function putCase(tx: EmbeddedDrafts, record: CaseRecord): CaseRecord {
  const current = tx.cases.get(record.id);
  if (!current || current.version !== record.version) throw new ConflictError('case', record.id);
  const stored = { ...structuredClone(record), version: record.version + 1 };
  tx.cases.set(record.id, stored);
  return stored;
}

function putFlow(tx: EmbeddedDrafts, flow: FlowRecord): FlowRecord {
  const current = tx.flows.get(flow.id);
  if (!current || current.version !== flow.version) throw new ConflictError('flow', flow.id);
  const stored = { ...structuredClone(flow), version: flow.version + 1 };
  tx.flows.set(flow.id, stored);
  return stored;
}

function activeFlow(
  flows: { values(): IterableIterator<FlowRecord> },
  platform: Platform,
  reporterId: string,
): FlowRecord | undefined {
  for (const f of flows.values())
    if (f.status === 'active' && f.platform === platform && f.reporterId === reporterId) return f;
  return undefined;
}

/** Drops the oldest rows beyond `cap` (tables keep insertion order). */
function trimOldest<V>(
  table: { size: number; entries(): IterableIterator<[string, V]>; delete(k: string): void },
  cap: number,
) {
  let excess = table.size - cap;
  if (excess <= 0) return;
  const keys: string[] = [];
  for (const [k] of table.entries()) {
    if (excess-- <= 0) break;
    keys.push(k);
  }
  for (const k of keys) table.delete(k);
}

/** The most recently updated record that matches. */
function latest(records: Iterable<ConversationRecord>, match: (r: ConversationRecord) => boolean) {
  let best: ConversationRecord | undefined;
  for (const r of records) if (match(r) && (!best || r.updatedAt > best.updatedAt)) best = r;
  return best;
}

/** Equal apart from when it was last seen: no need to write. */
function sameConversation(a: ConversationRecord, b: ConversationRecord): boolean {
  return (
    a.kind === b.kind &&
    a.userId === b.userId &&
    a.aadObjectId === b.aadObjectId &&
    JSON.stringify(a.reference) === JSON.stringify(b.reference)
  );
}
