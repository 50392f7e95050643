import type { SchoolConfig } from './school.js';

/**
 * School-time arithmetic in the school's time zone (Europe/Amsterdam by default), DST-safe. Pure: the current
 * time is always passed in.
 */

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** ISO weekday 1..7 */
  readonly weekday: number;
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(at: Date, tz: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The UTC instant of a local wall-clock time in `tz`. */
export function zonedTime(year: number, month: number, day: number, minutes: number, tz: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), tz);
    const seen = Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes);
    const diff = wall - seen;
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

export function isoDate(p: { year: number; month: number; day: number }): string {
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export function isSchoolDay(
  school: SchoolConfig,
  p: LocalParts,
  extraClosed: ReadonlySet<string> = new Set(),
): boolean {
  const date = isoDate(p);
  return (
    school.hours.days.includes(p.weekday) && !school.closedDates.includes(date) && !extraClosed.has(date)
  );
}

/** Whether `at` falls inside school hours on a school day. */
export function isSchoolTime(school: SchoolConfig, at: Date, extraClosed?: ReadonlySet<string>): boolean {
  const p = localParts(at, school.timezone);
  return (
    isSchoolDay(school, p, extraClosed) && p.minutes >= school.hours.start && p.minutes < school.hours.end
  );
}

/** `minutes` past midnight on the first school day after the local day of `from`. */
export function nextSchoolDayAt(
  school: SchoolConfig,
  from: Date,
  minutes: number,
  extraClosed?: ReadonlySet<string>,
): Date {
  const start = localParts(from, school.timezone);
  for (let i = 1; i <= 60; i++) {
    // Noon avoids DST edges when stepping whole days.
    const probe = zonedTime(start.year, start.month, start.day + i, 12 * 60, school.timezone);
    const p = localParts(probe, school.timezone);
    if (isSchoolDay(school, p, extraClosed))
      return zonedTime(p.year, p.month, p.day, minutes, school.timezone);
  }
  // Two months without a school day: fall back to a day later rather than never.
  return new Date(from.getTime() + 24 * 3600_000);
}

/** When a new case must have been taken up. */
export function takeUpDeadline(
  school: SchoolConfig,
  createdAt: Date,
  urgent: boolean,
  extraClosed?: ReadonlySet<string>,
): Date {
  if (urgent) return new Date(createdAt.getTime() + school.deadlines.urgentMinutes * 60_000);
  return nextSchoolDayAt(school, createdAt, school.deadlines.normalNextSchoolDayAt, extraClosed);
}
