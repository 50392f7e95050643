import { cleanText } from '../escalation/flow.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import type { RoleAssignment } from '../school/school.js';
import { alertTimelineNote } from './alerts.js';
import {
  CASE_OUTCOMES,
  type CaseOutcome,
  type CaseRecord,
  type MessageRef,
  type NoticeMessage,
  type OutboxKind,
  type TimelineEntry,
} from './model.js';

/**
 * Every change to a case, decided as a pure function: `decide(case, command, actor, policy, now)` returns the next
 * case and the notices it brings, or a refusal with a reason code. No I/O, no clock, no language: the command layer
 * (`CaseService`) reads the case, calls this, and writes the result with its notices in one conditional write;
 * the outbox dispatcher renders each notice in its recipient's language.
 */

/** One step of the school's escalation ladder, taken when a deadline passes and nobody took the case up. */
export type EscalationStep = 'reminder' | 'backups' | 'schoolleiding';
export const ESCALATION_STEPS: readonly EscalationStep[] = ['reminder', 'backups', 'schoolleiding'];

export type HandoverTarget = { readonly role: RoleId } | { readonly person: string };

export type CaseCommand =
  | { readonly kind: 'take' }
  | { readonly kind: 'handover'; readonly target: string; readonly reason: string }
  /** Expert → reporter (for a question: the expert's answer to the asker). */
  | { readonly kind: 'ask'; readonly text: string }
  /** Reporter → experts, in reply to the expert's message `replyTo` (the latest unanswered one when absent). */
  | { readonly kind: 'answer'; readonly text: string; readonly replyTo?: string }
  | { readonly kind: 'note'; readonly text: string }
  /**
   * Reporter: the completed report for a case raised as acute danger (see `alarmCase`): its facts replace the
   * placeholders, its roles are added, and the people they route to receive the case too.
   */
  | { readonly kind: 'details'; readonly details: CaseDetails }
  /** Reporter: the report behind an alarm was thrown away; no details will come. */
  | { readonly kind: 'details-withdrawn' }
  | { readonly kind: 'close'; readonly outcome: string; readonly note?: string }
  | { readonly kind: 'export' }
  /** The clock: the deadline passed, take the next step of the ladder. */
  | { readonly kind: 'deadline' }
  | { readonly kind: 'anonymise' }
  | {
      readonly kind: 'delivered';
      readonly to: string;
      readonly outbox: OutboxKind;
      /** Where the chat message lives; none for an alert (an e-mail or webhook call cannot be updated). */
      readonly ref?: MessageRef;
      /** For a message to the reporter: the expert's message it carries (its form dies once answered). */
      readonly about?: string;
    }
  | {
      readonly kind: 'delivery-failed';
      readonly to: string;
      readonly outbox: OutboxKind;
      readonly attempts: number;
    };

/** What the completed report adds to a case raised as acute danger. */
export type CaseDetails = Pick<
  CaseRecord,
  'type' | 'involved' | 'meldplicht' | 'legalDeadlineAt' | 'description' | 'checked' | 'roles'
>;

export type CaseActor =
  | { readonly kind: 'expert'; readonly personId: string }
  | { readonly kind: 'reporter' }
  | { readonly kind: 'system' };

/** What the school's configuration says, as data: roles (with admins' changes), admins, deadlines, the ladder. */
export interface CasePolicy {
  readonly roles: Readonly<Partial<Record<RoleId, RoleAssignment>>>;
  readonly admins: readonly string[];
  readonly isPerson: (id: string) => boolean;
  /** When a case (re)opened at `now` must be taken up. */
  readonly takeUpDeadline: (now: Date, urgent: boolean) => Date;
  /** Time between the steps of the ladder once a deadline has passed. */
  readonly stepInterval: (urgent: boolean) => number;
  readonly ladder: readonly EscalationStep[];
}

/** A notification the change brings: to a person id or 'reporter' (alerts: or `WEBHOOK_RECIPIENT`). */
export interface Notice {
  readonly kind: OutboxKind;
  readonly to: string;
  readonly text?: string;
  readonly message?: NoticeMessage;
  readonly recipients?: readonly string[];
}

export type Refusal =
  | 'not-allowed'
  | 'closed'
  | 'already-taken'
  | 'invalid'
  | 'empty-text'
  | 'no-open-question'
  | 'already-answered'
  | 'not-exportable'
  | 'not-due';

export type Decision =
  | { readonly ok: true; readonly next: CaseRecord; readonly notices: readonly Notice[] }
  | { readonly ok: false; readonly reason: Refusal };

