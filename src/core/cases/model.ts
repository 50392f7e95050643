import type { Involved } from '../escalation/catalog.js';
import type { FlowState } from '../escalation/flow.js';
import type { RoleId } from '../knowledge/model.js';
import type { Lang, Platform } from '../types.js';
import type { MessageSource } from './message-source.js';

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
  /** The language messages to this person are written in, when known. */
  readonly lang?: Lang;
}

/** A teacher's escalation flow as stored: the pure state plus where its card is. */
export interface FlowRecord extends FlowState {
  readonly card?: MessageRef;
  /** Bumped by the store on every write; a write names the version it was decided on. */
  readonly version: number;
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
    | 'details'
    | 'details-withdrawn'
    | 'delivered'
    | 'delivery-failed'
    | 'taken'
    | 'handed-over'
    | 'question'
    | 'answer'
    | 'reminder'
    | 'escalated'
    | 'note'
    | 'closed'
    | 'exported'
    | 'note'
    | 'anonymised';
  /** A short label: whom a case was handed to, who was reached, the escalation step. */
  readonly note?: string;
  /** What was said: a message between expert and reporter, a note, a hand-over reason, a closing note. */
  readonly text?: string;
  /** Links a reporter's answer to the expert's message it replies to (both carry the same ref). */
  readonly ref?: string;
}

/**
 * One escalated incident, or a staff member's question to an expert (`kind: 'question'`, numbered V-…). Details
 * about pupils live only here and in the private cards built from it.
 */
export interface CaseRecord {
  readonly id: string;
  /** Bumped by the store on every write; a write names the version it was decided on. */
  readonly version: number;
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
  /**
   * Raised as acute danger before the teacher filled in the report: the schoolleiding and crisis team have it, the
   * details (type, who, description) follow when the teacher completes the flow.
   */
  readonly pending?: boolean;
  /** A legal clock on the case (datalek: to the Autoriteit Persoonsgegevens within 72 hours of the report). */
  readonly legalDeadlineAt?: string;
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
  /** How many steps of the school's escalation ladder were taken (0: sent to the role holders only). */
  readonly escalation: number;
  readonly closedAt?: string;
  readonly outcome?: CaseOutcome;
  readonly timeline: readonly TimelineEntry[];
  /** Private cards of this case, per person (reporter under 'reporter'), updated in place on every change. */
  readonly cards: readonly { readonly who: string; readonly ref: MessageRef }[];
  readonly anonymised?: boolean;
  /** The message the report is about ("Melden bij Vangnet"): where, when, by whom and a link; never its text. */
  readonly source?: MessageSource;
}

export type OutboxKind =
  | 'case-card'
  | 'reporter-update'
  | 'relay-to-reporter'
  | 'relay-to-experts'
  | 'reminder'
  /** An urgent case's alert outside chat: an e-mail to a person id, or the school's webhook (`to: WEBHOOK_RECIPIENT`, in alerts.ts). */
  | 'alert';

/**
 * What a notification says, as a message key and parameters rather than text: the dispatcher renders it in the
 * recipient's language when it is delivered.
 */
export interface NoticeMessage {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A notification that must reach someone; kept until delivered (survives restarts). */
export interface OutboxItem {
  readonly id: string;
  readonly caseId: string;
  readonly kind: OutboxKind;
  /** A person id from the school config, or 'reporter' (or `WEBHOOK_RECIPIENT` for a webhook alert). */
  readonly to: string;
  /** For relays: the words of the expert or reporter, passed on as written. */
  readonly text?: string;
  /** For updates to the reporter: what happened. */
  readonly message?: NoticeMessage;
  /** For a webhook alert: the person ids the case was just sent to. */
  readonly recipients?: readonly string[];
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly createdAt: string;
  /** The worker delivering it right now, until `claimedUntil`. */
  readonly claimedBy?: string;
  readonly claimedUntil?: string;
}
