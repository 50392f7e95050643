import { isoDate, localParts, zonedTime } from '../school/calendar.js';
import type { SchoolConfig } from '../school/school.js';

/**
 * When the weekly tip is due, in the school's time zone. Pure: the current time is passed in.
 * Default: Monday 08:30 Europe/Amsterdam; per school `tips: { day, time }`.
 */

export interface TipMoment {
  /** ISO weekday 1..7 */
  readonly day: number;
  /** Minutes after midnight, local time. */
  readonly minutes: number;
}

export const DEFAULT_TIP_MOMENT: TipMoment = { day: 1, minutes: 8 * 60 + 30 };

/** ISO 8601 week key of a local date, e.g. "2026-W48". */
export function isoWeekKey(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export interface DueMoment {
  readonly week: string;
  /** The scheduled instant of this week. */
  readonly at: Date;
  /** Its local date, YYYY-MM-DD. */
  readonly date: string;
}

/** This week's scheduled moment (the week that contains `now`, local time). */
export function thisWeeksMoment(
  school: SchoolConfig,
  now: Date,
  moment: TipMoment = DEFAULT_TIP_MOMENT,
): DueMoment {
  const p = localParts(now, school.timezone);
  const offset = moment.day - p.weekday;
  const at = zonedTime(p.year, p.month, p.day + offset, moment.minutes, school.timezone);
  const q = localParts(at, school.timezone);
  return { week: isoWeekKey(q.year, q.month, q.day), at, date: isoDate(q) };
}

/**
 * What to do for a subscription at `now`: `wait` before the moment; `send` from the moment until the end of that
 * school day (a run missed while the bot was down is caught up once the same day); `missed` after that day;
 * `holiday` when the date is a school holiday.
 */
export function decide(
  school: SchoolConfig,
  now: Date,
  holidays: ReadonlySet<string>,
  moment: TipMoment = school.tips ?? DEFAULT_TIP_MOMENT,
): { action: 'wait' | 'send' | 'missed' | 'holiday'; due: DueMoment } {
  const due = thisWeeksMoment(school, now, moment);
  if (now < due.at) return { action: 'wait', due };
  if (isDayOff(school, holidays, due.date)) return { action: 'holiday', due };
  const p = localParts(now, school.timezone);
  const sameDay = isoDate(p) === due.date;
  const endOfDay = Math.max(school.hours.end, moment.minutes + 60);
  return { action: sameDay && p.minutes < endOfDay ? 'send' : 'missed', due };
}

/** Whether a date is a holiday or one of the school's closed days: no weekly tip then. */
export function isDayOff(school: SchoolConfig, holidays: ReadonlySet<string>, date: string): boolean {
  return holidays.has(date) || school.closedDates.includes(date);
}

/** Every date (YYYY-MM-DD) in the inclusive ranges. */
export function expandRanges(ranges: readonly { readonly from: string; readonly to: string }[]): Set<string> {
  const out = new Set<string>();
  for (const r of ranges) {
    const start = Date.parse(`${r.from}T12:00:00Z`);
    const end = Date.parse(`${r.to}T12:00:00Z`);
    if (Number.isNaN(start) || Number.isNaN(end) || end < start || end - start > 400 * 86_400_000) continue;
    for (let t = start; t <= end; t += 86_400_000) out.add(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
