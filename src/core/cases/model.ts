import type { Involved } from '../escalation/catalog.js';
import type { FlowState } from '../escalation/flow.js';
import type { RoleId } from '../knowledge/model.js';
import type { Platform } from '../types.js';

/** Where a message the bot sent lives, so it can be updated in place. */
export interface MessageRef {
  readonly platform: Platform;
  readonly conversationId: string;
  readonly activityId: string;
}

/** A chat user on one platform, enough to reach them privately. */
export interface PlatformAddress {
  readonly platform: Platform;
  readonly userId?: string;
  readonly aadObjectId?: string;
  readonly name?: string;
}

/** A teacher's escalation flow as stored: the pure state plus where its card is. */
export interface FlowRecord extends FlowState {
  readonly card?: MessageRef;
}

export type CaseStatus = 'open' | 'taken' | 'closed';
export const CASE_OUTCOMES = ['opgelost', 'doorverwezen', 'politie', 'geen-actie', 'anders'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export interface TimelineEntry {
  readonly at: string;
  /** A person id from the school config, 'reporter' or 'system'. */
  readonly by: string;
  readonly action:
    | 'created'
    | 'delivered'
    | 'delivery-failed'
    | 'taken'
    | 'handed-over'
    | 'question'
    | 'answer'
    | 'reminder'
    | 'escalated'
    | 'closed'
    | 'exported'
    | 'note'
    | 'anonymised';
  readonly note?: string;
  /** The words of the entry: a message between expert and reporter, a note, a hand-over reason. */
  readonly text?: string;
}

/**
 * One escalated incident, or a staff member's question to an expert (`kind: 'question'`, numbered V-…). Details
 * about pupils live only here and in the private cards built from it.
 */
export interface CaseRecord {
  readonly id: string;
  readonly kind?: 'question';
  /**
   * The flow or question form the case was sent from: sending the same one again (a second click, or a retry after
   * a crash before the teacher saw the confirmation) finds this case instead of making a new one.
   */
  readonly formId?: string;
  readonly status: CaseStatus;
  readonly type: string;
  readonly involved?: Involved;
  readonly urgent: boolean;
  readonly danger: boolean;
  readonly meldplicht: boolean;
  readonly description: string;
  readonly checked: readonly string[];
  readonly reporter: PlatformAddress;
  readonly roles: readonly RoleId[];
  /** Person ids the case has been sent to (grows with escalation and hand-over). */
  readonly recipients: readonly string[];
  readonly assignee?: string;
  readonly createdAt: string;
  /** Next deadline: take-up while open, none once taken. */
  readonly deadlineAt?: string;
  /** 0 sent to holders, 1 reminded, 2 sent to backups, 3 sent to schoolleiding. */
  readonly escalation: 0 | 1 | 2 | 3;
  readonly closedAt?: string;
  readonly outcome?: CaseOutcome;
  readonly timeline: readonly TimelineEntry[];
  /** Private cards of this case, per person (reporter under 'reporter'), updated in place on every change. */
  readonly cards: readonly { readonly who: string; readonly ref: MessageRef }[];
  readonly anonymised?: boolean;
}

export type OutboxKind =
  | 'case-card'
  | 'reporter-update'
  | 'relay-to-reporter'
  | 'relay-to-experts'
  | 'reminder';

/** A notification that must reach someone; kept until delivered (survives restarts). */
export interface OutboxItem {
  readonly id: string;
  readonly caseId: string;
  readonly kind: OutboxKind;
  /** A person id from the school config, or 'reporter'. */
  readonly to: string;
  readonly text?: string;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly createdAt: string;
}
