import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../cases/model.js';
import type { RoleId } from '../knowledge/model.js';
import type { RoleAssignment } from '../school/school.js';
import type { TipSubscription } from '../tips/model.js';
import type { ConversationKind, Platform } from '../types.js';

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

/** Feedback on an answer ("Hielp dit?"). No user id is stored. */
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

/**
 * Everything Vangnet persists goes through this interface, so a shared database can replace the embedded
 * file store for multi-instance deployments.
 */
/** How many sent forms a store remembers the place of (older ones fall back to a new message). */
export const MAX_FORM_CARDS = 500;

export interface Store {
  saveConversation(record: ConversationRecord): Promise<void>;
  getConversation(platform: Platform, conversationId: string): Promise<ConversationRecord | undefined>;
  /** The most recent personal (1:1) conversation with a user, by platform user id or Teams AAD object id. */
  findPersonalConversation(platform: Platform, userId: string): Promise<ConversationRecord | undefined>;
  /** Any conversation on a platform (for its service URL and tenant when creating a new chat). */
  findAnyConversation(platform: Platform): Promise<ConversationRecord | undefined>;
  addGap(gap: GapRecord): Promise<void>;
  listGaps(): Promise<readonly GapRecord[]>;
  addFeedback(feedback: FeedbackRecord): Promise<void>;
  listFeedback(): Promise<readonly FeedbackRecord[]>;

  saveFlow(flow: FlowRecord): Promise<void>;
  getFlow(id: string): Promise<FlowRecord | undefined>;
  /** The reporter's flow that is still active, if any. */
  findActiveFlow(platform: Platform, reporterId: string): Promise<FlowRecord | undefined>;
  /**
   * Where a sent form (the "ask an expert" form) is, so its confirmation can replace it where the platform does
   * not say which card was clicked. Screen state only: kept for the last forms, not written on its own.
   */
  saveFormCard(formId: string, ref: MessageRef): Promise<void>;
  /** The form's place, once: it is forgotten when taken. */
  takeFormCard(formId: string): Promise<MessageRef | undefined>;

  /**
   * A case together with the notifications its change brings, in one write: a crash never leaves a change that
   * nobody will be told of, nor notifications for a change that was not saved.
   */
  saveCase(record: CaseRecord, outbox?: readonly OutboxItem[]): Promise<void>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  listCases(): Promise<readonly CaseRecord[]>;
  /** Next number in a named sequence (case numbers per year); never returns the same number twice. */
  nextSequence(name: string): Promise<number>;

  listOutbox(): Promise<readonly OutboxItem[]>;
  updateOutbox(item: OutboxItem): Promise<void>;
  removeOutbox(id: string): Promise<void>;

  /** Role holders changed by admins in chat; they take precedence over the school config file. */
  getRoleOverrides(): Promise<Readonly<Partial<Record<RoleId, RoleAssignment>>>>;
  setRoleOverride(role: RoleId, assignment: RoleAssignment): Promise<void>;

  /**
   * Workspace sessions and one-time links (shared by every instance). Saving also drops the records that expired
   * before the new one was made.
   */
  saveAuth(record: AuthRecord): Promise<void>;
  getAuth(key: string): Promise<AuthRecord | undefined>;
  /** Returns the record and removes it in one step, so a one-time link works once across all instances. */
  takeAuth(key: string): Promise<AuthRecord | undefined>;

  saveSubscription(sub: TipSubscription): Promise<void>;
  getSubscription(id: string): Promise<TipSubscription | undefined>;
  listSubscriptions(): Promise<readonly TipSubscription[]>;

  close(): Promise<void>;
}

/** Maximum kept gap and feedback records; the oldest are dropped first. */
export const MAX_LOG_RECORDS = 5000;

/** The most recent personal conversation with a user (by platform user id or Teams AAD object id). */
export function latestPersonal(
  records: Iterable<ConversationRecord>,
  platform: Platform,
  userId: string,
): ConversationRecord | undefined {
  return latest(
    records,
    (r) =>
      r.platform === platform && r.kind === 'personal' && (r.userId === userId || r.aadObjectId === userId),
  );
}

/** The most recently updated record that matches. */
export function latest(records: Iterable<ConversationRecord>, match: (r: ConversationRecord) => boolean) {
  let best: ConversationRecord | undefined;
  for (const r of records) if (match(r) && (!best || r.updatedAt > best.updatedAt)) best = r;
  return best;
}

export function conversationKey(platform: Platform, conversationId: string): string {
  return `${platform}:${conversationId}`;
}
