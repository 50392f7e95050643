import type { RoleId } from '../knowledge/model.js';
import { localParts } from '../school/calendar.js';
import type { CaseRecord } from './model.js';

/**
 * The school's overview for schoolleiding and the annual report: counts and times only — no descriptions, no names,
 * no case numbers. Pure: computed from case records, the range and the clock.
 */
export interface Overview {
  /** Months in the range, `YYYY-MM`, oldest first. */
  readonly months: readonly string[];
  /** Incident types that occur in the range, most frequent first. */
  readonly types: readonly string[];
  /** Incidents per month per type (`counts[month][type]`); questions to experts are counted apart. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly incidents: number;
  readonly urgent: number;
  /** From report to the first thing an expert did (took it up, asked, handed over, closed), in minutes. */
  readonly takeUp: {
    readonly count: number;
    readonly medianMinutes?: number;
    readonly slowestMinutes?: number;
    /** Incidents nobody has taken up yet. */
    readonly waiting: number;
  };
  /** Incidents whose take-up deadline passed (a reminder went out, or they are open past it now). */
  readonly overdue: number;
  /** Open right now and past the deadline. */
  readonly overdueNow: number;
  /** Incidents that went on to backups or schoolleiding because nobody reacted. */
  readonly escalated: number;
  /** Questions to experts by topic (the role they were asked of), most first. */
  readonly questionsByTopic: readonly { readonly topic: RoleId; readonly count: number }[];
  readonly questions: number;
}

export interface OverviewRange {
  /** First and last month, inclusive: `YYYY-MM`. */
  readonly from: string;
  readonly to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** What an expert does that counts as taking a case up. */
const TAKE_UP = new Set(['taken', 'handed-over', 'question', 'note', 'closed']);

export function isMonth(s: unknown): s is string {
  return typeof s === 'string' && MONTH.test(s);
}

/** The months from `from` to `to`, inclusive (at most 10 years' worth). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  while (out.length < 120) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) break;
    out.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The school year (August to July) `now` falls in, as a month range. */
export function schoolYearOf(now: Date, timezone: string): OverviewRange {
  const p = localParts(now, timezone);
  const start = p.month >= 8 ? p.year : p.year - 1;
  return { from: `${start}-08`, to: `${start + 1}-07` };
}

function median(sorted: readonly number[]): number | undefined {
  if (!sorted.length) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The overview of the cases reported in the range's months (in the school's time zone). */
export function overview(
  cases: readonly CaseRecord[],
  range: OverviewRange,
  timezone: string,
  now: Date,
): Overview {
  const months = monthsBetween(range.from, range.to);
  const inRange = new Set(months);
  const monthOf = (iso: string) => {
    const p = localParts(new Date(iso), timezone);
    return `${p.year}-${String(p.month).padStart(2, '0')}`;
  };
  const counts: Record<string, Record<string, number>> = Object.fromEntries(months.map((m) => [m, {}]));
  const perType = new Map<string, number>();
  const topics = new Map<RoleId, number>();
  const takeUps: number[] = [];
  let incidents = 0;
  let urgent = 0;
  let waiting = 0;
  let overdue = 0;
  let overdueNow = 0;
  let escalated = 0;
  let questions = 0;
  const nowIso = now.toISOString();

  for (const c of cases) {
    const month = monthOf(c.createdAt);
    if (!inRange.has(month)) continue;
    if (c.kind === 'question') {
      questions += 1;
      for (const r of c.roles.slice(0, 1)) topics.set(r, (topics.get(r) ?? 0) + 1);
      continue;
    }
    incidents += 1;
    if (c.urgent) urgent += 1;
    const row = counts[month] as Record<string, number>;
    row[c.type] = (row[c.type] ?? 0) + 1;
    perType.set(c.type, (perType.get(c.type) ?? 0) + 1);

    // Anonymised cases keep their actions and times (not who), so the first expert action is any non-system one.
    const first = c.timeline.find((e) => TAKE_UP.has(e.action) && e.by !== 'system' && e.by !== 'reporter');
    const firstAnonymised = c.anonymised ? c.timeline.find((e) => TAKE_UP.has(e.action)) : undefined;
    const tookUp = first ?? firstAnonymised;
    if (tookUp) takeUps.push((Date.parse(tookUp.at) - Date.parse(c.createdAt)) / 60_000);
    else if (c.status !== 'closed') waiting += 1;

    const lateNow = c.status === 'open' && !!c.deadlineAt && c.deadlineAt <= nowIso;
    if (lateNow) overdueNow += 1;
    if (lateNow || c.escalation >= 1 || c.timeline.some((e) => e.action === 'reminder')) overdue += 1;
    if (c.escalation >= 2 || c.timeline.some((e) => e.action === 'escalated')) escalated += 1;
  }

  takeUps.sort((a, b) => a - b);
  return {
    months,
    types: [...perType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t),
    counts,
    incidents,
    urgent,
    takeUp: {
      count: takeUps.length,
      medianMinutes: median(takeUps),
      slowestMinutes: takeUps.at(-1),
      waiting,
    },
    overdue,
    overdueNow,
    escalated,
    questionsByTopic: [...topics]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([topic, count]) => ({ topic, count })),
    questions,
  };
}
