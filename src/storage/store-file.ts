import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../core/cases/model.js';
import { ErrorCode, StoreError } from '../core/errors.js';
import type { RoleAssignment } from '../core/school/school.js';
import { type Drafts, Table } from '../core/storage/draft.js';
import { type EmbeddedRows, type EmbeddedTables, emptyTables } from '../core/storage/embedded-store.js';
import type { AuthRecord, ConversationRecord, FeedbackRecord, GapRecord } from '../core/storage/store.js';
import type { TipSubscription } from '../core/tips/model.js';

/**
 * The embedded store's file (`vangnet.json`): its shape, checked when opened, and the upgrade from the first
 * round's format (version 1, records without versions). A file of the wrong shape is never "repaired": opening
 * stops with every problem named and the file untouched.
 */

export const STORE_FILE = 'vangnet.json';
export const FILE_FORMAT = 'vangnet-store';
export const FILE_VERSION = 2;

export interface StoreFile {
  readonly format: typeof FILE_FORMAT;
  readonly version: typeof FILE_VERSION;
  readonly conversations: Record<string, ConversationRecord>;
  readonly gaps: GapRecord[];
  readonly feedback: FeedbackRecord[];
  readonly feedbackKeys: Record<string, string>;
  readonly flows: Record<string, FlowRecord>;
  readonly forms: Record<string, MessageRef>;
  readonly cases: Record<string, CaseRecord>;
  readonly sequences: Record<string, number>;
  readonly outbox: Record<string, OutboxItem>;
  readonly roleOverrides: Record<string, RoleAssignment>;
  readonly subscriptions: Record<string, TipSubscription>;
  /** Platform retries already handled (key → expiry, epoch ms). */
  readonly onceKeys?: Record<string, number>;
  /** Workspace sessions and one-time links, by the hash of their secret. */
  readonly auth?: Record<string, AuthRecord>;
}

/** The would-be state as the file stores it. */
export function toStoreFile(d: Drafts<EmbeddedRows> | EmbeddedTables): StoreFile {
  const obj = <V>(t: { entries(): IterableIterator<[string, V]> }) => Object.fromEntries(t.entries());
  const list = <V>(t: { values(): IterableIterator<V> }) => [...t.values()];
  return {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    conversations: obj(d.conversations),
    gaps: list(d.gaps),
    feedback: list(d.feedback),
    feedbackKeys: obj(d.feedbackKeys),
    flows: obj(d.flows),
    forms: obj(d.forms),
    cases: obj(d.cases),
    sequences: obj(d.sequences),
    outbox: obj(d.outbox),
    roleOverrides: obj(d.roleOverrides),
    subscriptions: obj(d.subscriptions),
    onceKeys: obj(d.onceKeys),
    auth: obj(d.auth),
  };
}

const MAPS = [
  'conversations',
  'flows',
  'forms',
  'cases',
  'sequences',
  'outbox',
  'roleOverrides',
  'subscriptions',
] as const;
const LISTS = ['gaps', 'feedback'] as const;
/** Collections the first round's files may lack (added during that round). */
const OPTIONAL_V1 = new Set([
  'forms',
  'sequences',
  'outbox',
  'subscriptions',
  'flows',
  'cases',
  'roleOverrides',
]);

