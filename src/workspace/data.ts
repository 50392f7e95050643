import type { CaseRecord } from '../core/cases/model.js';
import type { AuthRecord, FeedbackRecord, GapRecord, Store } from '../core/storage/store.js';
import type { Platform } from '../core/types.js';
import type { AuthRecords } from './auth/sign-ins.js';

/** Everything the workspace reads, in one place, through the Store's queries. */
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
    return this.store.cases.list();
  }

  async case(id: string) {
    return CASE_ID.test(id) ? this.store.cases.get(id) : undefined;
  }

  casesReportedBetween(from: string, to: string) {
    return this.store.cases.list({ createdFrom: from, createdTo: to });
  }

  async knowledgeGaps() {
    const [gaps, feedback] = await Promise.all([this.store.gaps.list(), this.store.feedback.list()]);
    return { gaps, feedback };
  }

  async chatUserId(platform: Platform, aadObjectId: string) {
    return (await this.store.conversations.findPersonal(platform, aadObjectId))?.userId;
  }

  saveAuth(record: AuthRecord) {
    return this.store.auth.save(record);
  }
  getAuth(key: string) {
    return this.store.auth.get(key);
  }
  takeAuth(key: string) {
    return this.store.auth.take(key);
  }
}