/** Longest text a person can add (a message, a note, a reason); closing notes are shorter. */
export const MAX_CASE_TEXT = 2000;
export const MAX_CLOSING_NOTE = 1000;

const HANDOVER = /^(role|person):([a-z0-9._-]+)$/i;

export function parseHandoverTarget(target: string, policy: CasePolicy): HandoverTarget | undefined {
  const m = HANDOVER.exec(target);
  if (!m?.[2]) return undefined;
  if (m[1] === 'role') return ROLE_IDS.includes(m[2] as RoleId) ? { role: m[2] as RoleId } : undefined;
  return policy.isPerson(m[2]) ? { person: m[2] } : undefined;
}

export function holders(policy: CasePolicy, roles: readonly RoleId[]): string[] {
  return [...new Set(roles.flatMap((r) => policy.roles[r]?.holders ?? []))];
}

export function backups(policy: CasePolicy, roles: readonly RoleId[]): string[] {
  return [...new Set(roles.flatMap((r) => policy.roles[r]?.backup ?? []))];
}

/** Who receives a new case: the role holders; without any, their backups; without those, the schoolleiding. */
export function firstRecipients(policy: CasePolicy, roles: readonly RoleId[]): string[] {
  for (const people of [holders(policy, roles), backups(policy, roles), holders(policy, ['schoolleiding'])])
    if (people.length) return people;
  return [];
}

/** May this person act on the case as an expert: an admin, whoever it was sent to, a holder or backup of its roles. */
export function isExpert(c: CaseRecord, personId: string | undefined, policy: CasePolicy): boolean {
  if (!personId) return false;
  return (
    policy.admins.includes(personId) ||
    c.assignee === personId ||
    c.recipients.includes(personId) ||
    holders(policy, c.roles).includes(personId) ||
    backups(policy, c.roles).includes(personId)
  );
}

/** The expert's messages to the reporter that the reporter has not answered yet, oldest first. */
export function openQuestions(c: CaseRecord): TimelineEntry[] {
  const answered = new Set(c.timeline.filter((e) => e.action === 'answer' && e.ref).map((e) => e.ref));
  return c.timeline.filter((e) => e.action === 'question' && e.ref && !answered.has(e.ref));
}