type Check = (key: string, v: Record<string, unknown>) => string | undefined;
const str = (v: unknown) => typeof v === 'string';
const CHECKS: Partial<Record<(typeof MAPS)[number], Check>> = {
  cases: (k, c) =>
    c.id !== k
      ? 'id does not match its key'
      : !['open', 'taken', 'closed'].includes(String(c.status))
        ? 'status is not open, taken or closed'
        : !Array.isArray(c.timeline) || !Array.isArray(c.recipients) || !Array.isArray(c.cards)
          ? 'timeline, recipients and cards must be lists'
          : typeof c.reporter !== 'object' || c.reporter === null || !str(c.createdAt)
            ? 'reporter and createdAt are required'
            : undefined,
  flows: (k, f) =>
    f.id !== k
      ? 'id does not match its key'
      : !['active', 'submitted', 'cancelled'].includes(String(f.status))
        ? 'status is not active, submitted or cancelled'
        : !str(f.platform) || !str(f.reporterId) || !Array.isArray(f.checked)
          ? 'platform, reporterId and checked are required'
          : undefined,
  outbox: (k, o) =>
    o.id !== k
      ? 'id does not match its key'
      : !str(o.caseId) || !str(o.kind) || !str(o.to) || !str(o.nextAttemptAt)
        ? 'caseId, kind, to and nextAttemptAt are required'
        : undefined,
  subscriptions: (k, s) =>
    s.id !== k
      ? 'id does not match its key'
      : !str(s.platform) || !str(s.conversationId) || !Array.isArray(s.used) || typeof s.weeks !== 'object'
        ? 'platform, conversationId, used and weeks are required'
        : undefined,
  conversations: (_k, c) =>
    !str(c.platform) || !str(c.conversationId) ? 'platform and conversationId are required' : undefined,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a parsed file and builds the tables from it. Throws `StoreError` (`StoreInvalid`) naming every problem
 * (at most 20) when the shape is wrong.
 */
export function fromStoreFile(raw: unknown, path: string): EmbeddedTables {
  const problems: string[] = [];
  const fail = () =>
    new StoreError(
      `${path} is not a valid Vangnet data file; nothing was changed:\n  - ${problems.slice(0, 20).join('\n  - ')}`,
      undefined,
      ErrorCode.StoreInvalid,
    );
  if (!isObject(raw)) {
    problems.push('the file must hold one JSON object');
    throw fail();
  }
  const v1 = raw.version === 1 && raw.format === undefined;
  if (!v1 && !(raw.format === FILE_FORMAT && raw.version === FILE_VERSION)) {
    problems.push(
      raw.version === undefined
        ? `no "version": not a Vangnet data file (a backup must be restored as the file itself, not wrapped)`
        : `unknown format/version ${JSON.stringify(raw.format ?? null)}/${JSON.stringify(raw.version)}`,
    );
    throw fail();
  }
  const known = new Set<string>(['format', 'version', 'feedbackKeys', 'onceKeys', 'auth', ...MAPS, ...LISTS]);
  for (const key of Object.keys(raw)) if (!known.has(key)) problems.push(`unknown top-level key "${key}"`);
  for (const name of MAPS) {
    const value = raw[name];
    if (value === undefined && v1 && OPTIONAL_V1.has(name)) continue;
    if (!isObject(value)) {
      problems.push(
        `"${name}" must be an object keyed by id, got ${Array.isArray(value) ? 'a list' : typeof value}`,
      );
      continue;
    }
    const check = CHECKS[name];
    for (const [k, rec] of Object.entries(value)) {
      if (name === 'sequences') {
        if (!Number.isInteger(rec) || (rec as number) < 0)
          problems.push(`sequences.${k} must be a whole number`);
        continue;
      }
      if (!isObject(rec)) problems.push(`${name}.${k} must be an object`);
      else {
        const why = check?.(k, rec);
        if (why) problems.push(`${name}.${k}: ${why}`);
      }
    }
  }
  for (const name of LISTS) {
    const value = raw[name];
    if (!Array.isArray(value)) problems.push(`"${name}" must be a list`);
    else if (value.some((g) => !isObject(g) || !str(g.at))) problems.push(`"${name}" entries need "at"`);
  }
  if (raw.feedbackKeys !== undefined && !isObject(raw.feedbackKeys))
    problems.push('"feedbackKeys" must be an object');
  if (problems.length) throw fail();

  // Version 1 records had no version: every record starts at 1.
  const versioned = <T>(rec: T): T =>
    v1 && (rec as { version?: number }).version === undefined ? { ...rec, version: 1 } : rec;
  const map = <V>(name: (typeof MAPS)[number], withVersion = false) =>
    new Table<V>(
      Object.entries((raw[name] ?? {}) as Record<string, V>).map(([k, v]) => [
        k,
        withVersion ? versioned(v) : v,
      ]),
    );
  const list = <V>(name: (typeof LISTS)[number]) =>
    new Table<V>((raw[name] as V[]).map((v, i) => [`${i}`, v]));
  return {
    ...emptyTables(),
    conversations: map('conversations'),
    gaps: list('gaps'),
    feedback: list('feedback'),
    feedbackKeys: new Table(Object.entries((raw.feedbackKeys ?? {}) as Record<string, string>)),
    flows: map('flows', true),
    forms: map('forms'),
    cases: map('cases', true),
    sequences: map('sequences'),
    outbox: map('outbox'),
    roleOverrides: map('roleOverrides'),
    subscriptions: map('subscriptions', true),
    onceKeys: new Table(Object.entries((raw.onceKeys ?? {}) as Record<string, number>)),
    auth: new Table(Object.entries((raw.auth ?? {}) as Record<string, AuthRecord>)),
  };
}
