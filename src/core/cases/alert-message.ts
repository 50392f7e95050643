import type { Translate } from '../i18n/index.js';
import type { Person, SchoolConfig } from '../school/school.js';
import type { Lang } from '../types.js';
import {
  type Alert,
  type AlertChannels,
  type AlertReason,
  WEBHOOK_RECIPIENT,
  type WebhookAlertBody,
} from './alerts.js';
import type { CaseRecord, OutboxItem } from './model.js';
import { type CaseViewContext, caseTypeLabel, formatDeadline } from './views.js';

/**
 * What an urgent-case alert says, built from the case's facts only: its number, its type, that it is urgent, the
 * take-up deadline and where to open it. Never the description, the reporter, the checklist, the reported message
 * or any name: an e-mail or a pager is not a place for them. Pure: the time and the link come in.
 */

/** The workspace page of a case, when the server has a public address. */
export function caseLink(publicUrl: string | undefined, caseId: string): string | undefined {
  return publicUrl ? `${publicUrl}/app/#/cases/${caseId}` : undefined;
}

/** "uiterlijk vandaag 14:30", "uiterlijk morgen 08:15", "uiterlijk wo 9 dec. 12:00", in the school's time zone. */
export function deadlineText(
  deadlineAt: string | undefined,
  now: Date,
  school: SchoolConfig,
  t: Translate,
  lang: Lang,
): string {
  if (!deadlineAt || Date.parse(deadlineAt) <= now.getTime()) return t('alert.deadline.passed');
  return t('cases.deadline', { when: formatDeadline(deadlineAt, now, school, t, lang) });
}

function reasonOf(item: OutboxItem): AlertReason {
  return item.message?.key === 'reminder' ? 'reminder' : 'case';
}

/** The e-mail to one person: plain text, in their language. */
export function alertEmail(
  c: CaseRecord,
  item: OutboxItem,
  ctx: CaseViewContext,
  now: Date,
  publicUrl: string | undefined,
): { subject: string; text: string } {
  const { t } = ctx;
  const link = caseLink(publicUrl, c.id);
  const lines = [
    t(reasonOf(item) === 'reminder' ? 'alert.intro.reminder' : 'alert.intro.case'),
    '',
    t('alert.case', { id: c.id }),
    t('alert.type', { type: caseTypeLabel(c, ctx) }),
    t('alert.urgent'),
    t('alert.deadline', { deadline: deadlineText(c.deadlineAt, now, ctx.school, t, ctx.lang) }),
    '',
    link ? t('alert.open', { link }) : t('alert.openChat'),
    '',
    t('alert.privacy'),
    t('alert.why', { school: ctx.school.name }),
  ];
  return { subject: t('alert.subject', { id: c.id }), text: `${lines.join('\n')}\n` };
}

/** The webhook body: the same facts as JSON, with the person ids to page. */
export function alertWebhookBody(
  c: CaseRecord,
  item: OutboxItem,
  ctx: CaseViewContext,
  now: Date,
  publicUrl: string | undefined,
): WebhookAlertBody {
  return {
    id: item.id,
    event: 'case.urgent',
    reason: reasonOf(item),
    caseId: c.id,
    type: c.type,
    typeLabel: caseTypeLabel(c, ctx),
    urgent: true,
    deadlineAt: c.deadlineAt ?? null,
    link: caseLink(publicUrl, c.id) ?? null,
    recipients: item.recipients ?? [],
    sentAt: now.toISOString(),
  };
}

/** What `renderAlert` needs from the service. */
export interface AlertRenderContext {
  readonly channels: AlertChannels;
  readonly publicUrl?: string;
  readonly now: Date;
  readonly person: (id: string) => Person | undefined;
  /** The view context in a language; without one, the school's. */
  readonly view: (lang?: Lang) => CaseViewContext;
}

/**
 * The alert a queued item stands for, from the case as it is now; undefined when it no longer makes sense: like a
 * reminder, an alert is dropped once the case was taken up, closed or anonymised, and when its channel was switched
 * off or the person has no address any more.
 */
export function renderAlert(c: CaseRecord, item: OutboxItem, ctx: AlertRenderContext): Alert | undefined {
  if (c.anonymised || !c.urgent || c.status !== 'open') return undefined;
  if (item.to === WEBHOOK_RECIPIENT) {
    if (!ctx.channels.webhook) return undefined;
    return { channel: 'webhook', body: alertWebhookBody(c, item, ctx.view(), ctx.now, ctx.publicUrl) };
  }
  const person = ctx.person(item.to);
  if (!ctx.channels.email || !person?.email) return undefined;
  const mail = alertEmail(c, item, ctx.view(person.lang), ctx.now, ctx.publicUrl);
  return { channel: 'email', personId: person.id, to: person.email, ...mail };
}
