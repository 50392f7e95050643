import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../../core/cases/model.js';
import { ConflictError, StoreError } from '../../core/errors.js';
import type { RoleId } from '../../core/knowledge/model.js';
import { errorFields, type Logger, silentLogger } from '../../core/logger.js';
import type { RoleAssignment } from '../../core/school/school.js';
import {
  type AuthRecord,
  type CaseFilter,
  type ConversationRecord,
  type FeedbackRecord,
  type GapRecord,
  MAX_FORM_CARDS,
  MAX_LOG_RECORDS,
  type NewCase,
  type Store,
  type StoreHealth,
} from '../../core/storage/store.js';
import type { TipSubscription } from '../../core/tips/model.js';
import type { Platform } from '../../core/types.js';
import { projectRoot } from '../../paths.js';

export interface PgOpenOptions {
  readonly logger?: Logger;
  /** Connections in the pool. */
  readonly poolSize?: number;
  /** Every transaction read-only (the CLI's looking commands); no migrations run. */
  readonly readOnly?: boolean;
}

type Queryable = pg.Pool | pg.PoolClient;

/** Where the schema migrations live (SQL files, applied in order by node-pg-migrate). */
export const MIGRATIONS_DIR = join(projectRoot, 'src', 'storage', 'postgres', 'migrations');
const MIGRATIONS_TABLE = 'vangnet_migrations';

const withVersion = <T>(row: { data: T; version: number }): T => ({ ...row.data, version: row.version });
const ts = (iso: string | undefined) => iso ?? null;
/** The record as kept in `data`: everything but its version, which lives in its own column. */
const body = <T extends { version?: number }>(r: T): Omit<T, 'version'> => {
  const { version: _v, ...rest } = r;
  return rest;
};

/**
 * The store for several instances: PostgreSQL through a node-postgres pool. Conditional writes compare a version
 * column, create-once is a unique key (`INSERT … ON CONFLICT DO NOTHING`), case numbers come from a row-locked
 * sequence inside the creating transaction, outbox items are claimed with `FOR UPDATE SKIP LOCKED`, and leases
 * are rows taken only when expired (`ON CONFLICT … WHERE expires_at <= now`). The schema is migrated at start.
 */
