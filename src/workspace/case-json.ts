import type { CaseRecord, TimelineEntry } from '../core/cases/model.js';
import {
  type CaseViewContext,
  caseCard,
  caseFirstSteps,
  caseTypeLabel,
  describeEntry,
  formatTime,
  statusText,
} from '../core/cases/views.js';
import type { CaseSight } from './access.js';

/**
 * Cases as the workspace's API returns them. Lists carry no description, names of pupils or texts; a detail
 * carries what the reader may see: everything for experts and schoolleiding, the state of their own report for a
 * reporter.
 */

export interface CaseListItem {
  readonly id: string;
  readonly question: boolean;
  readonly type: string;
  readonly typeLabel: string;
  readonly status: CaseRecord['status'];
  readonly statusText: string;
  readonly urgent: boolean;
  readonly createdAt: string;
  readonly deadlineAt?: string;
  /** Open past its take-up deadline. */
  readonly overdue: boolean;
}

export function isOverdue(c: CaseRecord, now: Date): boolean {
  return c.status === 'open' && !!c.deadlineAt && c.deadlineAt <= now.toISOString();
}

export function caseListItem(c: CaseRecord, ctx: CaseViewContext, now: Date): CaseListItem {
  return {
    id: c.id,
    question: c.kind === 'question',
    type: c.type,
    typeLabel: caseTypeLabel(c, ctx),
    status: c.status,
    statusText: statusText(c, ctx),
    urgent: c.urgent && c.status !== 'closed',
    createdAt: c.createdAt,
    deadlineAt: c.status === 'open' ? c.deadlineAt : undefined,
    overdue: isOverdue(c, now),
  };
}

export interface TimelineItem {
  readonly at: string;
  readonly when: string;
  readonly what: string;
  readonly who: string;
  readonly note?: string;
  readonly text?: string;
}

export interface CaseDetail extends CaseListItem {
  readonly title: string;
  readonly sight: CaseSight;
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly description: string;
  readonly checklist: readonly {
    readonly kind: 'do' | 'dont';
    readonly text: string;
    readonly done: boolean;
  }[];
  readonly timeline: readonly TimelineItem[];
  /** The same actions the expert's card offers, by the card's own rules; only for experts of the case. */
  readonly actions?: {
    readonly canTake: boolean;
    readonly canAct: boolean;
    readonly canExport: boolean;
    readonly handoverTargets: readonly { readonly title: string; readonly value: string }[];
    readonly outcomes: readonly { readonly title: string; readonly value: string }[];
  };
}

/** What a reporter sees of the history: the steps, and the messages exchanged with them — not experts' notes. */
const REPORTER_TEXTS = new Set<TimelineEntry['action']>(['question', 'answer']);

function timelineItem(e: TimelineEntry, c: CaseRecord, ctx: CaseViewContext, sight: CaseSight): TimelineItem {
  const { what, note, who } = describeEntry(e, ctx, c.kind === 'question');
  const showText = sight !== 'reporter' || REPORTER_TEXTS.has(e.action);
  return {
    at: e.at,
    when: formatTime(e.at, ctx.school),
    what,
    who,
    note: note || undefined,
    text: showText ? e.text || undefined : undefined,
  };
}

export function caseDetail(c: CaseRecord, ctx: CaseViewContext, sight: CaseSight, now: Date): CaseDetail {
  const { t, lang, school } = ctx;
  const out = caseCard(c, ctx);
  const card = (out.kind === 'card' ? out.data : {}) as Record<string, unknown>;
  const facts = [
    { title: t('case.fact.status'), value: statusText(c, ctx) },
    { title: t('case.fact.school'), value: school.name },
    {
      title: t(c.kind === 'question' ? 'question.asker' : 'case.fact.reporter'),
      value: sight === 'reporter' ? '' : (c.reporter.name ?? ''),
    },
    { title: t('case.fact.involved'), value: c.involved ? ctx.catalog.involved[c.involved][lang] : '' },
    { title: t('case.fact.roles'), value: c.roles.map((r) => t(`role.${r}`)).join(', ') },
    { title: t('case.fact.time'), value: formatTime(c.createdAt, school) },
    { title: t('case.fact.meldplicht'), value: c.meldplicht ? t('case.meldplicht') : '' },
  ].filter((f) => f.value);
  return {
    ...caseListItem(c, ctx, now),
    title: String(card.title ?? c.id),
    sight,
    facts,
    description: c.description,
    checklist: caseFirstSteps(c, ctx.catalog, lang).map((x) => ({ kind: 'do' as const, ...x })),
    timeline: c.timeline
      .filter((e) => sight !== 'reporter' || e.action !== 'note')
      .map((e) => timelineItem(e, c, ctx, sight)),
    actions:
      sight === 'expert'
        ? {
            canTake: card.canTake === true,
            canAct: card.canAct === true,
            canExport: card.canExport === true,
            handoverTargets: card.handoverTargets as { title: string; value: string }[],
            outcomes: card.outcomes as { title: string; value: string }[],
          }
        : undefined,
  };
}