export function decide(
  c: CaseRecord,
  command: CaseCommand,
  actor: CaseActor,
  policy: CasePolicy,
  now: Date,
  newId: () => string,
): Decision {
  const at = now.toISOString();
  const by = actor.kind === 'expert' ? actor.personId : actor.kind;
  const entry = (action: TimelineEntry['action'], extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
    at,
    by,
    action,
    ...extra,
  });
  const ok = (next: CaseRecord, notices: Notice[] = []): Decision => ({ ok: true, next, notices });
  const refuse = (reason: Refusal): Decision => ({ ok: false, reason });
  const toReporter = (key: string, params: Record<string, string> = {}): Notice => ({
    kind: 'reporter-update',
    to: 'reporter',
    message: { key, params: { id: c.id, ...params } },
  });

  // Who may do what: the reporter only answers and completes; the clock only does system steps; experts the rest.
  const systemCommand = ['deadline', 'anonymise', 'delivered', 'delivery-failed'].includes(command.kind);
  if (systemCommand !== (actor.kind === 'system')) return refuse('not-allowed');
  const reporterCommand = ['answer', 'details', 'details-withdrawn'].includes(command.kind);
  if (reporterCommand !== (actor.kind === 'reporter')) return refuse('not-allowed');
  if (actor.kind === 'expert' && !isExpert(c, actor.personId, policy)) return refuse('not-allowed');
  if (c.anonymised && command.kind !== 'delivered' && command.kind !== 'delivery-failed')
    return refuse(command.kind === 'anonymise' ? 'invalid' : 'closed');

  switch (command.kind) {
    case 'take': {
      if (c.status === 'closed') return refuse('closed');
      if (c.status === 'taken') return refuse('already-taken');
      return ok(
        {
          ...c,
          status: 'taken',
          assignee: by,
          deadlineAt: undefined,
          timeline: [...c.timeline, entry('taken')],
        },
        [toReporter('reporter.taken', { person: by })],
      );
    }
    case 'handover': {
      if (c.status === 'closed') return refuse('closed');
      const target = parseHandoverTarget(command.target, policy);
      if (!target) return refuse('invalid');
      const reason = cleanText(command.reason).slice(0, MAX_CASE_TEXT);
      if (reason.length < 3) return refuse('empty-text');
      const note = 'role' in target ? `role:${target.role}` : `person:${target.person}`;
      const handedOver = entry('handed-over', { note, text: reason });
      let next: CaseRecord;
      let reached: string[];
      if ('role' in target) {
        reached = holders(policy, [target.role]);
        if (reached.length === 0) reached = backups(policy, [target.role]);
        if (reached.length === 0) return refuse('invalid');
        next = {
          ...c,
          status: 'open',
          assignee: undefined,
          roles: [target.role],
          recipients: [...new Set([...c.recipients, ...reached])],
          deadlineAt: policy.takeUpDeadline(now, c.urgent).toISOString(),
          escalation: 0,
          timeline: [...c.timeline, handedOver],
        };
      } else {
        reached = [target.person];
        next = {
          ...c,
          status: 'taken',
          assignee: target.person,
          recipients: [...new Set([...c.recipients, target.person])],
          deadlineAt: undefined,
          timeline: [...c.timeline, handedOver],
        };
      }
      const cards = reached
        .filter((p) => !c.cards.some((x) => x.who === p))
        .map((p): Notice => ({ kind: 'case-card', to: p }));
      return ok(next, [...cards, toReporter('reporter.handedOver', { target: note })]);
    }
    case 'ask': {
      if (c.status === 'closed') return refuse('closed');
      const text = cleanText(command.text).slice(0, MAX_CASE_TEXT);
      if (!text) return refuse('empty-text');
      const ref = newId();
      return ok(
        {
          ...c,
          assignee: c.assignee ?? by,
          status: 'taken',
          deadlineAt: c.status === 'open' ? undefined : c.deadlineAt,
          timeline: [...c.timeline, entry('question', { text, ref })],
        },
        [{ kind: 'relay-to-reporter', to: 'reporter', text, message: { key: 'relay', params: { ref } } }],
      );
    }
    case 'answer': {
      if (c.status === 'closed') return refuse('closed');
      const text = cleanText(command.text).slice(0, MAX_CASE_TEXT);
      if (!text) return refuse('empty-text');
      const open = openQuestions(c);
      const question = command.replyTo ? open.find((q) => q.ref === command.replyTo) : open.at(-1);
      if (!question) {
        const askedBefore = command.replyTo && c.timeline.some((e) => e.ref === command.replyTo);
        return refuse(askedBefore ? 'already-answered' : 'no-open-question');
      }
      const to = c.assignee ? [c.assignee] : c.recipients;
      return ok(
        { ...c, timeline: [...c.timeline, entry('answer', { text, ref: question.ref })] },
        to.map((p): Notice => ({ kind: 'relay-to-experts', to: p, text })),
      );
    }
    case 'note': {
      if (c.status === 'closed') return refuse('closed');
      const text = cleanText(command.text).slice(0, MAX_CASE_TEXT);
      if (!text) return refuse('empty-text');
      return ok({ ...c, timeline: [...c.timeline, entry('note', { text })] });
    }
    case 'details': {
      if (!c.pending) return refuse('invalid');
      const d = command.details;
      const roles = [...new Set([...c.roles, ...d.roles])];
      // Closed in the meantime (the danger is over): the file is completed, nobody new is called in.
      const reach =
        c.status === 'closed'
          ? []
          : firstRecipients(policy, d.roles).filter((p) => !c.recipients.includes(p) && p !== c.assignee);
      // The meldplicht path goes to the bevoegd gezag and schoolleiding only: whoever had the alarm for another
      // reason (the crisis team) no longer sees the case, whose details may be about a colleague.
      const routed = new Set([...holders(policy, roles), ...backups(policy, roles)]);
      const kept = d.meldplicht ? c.recipients.filter((p) => routed.has(p)) : c.recipients;
      return ok(
        {
          ...c,
          ...d,
          roles,
          pending: false,
          recipients: [...kept, ...reach],
          timeline: [...c.timeline, entry('details')],
        },
        reach.map((p): Notice => ({ kind: 'case-card', to: p })),
      );
    }
    case 'details-withdrawn':
      if (!c.pending) return refuse('invalid');
      return ok({ ...c, timeline: [...c.timeline, entry('details-withdrawn')] });
    case 'close': {
      if (c.status === 'closed') return refuse('closed');
      if (!CASE_OUTCOMES.includes(command.outcome as CaseOutcome)) return refuse('invalid');
      const outcome = command.outcome as CaseOutcome;
      const text = command.note ? cleanText(command.note).slice(0, MAX_CLOSING_NOTE) : '';
      return ok(
        {
          ...c,
          status: 'closed',
          outcome,
          assignee: c.assignee ?? by,
          deadlineAt: undefined,
          closedAt: at,
          timeline: [...c.timeline, entry('closed', text ? { text } : {})],
        },
        [toReporter('reporter.closed', { outcome })],
      );
    }
    case 'export':
      if (c.kind === 'question') return refuse('not-exportable');
      return ok({ ...c, timeline: [...c.timeline, entry('exported')] });
    case 'deadline':
      return deadlineStep(c, policy, now, entry);
    case 'anonymise':
      if (c.status !== 'closed') return refuse('invalid');
      return ok({
        ...c,
        description: '',
        reporter: { platform: c.reporter.platform },
        checked: [],
        cards: [],
        source: undefined,
        anonymised: true,
        timeline: [
          ...c.timeline.map(({ at: t, action }) => ({ at: t, action, by: 'system' })),
          entry('anonymised'),
        ],
      });
    case 'delivered': {
      // Cards kept to update in place: each expert's case card, the reporter's first notice, each question form.
      // An alert has no card: it is only noted on the timeline.
      const who =
        command.outbox === 'case-card'
          ? command.to
          : command.outbox === 'reporter-update' && !c.cards.some((x) => x.who === 'reporter')
            ? 'reporter'
            : command.outbox === 'relay-to-reporter' && command.about
              ? `question:${command.about}`
              : undefined;
      const cards =
        who && command.ref ? [...c.cards.filter((x) => x.who !== who), { who, ref: command.ref }] : c.cards;
      const timeline =
        command.outbox === 'case-card'
          ? [...c.timeline, entry('delivered', { note: command.to })]
          : command.outbox === 'alert'
            ? [...c.timeline, entry('delivered', { note: alertTimelineNote(command.to) })]
            : c.timeline;
      return ok({ ...c, cards, timeline });
    }
    case 'delivery-failed': {
      // An alert that failed is noted once; the reporter is not told: the chat card is what reaches the expert.
      if (command.outbox === 'alert')
        return command.attempts === 1
          ? ok({
              ...c,
              timeline: [...c.timeline, entry('delivery-failed', { note: alertTimelineNote(command.to) })],
            })
          : ok(c);
      // Recorded (and the reporter told) once per undelivered case card, not on every retry.
      if (command.outbox !== 'case-card' || command.attempts !== 1) return ok(c);
      return ok({ ...c, timeline: [...c.timeline, entry('delivery-failed', { note: command.to })] }, [
        toReporter('reporter.undelivered', { target: `person:${command.to}` }),
      ]);
    }
  }
}

