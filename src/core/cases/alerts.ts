import type { IncidentCatalog } from '../escalation/catalog.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import type { SchoolConfig } from '../school/school.js';
import type { Notice } from './decide.js';
import type { CaseRecord } from './model.js';

/**
 * Urgent cases reach people outside chat: an e-mail to each person the case goes to, and one call to the school's
 * webhook (an SMS or paging service) for each batch of people. This file holds the one rule that decides which
 * alerts a change brings, and the seam the alerts leave the core through.
 */

/** The outbox recipient (and timeline note) of a webhook alert; a colon keeps it apart from every person id. */
export const WEBHOOK_RECIPIENT = ':webhook';

/** How an alert's delivery is noted on the timeline: `email:<person id>` or `:webhook`. */
export function alertTimelineNote(to: string): string {
  return to === WEBHOOK_RECIPIENT ? WEBHOOK_RECIPIENT : `email:${to}`;
}

/** A timeline note made by `alertTimelineNote`, read back; undefined for any other note. */
export function parseAlertNote(
  note: string,
): { readonly channel: 'webhook' } | { readonly channel: 'email'; readonly personId: string } | undefined {
  if (note === WEBHOOK_RECIPIENT) return { channel: 'webhook' };
  return note.startsWith('email:') ? { channel: 'email', personId: note.slice(6) } : undefined;
}

/** Which alert channels are configured (both off unless set in the environment). */
export interface AlertChannels {
  readonly email: boolean;
  readonly webhook: boolean;
}

/** What the rule needs to know besides the case: the channels, and who has an e-mail address. */
export interface AlertRule {
  readonly channels: AlertChannels;
  readonly hasEmail: (personId: string) => boolean;
}

/** Why an alert goes out: the case was just sent to these people, or it is a reminder that nobody took it up. */
export type AlertReason = 'case' | 'reminder';

/**
 * The alerts one batch of notices brings, to be queued with them. Only for an urgent case that is open: every case
 * card and every reminder to a person also yields an e-mail to that person (when e-mail is on and they have an
 * address), and the batch yields one webhook call naming those people (when the webhook is on). Nothing at all when
 * neither channel is configured, so nothing piles up in the outbox.
 */
export function alertNotices(
  c: Pick<CaseRecord, 'urgent' | 'status'>,
  notices: readonly Notice[],
  rule: AlertRule,
): Notice[] {
  const { email, webhook } = rule.channels;
  if (!c.urgent || c.status !== 'open' || (!email && !webhook)) return [];
  const reasons = new Map<string, AlertReason>();
  for (const n of notices) {
    if (n.to === 'reporter' || (n.kind !== 'case-card' && n.kind !== 'reminder')) continue;
    // A new card outweighs a reminder to the same person in one batch.
    if (reasons.get(n.to) !== 'case') reasons.set(n.to, n.kind === 'case-card' ? 'case' : 'reminder');
  }
  if (reasons.size === 0) return [];
  const alerts: Notice[] = [];
  if (email)
    for (const [to, reason] of reasons)
      if (rule.hasEmail(to)) alerts.push({ kind: 'alert', to, message: { key: reason } });
  if (webhook) {
    const reason: AlertReason = [...reasons.values()].includes('case') ? 'case' : 'reminder';
    alerts.push({
      kind: 'alert',
      to: WEBHOOK_RECIPIENT,
      recipients: [...reasons.keys()],
      message: { key: reason },
    });
  }
  return alerts;
}

/** The notices of a change with the alerts they bring. */
export function withAlerts(
  c: Pick<CaseRecord, 'urgent' | 'status'>,
  notices: readonly Notice[],
  rule: AlertRule | undefined,
): readonly Notice[] {
  if (!rule) return notices;
  const alerts = alertNotices(c, notices, rule);
  return alerts.length ? [...notices, ...alerts] : notices;
}

/** The JSON body of a webhook alert: facts to page someone with, never what happened or who is involved. */
export interface WebhookAlertBody {
  /** The same on every retry of one alert: delivery is at least once, so a receiver drops repeats by it. */
  readonly id: string;
  readonly event: 'case.urgent';
  readonly reason: AlertReason;
  readonly caseId: string;
  readonly type: string;
  readonly typeLabel: string;
  readonly urgent: true;
  readonly deadlineAt: string | null;
  /** The workspace page of the case, or null when this server has no public address. */
  readonly link: string | null;
  /** Person ids from the school configuration: whom the receiver should page. */
  readonly recipients: readonly string[];
  readonly sentAt: string;
}

/** One alert, ready to send. Built by the core, sent at the edge. */
export type Alert =
  | {
      readonly channel: 'email';
      /** The person id, for logs (never the address). */
      readonly personId: string;
      readonly to: string;
      readonly subject: string;
      readonly text: string;
    }
  | { readonly channel: 'webhook'; readonly body: WebhookAlertBody };

/**
 * Sends alerts outside chat (e-mail through SMTP, the webhook over HTTPS). Implemented at the edge; a failure
 * throws, and the dispatcher retries with backoff.
 */
export interface AlertSender {
  send(alert: Alert): Promise<void>;
}

/**
 * People who can receive an urgent case but have no e-mail address: the holders and backups of every role an
 * incident type routes to (any type becomes urgent when the teacher reports acute danger), of the meldplicht route,
 * and of the schoolleiding (the last escalation step). For `school check` and the start-up log.
 */
export function peopleWithoutEmail(
  school: SchoolConfig,
  catalog: IncidentCatalog,
): { readonly personId: string; readonly roles: readonly (RoleId | 'crisisTeam')[] }[] {
  const roles = new Set<RoleId>(['schoolleiding', ...catalog.meldplicht.routing]);
  for (const type of catalog.types.values())
    for (const r of school.routing[type.id] ?? type.routing) roles.add(r);
  const missing = new Map<string, (RoleId | 'crisisTeam')[]>();
  for (const r of ROLE_IDS.filter((x) => roles.has(x))) {
    const a = school.roles[r];
    for (const id of [...(a?.holders ?? []), ...(a?.backup ?? [])]) {
      if (school.people.get(id)?.email) continue;
      const list = missing.get(id) ?? [];
      if (!list.includes(r)) list.push(r);
      missing.set(id, list);
    }
  }
  // The crisis team gets every acute-danger alarm.
  for (const id of school.crisisTeam)
    if (!school.people.get(id)?.email) missing.set(id, [...(missing.get(id) ?? []), 'crisisTeam']);
  return [...missing].map(([personId, rs]) => ({ personId, roles: rs }));
}
