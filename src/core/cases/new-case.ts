import type { IncidentCatalog } from '../escalation/catalog.js';
import { type FlowState, routeCase } from '../escalation/flow.js';
import type { RoleId } from '../knowledge/model.js';
import { type CasePolicy, firstRecipients, type Notice } from './decide.js';
import type { MessageSource } from './message-source.js';
import type { CaseRecord, PlatformAddress } from './model.js';

/** A case before the store gave it its number and version. */
export type CaseDraft = Omit<CaseRecord, 'id' | 'version'>;

/** The number: M-2026-0001 for incidents, V-2026-0001 for questions, each counted per year. */
export function caseNumber(kind: 'incident' | 'question', year: number, seq: number): string {
  return `${kind === 'question' ? 'V' : 'M'}-${year}-${String(seq).padStart(4, '0')}`;
}

export function sequenceName(kind: 'incident' | 'question', year: number): string {
  return `${kind === 'question' ? 'question' : 'case'}-${year}`;
}

/** Who is alarmed when a teacher reports acute danger: the schoolleiding and the school's crisis team. */
const ALARM_ROLES: readonly RoleId[] = ['schoolleiding'];

function alarmRecipients(policy: CasePolicy, crisisTeam: readonly string[]): string[] {
  return [...new Set([...firstRecipients(policy, ALARM_ROLES), ...crisisTeam])];
}

/** A type's legal clock (datalek: 72 hours), running from when the school knew. */
export function legalDeadline(catalog: IncidentCatalog, type: string, knownSince: Date): string | undefined {
  const hours = catalog.types.get(type)?.reportWithinHours;
  return hours ? new Date(knownSince.getTime() + hours * 3_600_000).toISOString() : undefined;
}

/**
 * The case a submitted flow makes, sent to the holders of the roles its type routes to. In acute danger the
 * schoolleiding and crisis team are in it too (when the alarm could not go out before), except on the meldplicht
 * path, which goes to the bevoegd gezag and schoolleiding only.
 */
export function caseFromFlow(
  flow: FlowState,
  catalog: IncidentCatalog,
  school: {
    readonly routing: Readonly<Record<string, readonly RoleId[]>>;
    readonly crisisTeam: readonly string[];
  },
  policy: CasePolicy,
  now: Date,
): { draft: CaseDraft; notices: Notice[] } {
  if (!flow.type) throw new Error('flow has no type');
  const route = routeCase(catalog, flow.type, flow.involved, school.routing);
  const alarm = flow.danger === true;
  const roles = alarm ? [...new Set([...ALARM_ROLES, ...route.roles])] : route.roles;
  const recipients = [
    ...new Set([
      ...(alarm ? alarmRecipients(policy, route.meldplicht ? [] : school.crisisTeam) : []),
      ...firstRecipients(policy, route.roles),
    ]),
  ];
  return sentTo(recipients, {
    ...opened(fromFlow(flow), policy, now, flow.urgent),
    type: flow.type,
    involved: flow.involved,
    danger: alarm,
    meldplicht: route.meldplicht,
    legalDeadlineAt: legalDeadline(catalog, flow.type, now),
    description: flow.description ?? '',
    checked: flow.checked,
    roles,
  });
}

/**
 * The case "Ja, acuut gevaar" raises at once, before anything else is known: urgent, to the schoolleiding and the
 * school's crisis team. The flow's later steps fill it in (`details`), under the same number.
 */
export function alarmCase(
  flow: FlowState,
  crisisTeam: readonly string[],
  policy: CasePolicy,
  now: Date,
): { draft: CaseDraft; notices: Notice[] } {
  return sentTo(alarmRecipients(policy, crisisTeam), {
    ...opened(fromFlow(flow), policy, now, true),
    type: flow.type ?? 'anders',
    danger: true,
    pending: true,
    meldplicht: false,
    description: '',
    checked: [],
    roles: ALARM_ROLES,
  });
}

/** A flow's reporter, as the case addresses them. */
function reporterOf(flow: FlowState): PlatformAddress {
  return {
    platform: flow.platform,
    userId: flow.reporterId,
    aadObjectId: flow.reporterAad,
    name: flow.reporterName,
    lang: flow.lang,
  };
}

/** A flow as the start of a case: the form it came from, its reporter and the message it is about. */
function fromFlow(flow: FlowState) {
  return { formId: flow.id, reporter: reporterOf(flow), source: flow.source };
}

/** What every new case starts with: where it came from, the clock, an empty record. */
function opened(
  from: { readonly formId: string; readonly reporter: PlatformAddress; readonly source?: MessageSource },
  policy: CasePolicy,
  now: Date,
  urgent: boolean,
) {
  return {
    formId: from.formId,
    status: 'open' as const,
    urgent,
    reporter: from.reporter,
    createdAt: now.toISOString(),
    deadlineAt: policy.takeUpDeadline(now, urgent).toISOString(),
    escalation: 0,
    timeline: [{ at: now.toISOString(), by: 'reporter', action: 'created' as const }],
    cards: [],
    // A question form is about no message: no `source` at all.
    ...('source' in from ? { source: from.source } : {}),
  };
}

/** The draft with its recipients, and a case card to each of them. */
function sentTo(
  recipients: readonly string[],
  draft: Omit<CaseDraft, 'recipients'>,
): { draft: CaseDraft; notices: Notice[] } {
  return { draft: { ...draft, recipients }, notices: recipients.map((to) => ({ kind: 'case-card', to })) };
}

/** A staff member's question to the holders of one role: a case of kind `question`, with the same deadlines. */
export function questionCase(
  input: { reporter: PlatformAddress; question: string; role: RoleId; formId: string },
  policy: CasePolicy,
  now: Date,
): { draft: CaseDraft; notices: Notice[] } {
  return sentTo(firstRecipients(policy, [input.role]), {
    ...opened(input, policy, now, false),
    kind: 'question',
    type: 'vraag',
    danger: false,
    meldplicht: false,
    description: input.question,
    checked: [],
    roles: [input.role],
  });
}
