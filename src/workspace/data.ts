import type { CaseRecord } from '../core/cases/model.js';
import type { AuthRecord, FeedbackRecord, GapRecord, Store } from '../core/storage/store.js';
import type { Platform } from '../core/types.js';
import type { AuthRecords } from './auth/sign-ins.js';

/**
 * Everything the workspace reads, in one place. Today it scans the Store's `listCases()`; a store with queries
 * (cases by reporter, by month) replaces the bodies here and nothing else.
 */
export interface WorkspaceData extends AuthRecords {
  /** Every case of the school (the caller filters by the reader's rights). */
  allCases(): Promise<readonly CaseRecord[]>;
  case(id: string): Promise<CaseRecord | undefined>;
  /** Cases reported from `from` up to (not including) `to`, ISO times: the overview's input. */
  casesReportedBetween(from: string, to: string): Promise<readonly CaseRecord[]>;
  knowledgeGaps(): Promise<{ gaps: readonly GapRecord[]; feedback: readonly FeedbackRecord[] }>;
  /**
   * A Teams user's Bot Framework id (`29:…`), which their reports carry, from the private chat they had with
   * Vangnet; the tab only knows their Entra object id.
   */
  chatUserId(platform: Platform, aadObjectId: string): Promise<string | undefined>;
}

/** Case ids are short and patterned: anything else is not looked up. */
export const CASE_ID = /^[MV]-\d{4}-\d{4,6}$/;

export class StoreWorkspaceData implements WorkspaceData {
  constructor(private readonly store: Store) {}

  allCases() {
    return this.store.listCases();
  }

  async case(id: string) {
    return CASE_ID.test(id) ? this.store.getCase(id) : undefined;
  }

  async casesReportedBetween(from: string, to: string) {
    return (await this.store.listCases()).filter((c) => c.createdAt >= from && c.createdAt < to);
  }

  async knowledgeGaps() {
    const [gaps, feedback] = await Promise.all([this.store.listGaps(), this.store.listFeedback()]);
    return { gaps, feedback };
  }

  async chatUserId(platform: Platform, aadObjectId: string) {
    return (await this.store.findPersonalConversation(platform, aadObjectId))?.userId;
  }

  saveAuth(record: AuthRecord) {
    return this.store.saveAuth(record);
  }
  getAuth(key: string) {
    return this.store.getAuth(key);
  }
  takeAuth(key: string) {
    return this.store.takeAuth(key);
  }
}
