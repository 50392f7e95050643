import type { IncidentCatalog } from '../escalation/catalog.js';
import { firstSteps } from '../escalation/flow.js';
import { escapeMarkdown } from '../format.js';
import type { Translate } from '../i18n/index.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import { isoDate, localParts } from '../school/calendar.js';
import type { SchoolConfig } from '../school/school.js';
import type { Lang, Outgoing } from '../types.js';
import { parseAlertNote } from './alerts.js';
import { messageSourceMarkdown, placeText } from './message-source.js';
import { CASE_OUTCOMES, type CaseRecord } from './model.js';

export interface CaseViewContext {
  readonly catalog: IncidentCatalog;
  readonly school: SchoolConfig;
  readonly t: Translate;
  readonly lang: Lang;
  /** The clock, for deadlines read as "vandaag 14:30" (default: the real one). */
  readonly now?: () => Date;
}

export function formatTime(iso: string, school: SchoolConfig): string {
  return new Intl.DateTimeFormat('nl-NL', {
    timeZone: school.timezone,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/**
 * A deadline as a person reads it, in the school's time zone: "vandaag 14:30", "morgen 12:00", "ma 7 dec. 12:00".
 */
export function formatDeadline(
  iso: string,
  now: Date,
  school: SchoolConfig,
  t: Translate,
  lang: Lang,
): string {
  const at = new Date(iso);
  const tz = school.timezone;
  const d = localParts(at, tz);
  const time = `${String(Math.floor(d.minutes / 60)).padStart(2, '0')}:${String(d.minutes % 60).padStart(2, '0')}`;
  const today = localParts(now, tz);
  // The calendar day after today's local date (not now + 24 h, which a DST change can move).
  const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1)).toISOString().slice(0, 10);
  if (isoDate(d) === isoDate(today)) return t('time.today', { time });
  if (isoDate(d) === tomorrow) return t('time.tomorrow', { time });
  const day = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(at);
  return t('time.other', { day, time });
}

export function personName(school: SchoolConfig, id: string | undefined): string {
  if (!id) return '';
  if (id === 'reporter' || id === 'system') return id;
  return school.people.get(id)?.name ?? id;
}

export function statusText(c: CaseRecord, ctx: CaseViewContext): string {
  const { t } = ctx;
  if (c.status === 'closed')
    return t('case.status.closed', { outcome: c.outcome ? t(`case.outcome.${c.outcome}`) : '' });
  if (c.status === 'taken') return t('case.status.taken', { name: personName(ctx.school, c.assignee) });
  return t('case.status.open');
}

/** What kind of case this is, in the reader's language: the incident type, or "question to an expert". */
export function caseTypeLabel(c: CaseRecord, ctx: CaseViewContext): string {
  if (c.kind === 'question') return ctx.t('question.type');
  if (c.pending) return ctx.t('case.pendingType');
  return ctx.catalog.types.get(c.type)?.label[ctx.lang] ?? c.type;
}

/**
 * The first steps of the case and whether the reporter had taken them. Only what to do: what not to do is advice,
 * not a fact of the case. Every view of a case (card, workspace, dossier) lists them from here.
 */
export function caseFirstSteps(
  c: CaseRecord,
  catalog: IncidentCatalog,
  lang: Lang,
): { readonly text: string; readonly done: boolean }[] {
  if (c.pending || c.kind === 'question') return [];
  return firstSteps(catalog, c.type, c.involved).do.map((x, i) => ({
    text: x[lang],
    done: c.checked.includes(`do-${i}`),
  }));
}

/** "Al gedaan door de melder": the steps taken, or that none were. */
function checklistText(c: CaseRecord, ctx: CaseViewContext): string {
  if (c.pending || c.kind === 'question') return '';
  const done = caseFirstSteps(c, ctx.catalog, ctx.lang).filter((x) => x.done);
  return done.length ? done.map((x) => `- ${x.text}`).join('\n') : ctx.t('case.checklist.none');
}

/** "role:vertrouwenspersoon" → "Vertrouwenspersoon"; "person:jan" → "Jan Jansen"; other text as it is. */
export function targetLabel(target: string, ctx: CaseViewContext): string {
  const m = /^(role|person):(.+)$/.exec(target);
  if (!m?.[2]) return target;
  return m[1] === 'role' ? ctx.t(`role.${m[2] as RoleId}`) : personName(ctx.school, m[2]);
}

/** The short label of a timeline entry: whom it went to, which step, in the reader's language. */
function entryNote(e: CaseRecord['timeline'][number], ctx: CaseViewContext): string {
  if (!e.note) return '';
  if (e.action === 'delivered' || e.action === 'delivery-failed') {
    // Alerts outside chat: "e-mail: J. de Vries", "webhook".
    const alert = parseAlertNote(e.note);
    if (alert?.channel === 'webhook') return ctx.t('timeline.via.webhook');
    if (alert) return `${ctx.t('timeline.via.email')}: ${personName(ctx.school, alert.personId)}`;
    return personName(ctx.school, e.note);
  }
  if (e.action === 'escalated' && (e.note === 'backups' || e.note === 'schoolleiding')) return '';
  return targetLabel(e.note, ctx);
}

/**
 * A timeline entry in words, for every view of the case (card, workspace, dossier): what happened (in the reader's
 * language), to whom, and who did it. In a question, the expert's message is the answer and the asker's the reply.
 */
export function describeEntry(
  e: CaseRecord['timeline'][number],
  ctx: CaseViewContext,
  question = false,
): { what: string; note: string; who: string } {
  const who =
    e.by === 'system'
      ? ctx.t('timeline.system')
      : e.by === 'reporter'
        ? ctx.t(question ? 'timeline.asker' : 'timeline.reporter')
        : personName(ctx.school, e.by);
  const what =
    question && (e.action === 'question' || e.action === 'answer')
      ? ctx.t(e.action === 'question' ? 'timeline.answered' : 'timeline.reply')
      : e.action === 'escalated' && (e.note === 'backups' || e.note === 'schoolleiding')
        ? ctx.t(`timeline.escalated.${e.note}`)
        : ctx.t(`timeline.${e.action}`);
  return { what, note: entryNote(e, ctx), who };
}

/** One timeline line: time, what happened, to whom, who, and what was said. */
export function timelineLine(
  e: CaseRecord['timeline'][number],
  ctx: CaseViewContext,
  sep: string,
  markdown = true,
  question = false,
): string {
  const { what, note, who } = describeEntry(e, ctx, question);
  const esc = (x: string) => (markdown ? escapeMarkdown(x) : x);
  const head = [formatTime(e.at, ctx.school), what, esc(note), who].filter(Boolean).join(sep);
  return e.text ? `${head}${sep}“${esc(e.text)}”` : head;
}

function timelineText(c: CaseRecord, ctx: CaseViewContext): string {
  return c.timeline
    .slice(-12)
    .map((e) => timelineLine(e, ctx, ' · ', true, c.kind === 'question'))
    .join('\n\n');
}

/** Most users a card's automatic refresh may name (Teams' limit). */
const MAX_REFRESH_USERS = 60;

/**
 * Who may see a case, by the id their platform knows them by: the people it was sent to, its assignee and the admins.
 * Their copies of the card refresh to the current state whenever they look (Teams Universal Actions).
 */
export function caseViewers(c: CaseRecord, school: SchoolConfig): string[] {
  const platform = c.reporter.platform;
  const ids = [...c.recipients, ...(c.assignee ? [c.assignee] : []), ...school.admins]
    .map((id) => school.people.get(id)?.[platform])
    .filter((id): id is string => Boolean(id));
  return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
}

/**
 * The private card an expert gets, updated in place for everyone who received it. `notice` is a line on top for the
 * viewer who just acted ("Je hebt melding M-… opgepakt").
 */
export function caseCard(c: CaseRecord, ctx: CaseViewContext, notice = ''): Outgoing {
  const { t, lang, school } = ctx;
  const now = ctx.now?.() ?? new Date();
  const when = (iso: string) => formatDeadline(iso, now, school, t, lang);
  const question = c.kind === 'question';
  const open = c.status !== 'closed';
  const reporterTitle = t(question ? 'question.asker' : 'case.fact.reporter');
  return {
    kind: 'card',
    template: 'case',
    summary: t(question ? 'question.summary' : 'case.summary', { id: c.id }),
    alert: c.urgent && c.status === 'open',
    data: {
      id: c.id,
      notice,
      refreshUserIds: caseViewers(c, school),
      title: question
        ? t('question.caseTitle', { id: c.id })
        : t('case.title', { id: c.id, type: caseTypeLabel(c, ctx) }),
      urgent: c.urgent && open,
      facts: [
        { title: t('case.fact.status'), value: statusText(c, ctx) },
        {
          title: t('case.fact.deadline'),
          value: c.status === 'open' && c.deadlineAt ? when(c.deadlineAt) : '',
        },
        {
          title: t('case.fact.legalDeadline'),
          value:
            c.legalDeadlineAt && open
              ? t('case.legalDeadline', {
                  when: when(c.legalDeadlineAt),
                  hours: ctx.catalog.types.get(c.type)?.reportWithinHours ?? '',
                })
              : '',
        },
        { title: t('case.fact.school'), value: school.name },
        { title: reporterTitle, value: escapeMarkdown(c.reporter.name ?? '') },
        { title: t('case.fact.involved'), value: c.involved ? ctx.catalog.involved[c.involved][lang] : '' },
        { title: t('case.fact.roles'), value: c.roles.map((r) => t(`role.${r}`)).join(', ') },
        { title: t('case.fact.time'), value: formatTime(c.createdAt, school) },
      ].filter((f) => f.value),
      // Who reported, for a channel that can name its own users (Slack shows a mention as the person's name).
      reporter: c.reporter.userId
        ? { platform: c.reporter.platform, userId: c.reporter.userId, title: reporterTitle }
        : undefined,
      meldplicht: c.meldplicht ? t('case.meldplicht') : '',
      pending: c.pending
        ? t(
            c.timeline.some((e) => e.action === 'details-withdrawn')
              ? 'case.pending.withdrawn'
              : 'case.pending',
            {
              name: escapeMarkdown(c.reporter.name ?? ''),
            },
          )
        : '',
      source: c.source ? messageSourceMarkdown(c.source, t, (iso) => formatTime(iso, school)) : '',
      description: escapeMarkdown(c.description),
      checklist: checklistText(c, ctx),
      timeline: timelineText(c, ctx),
      canTake: c.status === 'open',
      canAct: open,
      // A question is not part of a pupil's file: nothing to export.
      canExport: !c.anonymised && !question,
      handoverTargets: [
        ...ROLE_IDS.filter((r) => r !== 'mentor').map((r) => ({ title: t(`role.${r}`), value: `role:${r}` })),
        ...[...school.people.values()].map((p) => ({ title: p.name, value: `person:${p.id}` })),
      ],
      outcomes: CASE_OUTCOMES.map((o) => ({ title: t(`case.outcome.${o}`), value: o })),
      labels: {
        urgent: t('case.urgent'),
        description: t(question ? 'question.description' : 'case.description'),
        checklist: t('case.checklist'),
        timeline: t('case.timeline'),
        take: t('case.take'),
        handover: t('case.handover'),
        handoverTo: t('case.handover.to'),
        handoverSubmit: t('case.handover.submit'),
        handoverReason: t('case.handover.reason'),
        addNote: t('case.note'),
        notePlaceholder: t('case.note.placeholder'),
        noteSubmit: t('case.note.submit'),
        handoverReasonPlaceholder: t('case.handover.reason.placeholder'),
        // A question's "ask" is the expert's answer to the colleague who asked.
        ask: t(question ? 'question.answer' : 'case.ask'),
        askPlaceholder: t(question ? 'question.answer.placeholder' : 'case.ask.placeholder'),
        askSubmit: t(question ? 'question.answer.submit' : 'case.ask.submit'),
        close: t('case.close'),
        outcome: t('case.close.outcome'),
        note: t('case.close.note'),
        closeSubmit: t(question ? 'question.close.submit' : 'case.close.submit'),
        export: t('case.export'),
        source: t('case.source'),
        // What a form says when something required is left empty.
        required: {
          target: t('case.required.target'),
          reason: t('case.required.reason'),
          text: t(question ? 'case.required.answer' : 'case.required.question'),
          note: t('case.required.note'),
          outcome: t('case.required.outcome'),
        },
      },
    },
  };
}

export function caseListCard(
  title: string,
  cases: readonly CaseRecord[],
  ctx: CaseViewContext,
  showButtons: boolean,
): Outgoing {
  const { t } = ctx;
  const now = ctx.now?.() ?? new Date();
  return {
    kind: 'card',
    template: 'case-list',
    summary: title,
    data: {
      title,
      empty: t('cases.none'),
      items: cases.slice(0, 20).map((c) => ({
        id: c.id,
        title: `${c.id} · ${caseTypeLabel(c, ctx)}${c.urgent && c.status !== 'closed' ? ` · ${t('case.urgent')}` : ''}`,
        subtitle: [
          formatTime(c.createdAt, ctx.school),
          statusText(c, ctx),
          c.status === 'open' && c.deadlineAt
            ? t('cases.deadline', { when: formatDeadline(c.deadlineAt, now, ctx.school, t, ctx.lang) })
            : '',
        ]
          .filter(Boolean)
          .join(' · '),
        show: showButtons ? t('cases.show') : '',
      })),
    },
  };
}

/** Plain text for the pupil file: facts and timeline, nothing the bot added for chat. */
export function caseExportText(c: CaseRecord, ctx: CaseViewContext): string {
  const { t, lang, school } = ctx;
  const lines = [
    t('export.header', { id: c.id, school: school.name }),
    '',
    `${t('flow.review.type')}: ${caseTypeLabel(c, ctx)}`,
    `${t('flow.review.urgent')}: ${t(c.urgent ? 'flow.review.urgentYes' : 'flow.review.urgentNo')}`,
    `${t('case.fact.involved')}: ${c.involved ? ctx.catalog.involved[c.involved][lang] : ''}`,
    `${t('case.fact.reporter')}: ${c.reporter.name ?? ''}`,
    `${t('case.fact.time')}: ${formatTime(c.createdAt, school)}`,
    `${t('case.fact.status')}: ${statusText(c, ctx)}`,
    ...(c.source
      ? [
          `${t('case.source')}: ${[c.source.author, c.source.sentAt && formatTime(c.source.sentAt, school), placeText(c.source, t)].filter(Boolean).join(', ')}`,
        ]
      : []),
    '',
    `${t('case.description')}:`,
    c.description,
    '',
    `${t('case.checklist')}:`,
    checklistText(c, ctx),
    '',
    `${t('case.timeline')}:`,
    ...c.timeline.map((e) => timelineLine(e, ctx, '  ', false)),
  ];
  return lines.join('\n');
}

export function settingsCard(
  ctx: CaseViewContext,
  assignments: Readonly<Partial<Record<RoleId, { holders: readonly string[] }>>>,
): Outgoing {
  const { t, school } = ctx;
  const roles = ROLE_IDS.filter((r) => r !== 'mentor');
  return {
    kind: 'card',
    template: 'settings',
    summary: t('settings.title'),
    data: {
      title: t('settings.title'),
      roles: roles.map((r) => ({
        title: t(`role.${r}`),
        value: (assignments[r]?.holders ?? []).map((id) => personName(school, id)).join(', ') || '–',
      })),
      roleChoices: roles.map((r) => ({ title: t(`role.${r}`), value: r })),
      people: [...school.people.values()].map((p) => ({ title: p.name, value: p.id })),
      labels: { role: t('settings.role'), holders: t('settings.holders'), save: t('settings.save') },
    },
  };
}
