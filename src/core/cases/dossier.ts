import type { IncidentCatalog } from '../escalation/catalog.js';
import { translator } from '../i18n/index.js';
import type { SchoolConfig } from '../school/school.js';
import type { CaseRecord, TimelineEntry } from './model.js';
import { caseFirstSteps, caseTypeLabel, describeEntry, formatTime, statusText } from './views.js';

/**
 * The file for a pupil's dossier (ParnasSys, Magister, Somtoday), as a document model: what a PDF shows, in Dutch,
 * with staff named by initials. Pure: the renderer only lays it out.
 */
export interface Dossier {
  readonly title: string;
  /** "Vertrouwelijk", printed on every page. */
  readonly mark: string;
  readonly notice: string;
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly people: { readonly heading: string; readonly lines: readonly string[] };
  readonly description: { readonly heading: string; readonly text: string };
  readonly checklist: { readonly heading: string; readonly lines: readonly string[] };
  readonly timeline: {
    readonly heading: string;
    readonly columns: readonly [string, string, string];
    readonly rows: readonly DossierTimelineRow[];
  };
  readonly closing: { readonly heading: string; readonly lines: readonly string[] };
  /** Footer text of every page, and the page label ("pagina 1 van 3"). */
  readonly footer: string;
  readonly pageLabel: (page: number, pages: number) => string;
}

export interface DossierTimelineRow {
  readonly when: string;
  readonly what: string;
  readonly who: string;
  /** What was written: a message between expert and reporter, a note, a hand-over reason. */
  readonly text?: string;
}

export interface DossierContext {
  readonly catalog: IncidentCatalog;
  readonly school: SchoolConfig;
}

/** Words that stay lower case in Dutch initials ("Jan de Vries" → "J.d.V."). */
const PARTICLES = new Set([
  'de',
  'den',
  'der',
  'van',
  'von',
  'het',
  "'t",
  'te',
  'ten',
  'ter',
  'in',
  'op',
  'la',
  'le',
]);

/** A name as initials: "Jan de Vries" → "J.d.V.", "Fatma Yılmaz" → "F.Y.". */
export function initials(name: string | undefined): string {
  const words = (name ?? '')
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean);
  if (!words.length) return '?';
  return words
    .map((w) => {
      const first = [...w][0] ?? '';
      return PARTICLES.has(w.toLowerCase()) ? first.toLowerCase() : first.toUpperCase();
    })
    .map((c) => `${c}.`)
    .join('');
}

/** The dossier of a case. The case must not be a question or anonymised: the caller has checked that. */
export function caseDossier(c: CaseRecord, ctx: DossierContext, exportedAt: Date): Dossier {
  const t = translator('nl');
  const { school, catalog } = ctx;
  const view = { catalog, school, t, lang: 'nl' as const };
  const nameOf = (id: string | undefined) => school.people.get(id ?? '')?.name ?? id ?? '';
  const who = (by: string) =>
    by === 'system'
      ? t('timeline.system')
      : by === 'reporter'
        ? initials(c.reporter.name)
        : initials(nameOf(by));
  // System notes name people ("bezorgd bij Jan de Vries"): the file names staff by initials only.
  const byInitials = (note: string) =>
    [...school.people.values()].reduce((s, p) => (p.name ? s.split(p.name).join(initials(p.name)) : s), note);

  const people: string[] = [`${initials(c.reporter.name)} — ${t('dossier.people.reporter')}`];
  const experts = new Set(
    [c.assignee, ...c.timeline.map((e) => e.by)].filter(
      (p): p is string => !!p && p !== 'system' && p !== 'reporter',
    ),
  );
  for (const p of experts) {
    const role = p === c.assignee ? t('dossier.people.assignee') : t('dossier.people.expert');
    people.push(`${initials(nameOf(p))} — ${role}`);
  }

  const checklist = caseFirstSteps(c, catalog, 'nl').map(
    (x) => `[${x.done ? 'x' : ' '}] ${x.text} (${t(x.done ? 'case.checklist.done' : 'case.checklist.open')})`,
  );

  const row = (e: TimelineEntry): DossierTimelineRow => ({
    when: formatTime(e.at, school),
    what: ((d) => [d.what, d.note ? byInitials(d.note) : ''].filter(Boolean).join(': '))(
      describeEntry(e, view, c.kind === 'question'),
    ),
    who: who(e.by),
    text: e.text || undefined,
  });

  const closed = [...c.timeline].reverse().find((e) => e.action === 'closed');
  const closingNote = closed?.text || closed?.note;
  const closing =
    c.status === 'closed'
      ? [
          `${t('dossier.fact.outcome')}: ${c.outcome ? t(`case.outcome.${c.outcome}`) : ''}`,
          `${t('dossier.fact.closed')}: ${c.closedAt ? formatTime(c.closedAt, school) : ''}`,
          `${t('dossier.closing.note')}: ${closingNote || t('dossier.closing.noNote')}`,
        ]
      : [t('dossier.closing.open')];

  const exported = formatTime(exportedAt.toISOString(), school);
  const facts = [
    { label: t('case.fact.school'), value: school.name },
    { label: t('dossier.fact.id'), value: c.id },
    { label: t('flow.review.type'), value: caseTypeLabel(c, view) },
    {
      label: t('flow.review.urgent'),
      value: t(c.urgent ? 'flow.review.urgentYes' : 'flow.review.urgentNo'),
    },
    { label: t('case.fact.involved'), value: c.involved ? catalog.involved[c.involved].nl : '' },
    { label: t('case.fact.roles'), value: c.roles.map((r) => t(`role.${r}`)).join(', ') },
    { label: t('case.fact.meldplicht'), value: c.meldplicht ? t('case.meldplicht') : '' },
    { label: t('case.fact.time'), value: formatTime(c.createdAt, school) },
    { label: t('case.fact.status'), value: byInitials(statusText(c, view)) },
    { label: t('dossier.fact.closed'), value: c.closedAt ? formatTime(c.closedAt, school) : '' },
    { label: t('dossier.fact.exported'), value: exported },
  ].filter((f) => f.value);

  return {
    title: t('dossier.title', { id: c.id }),
    mark: t('dossier.confidential'),
    notice: t('dossier.confidential.note'),
    facts,
    people: { heading: t('dossier.people'), lines: people },
    description: { heading: t('case.description'), text: c.description },
    checklist: { heading: t('case.firstSteps'), lines: checklist },
    timeline: {
      heading: t('case.timeline'),
      columns: [t('dossier.timeline.when'), t('dossier.timeline.what'), t('dossier.timeline.who')],
      rows: c.timeline.map(row),
    },
    closing: { heading: t('dossier.closing'), lines: closing },
    footer: t('dossier.footer', { id: c.id, school: school.name, date: exported }),
    pageLabel: (page, pages) => t('dossier.page', { page, pages }),
  };
}