/** The next step of the ladder for a case nobody took up in time. */
function deadlineStep(
  c: CaseRecord,
  policy: CasePolicy,
  now: Date,
  entry: (action: TimelineEntry['action'], extra?: Partial<TimelineEntry>) => TimelineEntry,
): Decision {
  if (c.status !== 'open' || !c.deadlineAt || c.deadlineAt > now.toISOString())
    return { ok: false, reason: 'not-due' };
  let level = c.escalation;
  // Steps that reach nobody new are skipped (no backups configured: straight on to the schoolleiding).
  while (level < policy.ladder.length) {
    const step = policy.ladder[level] as EscalationStep;
    level++;
    const last = level >= policy.ladder.length;
    const deadlineAt = last
      ? undefined
      : new Date(now.getTime() + policy.stepInterval(c.urgent)).toISOString();
    if (step === 'reminder') {
      return {
        ok: true,
        next: { ...c, escalation: level, deadlineAt, timeline: [...c.timeline, entry('reminder')] },
        notices: c.recipients.map((p) => ({ kind: 'reminder', to: p })),
      };
    }
    const people = (
      step === 'backups' ? backups(policy, c.roles) : holders(policy, ['schoolleiding'])
    ).filter((p) => !c.recipients.includes(p));
    if (people.length === 0) continue;
    return {
      ok: true,
      next: {
        ...c,
        escalation: level,
        recipients: [...c.recipients, ...people],
        deadlineAt,
        timeline: [...c.timeline, entry('escalated', { note: step })],
      },
      notices: people.map((p) => ({ kind: 'case-card', to: p })),
    };
  }
  // The ladder is done: the case stays open, without a further deadline.
  return { ok: true, next: { ...c, escalation: level, deadlineAt: undefined }, notices: [] };
}