export class PgStore implements Store {
  readonly kind = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, options: PgOpenOptions = {}): Promise<PgStore> {
    const logger = options.logger ?? silentLogger;
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      options: options.readOnly ? '-c default_transaction_read_only=on' : undefined,
    });
    // An idle connection that breaks (database restart) must not crash the process; the pool reconnects.
    pool.on('error', (err) => logger.warn('store.pg_idle_error', errorFields(err)));
    try {
      if (!options.readOnly) await migrate(pool);
      else await pool.query('SELECT 1');
    } catch (err) {
      await pool.end();
      throw new StoreError(`Cannot open the PostgreSQL store: ${(err as Error).message}`, err);
    }
    return new PgStore(pool, logger);
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.pool.query('SELECT 1');
      return { ok: true };
    } catch {
      return { ok: false, code: 'store.unreachable' };
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Runs `fn` in one transaction; rolled back when it throws. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async rows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await q.query(sql, params)).rows as T[];
    } catch (err) {
      if (err instanceof ConflictError || err instanceof StoreError) throw err;
      this.logger.debug('store.pg_query_failed', errorFields(err));
      throw new StoreError('The database refused or could not run a query', err);
    }
  }

  readonly conversations = {
    save: async (r: ConversationRecord): Promise<void> => {
      await this.rows(
        this.pool,
        `INSERT INTO conversations (platform, conversation_id, kind, user_id, aad_object_id, updated_at, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (platform, conversation_id) DO UPDATE
           SET kind = EXCLUDED.kind, user_id = EXCLUDED.user_id, aad_object_id = EXCLUDED.aad_object_id,
               updated_at = EXCLUDED.updated_at, data = EXCLUDED.data
         WHERE (conversations.kind, conversations.user_id, conversations.aad_object_id, conversations.data -> 'reference')
           IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.user_id, EXCLUDED.aad_object_id, EXCLUDED.data -> 'reference')`,
        [r.platform, r.conversationId, r.kind, r.userId ?? null, r.aadObjectId ?? null, r.updatedAt, r],
      );
    },
    get: async (platform: Platform, conversationId: string) =>
      (
        await this.rows<{ data: ConversationRecord }>(
          this.pool,
          'SELECT data FROM conversations WHERE platform = $1 AND conversation_id = $2',
          [platform, conversationId],
        )
      )[0]?.data,
    findPersonal: async (platform: Platform, userId: string) =>
      (
        await this.rows<{ data: ConversationRecord }>(
          this.pool,
          `SELECT data FROM conversations WHERE platform = $1 AND kind = 'personal' AND (user_id = $2 OR aad_object_id = $2)
           ORDER BY updated_at DESC LIMIT 1`,
          [platform, userId],
        )
      )[0]?.data,
    findAny: async (platform: Platform) =>
      (
        await this.rows<{ data: ConversationRecord }>(
          this.pool,
          'SELECT data FROM conversations WHERE platform = $1 ORDER BY updated_at DESC LIMIT 1',
          [platform],
        )
      )[0]?.data,
  };

  readonly gaps = {
    add: async (gap: GapRecord): Promise<void> => {
      await this.rows(this.pool, 'INSERT INTO gaps (data) VALUES ($1)', [gap]);
      await this.trim('gaps');
    },
    list: async (): Promise<readonly GapRecord[]> =>
      (
        await this.rows<{ data: GapRecord }>(
          this.pool,
          'SELECT data FROM (SELECT id, data FROM gaps ORDER BY id DESC LIMIT $1) g ORDER BY id',
          [MAX_LOG_RECORDS],
        )
      ).map((r) => r.data),
  };

  /** Keeps the newest `MAX_LOG_RECORDS` rows of a log table. */
  private async trim(table: 'gaps' | 'feedback'): Promise<void> {
    await this.rows(
      this.pool,
      `DELETE FROM ${table} WHERE id <= (SELECT id FROM ${table} ORDER BY id DESC OFFSET $1 LIMIT 1)`,
      [MAX_LOG_RECORDS],
    );
  }

  readonly feedback = {
    add: async (feedback: FeedbackRecord, key: string): Promise<boolean> => {
      const inserted = await this.rows(
        this.pool,
        `WITH k AS (INSERT INTO feedback_keys (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key)
         INSERT INTO feedback (data) SELECT $3 FROM k RETURNING id`,
        [key, feedback.at, feedback],
      );
      if (inserted.length) await this.trim('feedback');
      return inserted.length > 0;
    },
    list: async (): Promise<readonly FeedbackRecord[]> =>
      (
        await this.rows<{ data: FeedbackRecord }>(
          this.pool,
          'SELECT data FROM (SELECT id, data FROM feedback ORDER BY id DESC LIMIT $1) f ORDER BY id',
          [MAX_LOG_RECORDS],
        )
      ).map((r) => r.data),
  };

  readonly flows = {
    get: async (id: string): Promise<FlowRecord | undefined> => {
      const [row] = await this.rows<{ data: FlowRecord; version: number }>(
        this.pool,
        'SELECT data, version FROM flows WHERE id = $1',
        [id],
      );
      return row && withVersion(row);
    },
    findActive: (platform: Platform, reporterId: string) => this.activeFlow(this.pool, platform, reporterId),
    create: async (flow: FlowRecord): Promise<FlowRecord> => {
      const inserted = await this.rows(
        this.pool,
        `INSERT INTO flows (id, platform, reporter_id, status, updated_at, version, data)
         VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [flow.id, flow.platform, flow.reporterId, flow.status, flow.updatedAt, body(flow)],
      );
      if (inserted.length) return { ...flow, version: 1 };
      const active = await this.activeFlow(this.pool, flow.platform, flow.reporterId);
      if (active) return active;
      throw new ConflictError('flow', flow.id);
    },
    update: async (flow: FlowRecord): Promise<FlowRecord> => this.putFlow(this.pool, flow),
    prune: async (finishedBefore: string, draftsBefore: string): Promise<number> =>
      (
        await this.rows(
          this.pool,
          `DELETE FROM flows WHERE (status = 'active' AND updated_at < $2) OR (status <> 'active' AND updated_at < $1)
           RETURNING id`,
          [finishedBefore, draftsBefore],
        )
      ).length,
  };

  private async activeFlow(q: Queryable, platform: Platform, reporterId: string) {
    const [row] = await this.rows<{ data: FlowRecord; version: number }>(
      q,
      `SELECT data, version FROM flows WHERE platform = $1 AND reporter_id = $2 AND status = 'active'`,
      [platform, reporterId],
    );
    return row && withVersion(row);
  }

  private async putFlow(q: Queryable, flow: FlowRecord): Promise<FlowRecord> {
    const updated = await this.rows(
      q,
      `UPDATE flows SET status = $3, updated_at = $4, version = version + 1, data = $5
       WHERE id = $1 AND version = $2 RETURNING id`,
      [flow.id, flow.version, flow.status, flow.updatedAt, body(flow)],
    );
    if (!updated.length) throw new ConflictError('flow', flow.id);
    return { ...flow, version: flow.version + 1 };
  }

  readonly forms = {
    save: async (formId: string, ref: MessageRef): Promise<void> => {
      await this.rows(
        this.pool,
        `INSERT INTO form_cards (form_id, data) VALUES ($1, $2)
         ON CONFLICT (form_id) DO UPDATE SET data = EXCLUDED.data, created_at = now()`,
        [formId, ref],
      );
      await this.rows(
        this.pool,
        `DELETE FROM form_cards WHERE created_at < (SELECT created_at FROM form_cards ORDER BY created_at DESC OFFSET $1 LIMIT 1)`,
        [MAX_FORM_CARDS - 1],
      );
    },
    take: async (formId: string): Promise<MessageRef | undefined> =>
      (
        await this.rows<{ data: MessageRef }>(
          this.pool,
          'DELETE FROM form_cards WHERE form_id = $1 RETURNING data',
          [formId],
        )
      )[0]?.data,
  };

  private async caseByForm(q: Queryable, formId: string): Promise<CaseRecord | undefined> {
    const [row] = await this.rows<{ data: CaseRecord; version: number }>(
      q,
      'SELECT data, version FROM cases WHERE form_id = $1',
      [formId],
    );
    return row && withVersion(row);
  }

  /** A conditional case update; throws `ConflictError` when the version moved on. */
  private async putCase(q: Queryable, c: CaseRecord): Promise<CaseRecord> {
    const updated = await this.rows(
      q,
      `UPDATE cases SET status = $3, deadline_at = $4, closed_at = $5, anonymised = $6, version = version + 1, data = $7
       WHERE id = $1 AND version = $2 RETURNING id`,
      [c.id, c.version, c.status, ts(c.deadlineAt), ts(c.closedAt), c.anonymised === true, body(c)],
    );
    if (!updated.length) throw new ConflictError('case', c.id);
    return { ...c, version: c.version + 1 };
  }

  private async insertOutbox(q: Queryable, items: readonly OutboxItem[]): Promise<void> {
    for (const o of items)
      await this.rows(
        q,
        `INSERT INTO outbox (id, case_id, next_attempt_at, created_at, data) VALUES ($1, $2, $3, $4, $5)`,
        [o.id, o.caseId, o.nextAttemptAt, o.createdAt, o],
      );
  }

  readonly cases = {
    get: async (id: string): Promise<CaseRecord | undefined> => {
      const [row] = await this.rows<{ data: CaseRecord; version: number }>(
        this.pool,
        'SELECT data, version FROM cases WHERE id = $1',
        [id],
      );
      return row && withVersion(row);
    },
    findByForm: (formId: string) => this.caseByForm(this.pool, formId),
    create: async (input: NewCase): Promise<{ record: CaseRecord; created: boolean }> => {
      const earlier = await this.caseByForm(this.pool, input.formId);
      if (earlier) return { record: earlier, created: false };
      const outcome = await this.tx(async (q) => {
        if (input.flow) {
          const moved = await this.rows(
            q,
            `UPDATE flows SET status = $3, updated_at = $4, version = version + 1, data = $5
             WHERE id = $1 AND version = $2 RETURNING id`,
            [input.flow.id, input.flow.version, input.flow.status, input.flow.updatedAt, body(input.flow)],
          );
          // Another submit of the same flow got there first: roll back, and return its case below.
          if (!moved.length) throw new ConflictError('flow', input.flow.id);
        }
        const [seq] = await this.rows<{ value: string }>(
          q,
          `INSERT INTO sequences (name, value) VALUES ($1, 1)
           ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1 RETURNING value`,
          [input.sequence],
        );
        const built = input.build(Number(seq?.value));
        const record = { ...built.record, formId: input.formId, version: 1 } as CaseRecord;
        const inserted = await this.rows(
          q,
          `INSERT INTO cases (id, form_id, status, reporter_platform, reporter_user, deadline_at, closed_at, anonymised,
                              created_at, version, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) ON CONFLICT (form_id) DO NOTHING RETURNING id`,
          [
            record.id,
            input.formId,
            record.status,
            record.reporter.platform,
            record.reporter.userId ?? null,
            ts(record.deadlineAt),
            ts(record.closedAt),
            record.anonymised === true,
            record.createdAt,
            body(record),
          ],
        );
        if (!inserted.length) throw new ConflictError('case form', input.formId);
        await this.insertOutbox(q, built.outbox);
        return record;
      }).catch(async (err) => {
        // Lost the race to a concurrent create of the same form: that case is the answer.
        if (!(err instanceof ConflictError)) throw err;
        const winner = await this.caseByForm(this.pool, input.formId);
        if (winner) return { winner };
        throw err;
      });
      return 'winner' in outcome
        ? { record: outcome.winner, created: false }
        : { record: outcome, created: true };
    },
    update: (
      record: CaseRecord,
      outbox: readonly OutboxItem[] = [],
      options: { readonly dropOutbox?: boolean } = {},
    ): Promise<CaseRecord> =>
      this.tx(async (q) => {
        const stored = await this.putCase(q, record);
        if (options.dropOutbox) await this.rows(q, 'DELETE FROM outbox WHERE case_id = $1', [record.id]);
        await this.insertOutbox(q, outbox);
        return stored;
      }),
    list: async (f: CaseFilter = {}): Promise<readonly CaseRecord[]> => {
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      if (f.status) where.push(`status = ANY(${p(f.status)})`);
      if (f.reporter)
        where.push(
          `reporter_platform = ${p(f.reporter.platform)} AND reporter_user = ${p(f.reporter.userId)}`,
        );
      if (f.dueBy !== undefined) where.push(`status = 'open' AND deadline_at <= ${p(f.dueBy)}`);
      if (f.closedBefore !== undefined)
        where.push(`status = 'closed' AND NOT anonymised AND closed_at <= ${p(f.closedBefore)}`);
      if (f.createdFrom !== undefined) where.push(`created_at >= ${p(f.createdFrom)}`);
      if (f.createdTo !== undefined) where.push(`created_at < ${p(f.createdTo)}`);
      const sql = `SELECT data, version FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                   ORDER BY created_at DESC, id DESC ${f.limit === undefined ? '' : `LIMIT ${p(f.limit)}`}`;
      return (await this.rows<{ data: CaseRecord; version: number }>(this.pool, sql, params)).map(
        withVersion,
      );
    },
  };

  readonly outbox = {
    claimDue: async (
      now: string,
      owner: string,
      leaseMs: number,
      limit: number,
    ): Promise<readonly OutboxItem[]> => {
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      const rows = await this.rows<{ data: OutboxItem; claimed_by: string; claimed_until: Date }>(
        this.pool,
        `UPDATE outbox SET claimed_by = $2, claimed_until = $3
         WHERE id IN (
           SELECT id FROM outbox
           WHERE next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1 OR claimed_by = $2)
           ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING data, claimed_by, claimed_until`,
        [now, owner, until, limit],
      );
      return rows
        .map((r) => ({ ...r.data, claimedBy: r.claimed_by, claimedUntil: until }))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    complete: async (itemId: string, owner: string, caseChange?: CaseRecord): Promise<boolean> =>
      this.tx(async (q) => {
        const gone = await this.rows(q, 'DELETE FROM outbox WHERE id = $1 AND claimed_by = $2 RETURNING id', [
          itemId,
          owner,
        ]);
        if (!gone.length) return false;
        if (caseChange) await this.putCase(q, caseChange);
        return true;
      }),
    reschedule: async (
      item: OutboxItem,
      owner: string,
      caseChange?: CaseRecord,
      more: readonly OutboxItem[] = [],
    ): Promise<boolean> =>
      this.tx(async (q) => {
        const { claimedBy: _by, claimedUntil: _until, ...rest } = item;
        const moved = await this.rows(
          q,
          `UPDATE outbox SET data = $3, next_attempt_at = $4, claimed_by = NULL, claimed_until = NULL
           WHERE id = $1 AND claimed_by = $2 RETURNING id`,
          [item.id, owner, rest, item.nextAttemptAt],
        );
        if (!moved.length) return false;
        if (caseChange) await this.putCase(q, caseChange);
        await this.insertOutbox(q, more);
        return true;
      }),
    list: async (): Promise<readonly OutboxItem[]> =>
      (await this.rows<{ data: OutboxItem }>(this.pool, 'SELECT data FROM outbox ORDER BY created_at')).map(
        (r) => r.data,
      ),
  };

  readonly roles = {
    all: async (): Promise<Readonly<Partial<Record<RoleId, RoleAssignment>>>> =>
      Object.fromEntries(
        (
          await this.rows<{ role: string; data: RoleAssignment }>(
            this.pool,
            'SELECT role, data FROM role_overrides',
          )
        ).map((r) => [r.role, r.data]),
      ),
    set: async (role: RoleId, assignment: RoleAssignment): Promise<void> => {
      await this.rows(
        this.pool,
        'INSERT INTO role_overrides (role, data) VALUES ($1, $2) ON CONFLICT (role) DO UPDATE SET data = EXCLUDED.data',
        [role, assignment],
      );
    },
  };

  readonly subscriptions = {
    get: async (id: string): Promise<TipSubscription | undefined> => {
      const [row] = await this.rows<{ data: TipSubscription; version: number }>(
        this.pool,
        'SELECT data, version FROM subscriptions WHERE id = $1',
        [id],
      );
      return row && withVersion(row);
    },
    list: async (): Promise<readonly TipSubscription[]> =>
      (
        await this.rows<{ data: TipSubscription; version: number }>(
          this.pool,
          'SELECT data, version FROM subscriptions ORDER BY id',
        )
      ).map(withVersion),
    save: async (sub: TipSubscription): Promise<TipSubscription> => {
      const written =
        sub.version === 0
          ? await this.rows(
              this.pool,
              'INSERT INTO subscriptions (id, version, data) VALUES ($1, 1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
              [sub.id, body(sub)],
            )
          : await this.rows(
              this.pool,
              'UPDATE subscriptions SET version = version + 1, data = $3 WHERE id = $1 AND version = $2 RETURNING id',
              [sub.id, sub.version, body(sub)],
            );
      if (!written.length) throw new ConflictError('subscription', sub.id);
      return { ...sub, version: sub.version + 1 };
    },
  };

  readonly once = {
    claim: async (key: string, ttlMs: number, now = new Date()): Promise<boolean> => {
      const rows = await this.rows(
        this.pool,
        `INSERT INTO once_keys (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE once_keys.expires_at <= $3
         RETURNING key`,
        [key, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
      );
      // Now and then, forget long-expired keys.
      if (Math.random() < 0.01)
        await this.rows(this.pool, 'DELETE FROM once_keys WHERE expires_at <= $1', [now.toISOString()]);
      return rows.length > 0;
    },
  };

  readonly auth = {
    save: async (record: AuthRecord): Promise<void> => {
      await this.rows(this.pool, 'DELETE FROM auth_tokens WHERE expires_at < $1', [record.createdAt]);
      await this.rows(
        this.pool,
        `INSERT INTO auth_tokens (key, expires_at, data) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at, data = EXCLUDED.data`,
        [record.key, record.expiresAt, record],
      );
    },
    get: async (key: string): Promise<AuthRecord | undefined> =>
      (
        await this.rows<{ data: AuthRecord }>(this.pool, 'SELECT data FROM auth_tokens WHERE key = $1', [key])
      )[0]?.data,
    take: async (key: string): Promise<AuthRecord | undefined> =>
      (
        await this.rows<{ data: AuthRecord }>(
          this.pool,
          'DELETE FROM auth_tokens WHERE key = $1 RETURNING data',
          [key],
        )
      )[0]?.data,
  };

  readonly leases = {
    acquire: async (name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> =>
      (
        await this.rows(
          this.pool,
          `INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
           WHERE leases.expires_at <= $4 OR leases.owner = EXCLUDED.owner
           RETURNING name`,
          [name, owner, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
        )
      ).length > 0,
    release: async (name: string, owner: string): Promise<void> => {
      await this.rows(this.pool, 'DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
    },
  };
}

/** Applies the schema migrations; instances starting together wait for each other (advisory lock). */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      count: Number.POSITIVE_INFINITY,
      advisoryLockMode: 'wait',
      checkOrder: true,
      log: () => undefined,
    });
  } finally {
    client.release();
  }
}
