import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../cases/model.js';
import type { RoleId } from '../knowledge/model.js';
import type { RoleAssignment } from '../school/school.js';
import type { TipSubscription } from '../tips/model.js';
import type { ConversationKind, Platform } from '../types.js';

/**
 * The one storage contract. Every implementation (in memory, the embedded lowdb file, PostgreSQL) passes the same
 * contract suite in `test/storage/`, concurrency cases included.
 *
 * - Records that people change concurrently (cases, flows, tip subscriptions) carry a `version`. A change is a
 *   conditional write: it names the version it was decided on and fails with `ConflictError` when someone else
 *   changed the record first. The caller re-reads, decides again and retries (`withRetry`).
 * - "Create once" is backed by a unique key: a flow or form makes at most one case (`cases.create` with its
 *   `formId`), a reporter has at most one active flow.
 * - A case change is written together with the notifications it brings (outbox items), in one write.
 * - Outbox items are claimed before delivery, so two workers never deliver the same one.
 * - Periodic jobs run under leases, so with N instances each job runs once per tick.
 */
export interface Store {
  readonly kind: 'memory' | 'lowdb' | 'postgres';
  readonly conversations: Conversations;
  readonly gaps: Gaps;
  readonly feedback: FeedbackLog;
  readonly flows: Flows;
  readonly forms: FormCards;
  readonly cases: Cases;
  readonly outbox: Outbox;
  readonly roles: RoleOverrides;
  readonly subscriptions: Subscriptions;
  /** Keys used once: deduplicating platform retries (Slack `event_id`, Teams activity ids). */
  readonly once: OnceKeys;
  readonly leases: Leases;
  readonly auth: AuthTokens;
  /** Whether the store can write right now; `/healthz` reports it. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export type StoreHealth = { readonly ok: true } | { readonly ok: false; readonly code: StoreHealthCode };
export type StoreHealthCode = 'store.write_failed' | 'store.unreachable' | 'store.closed';

/** A conversation the bot has seen, kept so it can post into it later (tips, case notices). */
export interface ConversationRecord {
  readonly platform: Platform;
  readonly conversationId: string;
  readonly kind: ConversationKind;
  /** For personal conversations: the user the chat is with. */
  readonly userId?: string;
  readonly aadObjectId?: string;
  /** The channel's own reference object (Bot Framework ConversationReference, Slack channel info); opaque here. */
  readonly reference: unknown;
  readonly updatedAt: string;
}

/** A question the bot could not answer well, kept without personal data for knowledge editors. */
export interface GapRecord {
  readonly at: string;
  /** `asked-expert`: a question staff sent to a person in school — a topic the articles may be missing. */
  readonly reason: 'unanswered' | 'not-helpful' | 'asked-expert';
  /** The question with personal data scrubbed. */
  readonly query: string;
  /** For not-helpful feedback: the article that did not help. */
  readonly slug?: string;
  readonly platform: Platform;
}

/** Feedback on an answer or tip ("Hielp dit?"). No user id is stored. */
export interface FeedbackRecord {
  readonly at: string;
  readonly slug: string;
  readonly helpful: boolean;
  readonly platform: Platform;
}

/**
 * A workspace sign-in: a session, a one-time sign-in link or a one-time download link. Stored under the SHA-256 of
 * its secret, never the secret itself, so a copy of the data cannot be used to sign in.
 */
export interface AuthRecord {
  /** SHA-256 (hex) of the secret the browser holds. */
  readonly key: string;
  readonly kind: 'session' | 'signin' | 'download';
  readonly platform: Platform;
  /** The platform user id (Slack member id, local chat user id). */
  readonly userId: string;
  /** Download links: the case and the person it was made for. */
  readonly caseId?: string;
  readonly personId?: string;
  /** Sessions: the token every state-changing request must carry (CSRF). */
  readonly csrf?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** Workspace sessions and one-time links, shared by every instance. */
export interface AuthTokens {
  /** Saves a record; records that expired before it was made are dropped on the way. */
  save(record: AuthRecord): Promise<void>;
  get(key: string): Promise<AuthRecord | undefined>;
  /** Returns the record and removes it in one step, so a one-time link works once across all instances. */
  take(key: string): Promise<AuthRecord | undefined>;
}

export interface Conversations {
  /** Saves the reference; an unchanged reference is not written again (a question must not cost a write). */
  save(record: ConversationRecord): Promise<void>;
  get(platform: Platform, conversationId: string): Promise<ConversationRecord | undefined>;
  /** The most recent personal (1:1) conversation with a user, by platform user id or Teams AAD object id. */
  findPersonal(platform: Platform, userId: string): Promise<ConversationRecord | undefined>;
  /** Any conversation on a platform (for its service URL and tenant when creating a new chat). */
  findAny(platform: Platform): Promise<ConversationRecord | undefined>;
}

export interface Gaps {
  add(gap: GapRecord): Promise<void>;
  /** The most recent gaps, oldest first (at most `MAX_LOG_RECORDS`). */
  list(): Promise<readonly GapRecord[]>;
}

export interface FeedbackLog {
  /**
   * Records feedback once per `key` (a hash of who gave it on which card): false, and nothing written, when this
   * key was recorded before. No user id is stored.
   */
  add(feedback: FeedbackRecord, key: string): Promise<boolean>;
  list(): Promise<readonly FeedbackRecord[]>;
}

export interface Flows {
  get(id: string): Promise<FlowRecord | undefined>;
  /** The reporter's flow that is still active (a draft), if any. */
  findActive(platform: Platform, reporterId: string): Promise<FlowRecord | undefined>;
  /**
   * Stores a new flow (version 1). A reporter has at most one active flow: when one exists already, that one is
   * returned and nothing is written.
   */
  create(flow: FlowRecord): Promise<FlowRecord>;
  /** Conditional write on `flow.version`; returns the stored record (version + 1). */
  update(flow: FlowRecord): Promise<FlowRecord>;
  /**
   * Retention: deletes finished (submitted or cancelled) flows last changed before `finishedBefore` and drafts
   * (active flows) last changed before `draftsBefore`. Returns how many were deleted.
   */
  prune(finishedBefore: string, draftsBefore: string): Promise<number>;
}

/** Where a sent form is, so its confirmation can replace it. Screen state only; the last `MAX_FORM_CARDS`. */
export interface FormCards {
  save(formId: string, ref: MessageRef): Promise<void>;
  /** The form's place, once: it is forgotten when taken. */
  take(formId: string): Promise<MessageRef | undefined>;
}

/** What `cases.create` needs: the record is built once its number is known, inside the same write. */
export interface NewCase {
  /** The sequence the number comes from, e.g. `case-2026`; numbers are unique across instances. */
  readonly sequence: string;
  /** The flow or form the case is made from: a second create with the same key returns the first case. */
  readonly formId: string;
  build(seq: number): {
    readonly record: Omit<CaseRecord, 'version'>;
    readonly outbox: readonly OutboxItem[];
  };
  /** A flow change written in the same write (the flow marked as sent), conditional on its version. */
  readonly flow?: FlowRecord;
}

export interface CaseFilter {
  readonly status?: readonly CaseRecord['status'][];
  readonly reporter?: { readonly platform: Platform; readonly userId: string };
  /** Open, not taken, with a deadline at or before this instant. */
  readonly dueBy?: string;
  /** Closed at or before this instant and not yet anonymised. */
  readonly closedBefore?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly limit?: number;
}

export interface Cases {
  get(id: string): Promise<CaseRecord | undefined>;
  findByForm(formId: string): Promise<CaseRecord | undefined>;
  /**
   * Creates a case with its first notifications (and the flow change) in one write. When a case with the same
   * `formId` exists, returns it with `created: false` and writes nothing, whatever the timing.
   */
  create(input: NewCase): Promise<{ readonly record: CaseRecord; readonly created: boolean }>;
  /**
   * Conditional write on `record.version`, with the notifications the change brings, in one write. `dropOutbox`
   * removes the case's undelivered notifications (anonymisation). Returns the stored record (version + 1).
   */
  update(
    record: CaseRecord,
    outbox?: readonly OutboxItem[],
    options?: { readonly dropOutbox?: boolean },
  ): Promise<CaseRecord>;
  /** Cases matching every given criterion, newest first. */
  list(filter?: CaseFilter): Promise<readonly CaseRecord[]>;
}

export interface Outbox {
  /**
   * Claims up to `limit` due notifications (oldest first) for `owner` until `now + leaseMs`; items claimed by
   * someone else and not yet expired are skipped. Two workers never hold the same item.
   */
  claimDue(now: string, owner: string, leaseMs: number, limit: number): Promise<readonly OutboxItem[]>;
  /**
   * A delivered notification: removed, and the case change that records the delivery written with it (conditional
   * on the case's version). False when the item was no longer held by `owner` (its claim expired and another worker
   * took it): nothing is written then.
   */
  complete(itemId: string, owner: string, caseChange?: CaseRecord): Promise<boolean>;
  /**
   * A failed delivery: the item is released with its next attempt, and the case change (and any further
   * notifications) written with it. False when the item was no longer held by `owner`.
   */
  reschedule(
    item: OutboxItem,
    owner: string,
    caseChange?: CaseRecord,
    more?: readonly OutboxItem[],
  ): Promise<boolean>;
  /** Every queued notification (tests, `vangnet` diagnostics). */
  list(): Promise<readonly OutboxItem[]>;
}

export interface RoleOverrides {
  /** Role holders changed by admins in chat; they take precedence over the school config file. */
  all(): Promise<Readonly<Partial<Record<RoleId, RoleAssignment>>>>;
  set(role: RoleId, assignment: RoleAssignment): Promise<void>;
}

export interface Subscriptions {
  get(id: string): Promise<TipSubscription | undefined>;
  list(): Promise<readonly TipSubscription[]>;
  /**
   * Creates (`version` 0: must not exist yet) or changes (conditional on `version`) a subscription; returns the
   * stored record (version + 1).
   */
  save(sub: TipSubscription): Promise<TipSubscription>;
}

export interface OnceKeys {
  /** True only for the first claim of a key while it has not expired; expired keys are forgotten. */
  claim(key: string, ttlMs: number, now?: Date): Promise<boolean>;
}

export interface Leases {
  /** Takes or renews the named lease for `owner` until `now + ttlMs`; false while another owner holds it. */
  acquire(name: string, owner: string, ttlMs: number, now?: Date): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

/** Maximum kept gap and feedback records; the oldest are dropped first. */
export const MAX_LOG_RECORDS = 5000;
/** How many sent forms a store remembers the place of (older ones fall back to a new message). */
export const MAX_FORM_CARDS = 500;

export function conversationKey(platform: Platform, conversationId: string): string {
  return `${platform}:${conversationId}`;
}

/** Whether a case matches a filter (the embedded stores' query; PostgreSQL does the same in SQL). */
export function matchesCase(c: CaseRecord, f: CaseFilter): boolean {
  if (f.status && !f.status.includes(c.status)) return false;
  if (f.reporter && (c.reporter.platform !== f.reporter.platform || c.reporter.userId !== f.reporter.userId))
    return false;
  if (f.dueBy !== undefined && !(c.status === 'open' && c.deadlineAt && c.deadlineAt <= f.dueBy))
    return false;
  if (
    f.closedBefore !== undefined &&
    !(c.status === 'closed' && !c.anonymised && c.closedAt && c.closedAt <= f.closedBefore)
  )
    return false;
  if (f.createdFrom !== undefined && c.createdAt < f.createdFrom) return false;
  if (f.createdTo !== undefined && c.createdAt >= f.createdTo) return false;
  return true;
}

/** Newest first, then by id so the order is total. */
export function newestFirst(a: CaseRecord, b: CaseRecord): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}
