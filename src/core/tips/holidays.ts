import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { KnowledgeError } from '../errors.js';
import type { SchoolConfig } from '../school/school.js';
import { expandRanges } from './schedule.js';

export type Region = 'noord' | 'midden' | 'zuid';
export const REGIONS: readonly Region[] = ['noord', 'midden', 'zuid'];

export interface HolidayRange {
  readonly from: string;
  readonly to: string;
  readonly name?: string;
}

/** The national school holidays per region, and the span of dates the shipped table speaks for. */
export interface RegionalHolidays {
  readonly noord: readonly HolidayRange[];
  readonly midden: readonly HolidayRange[];
  readonly zuid: readonly HolidayRange[];
  /** First and last holiday date known per region; outside it the table says nothing (not "no holiday"). */
  readonly coverage?: Readonly<Record<Region, { readonly from: string; readonly to: string } | undefined>>;
  /** The school years in the table, with where their dates come from. */
  readonly schoolYears?: readonly { readonly schoolYear: string; readonly source: string }[];
}

export const NO_REGIONAL_HOLIDAYS: RegionalHolidays = { noord: [], midden: [], zuid: [] };

/**
 * Length in days (inclusive, Saturday to Sunday) of each national holiday as the ministry sets them. A date typed
 * wrong almost always breaks one of these, so the check catches copying mistakes, not just malformed values.
 */
const LENGTH_DAYS: Readonly<Record<string, number>> = {
  herfstvakantie: 9,
  kerstvakantie: 16,
  voorjaarsvakantie: 9,
  meivakantie: 9,
  zomervakantie: 44,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;
const DAY_MS = 86_400_000;

function utcNoon(date: string): number {
  return Date.parse(`${date}T12:00:00Z`);
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a YYYY-MM-DD date. */
function weekday(date: string): number {
  return ((new Date(utcNoon(date)).getUTCDay() + 6) % 7) + 1;
}

function validDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(utcNoon(s)) && new Date(utcNoon(s)).toISOString().startsWith(s);
}

/**
 * Parses `knowledge/holidays.yml`: a list of school years, each with its source and the five national holidays,
 * per region (`noord`, `midden`, `zuid`) or for the whole country (`all`). Every problem is named.
 */
export function parseHolidays(source: string): { holidays: RegionalHolidays; problems: string[] } {
  const problems: string[] = [];
  let data: { schoolYears?: unknown };
  try {
    data = (parseYaml(source) ?? {}) as typeof data;
  } catch (err) {
    return {
      holidays: NO_REGIONAL_HOLIDAYS,
      problems: [`not valid YAML: ${(err as Error).message.split('\n')[0]}`],
    };
  }
  if (!Array.isArray(data.schoolYears)) {
    return { holidays: NO_REGIONAL_HOLIDAYS, problems: ['schoolYears must be a list'] };
  }
  const out: Record<Region, HolidayRange[]> = { noord: [], midden: [], zuid: [] };
  const years: { schoolYear: string; source: string }[] = [];
  let previousStart: number | undefined;
  data.schoolYears.forEach((entry: Record<string, unknown>, i: number) => {
    const where = `schoolYears[${i}]`;
    const schoolYear = String(entry?.schoolYear ?? '');
    const m = SCHOOL_YEAR.exec(schoolYear);
    if (!m || Number(m[2]) !== Number(m[1]) + 1) {
      problems.push(`${where}.schoolYear must look like 2027-2028`);
      return;
    }
    const start = Number(m[1]);
    if (previousStart !== undefined && start !== previousStart + 1)
      problems.push(
        `${where}: ${schoolYear} does not follow the previous school year (no gaps, oldest first)`,
      );
    previousStart = start;
    const src = String(entry.source ?? '');
    if (!/^https:\/\/\S+$/.test(src))
      problems.push(`${where}.source must be the https address the dates come from`);
    years.push({ schoolYear, source: src });
    const list = entry.holidays;
    if (!list || typeof list !== 'object' || Array.isArray(list)) {
      problems.push(`${where}.holidays must map each holiday to its dates`);
      return;
    }
    const given = Object.keys(list);
    for (const name of Object.keys(LENGTH_DAYS))
      if (!given.includes(name)) problems.push(`${where}.holidays: ${name} is missing`);
    for (const [name, perRegion] of Object.entries(list as Record<string, unknown>)) {
      const at = `${where}.holidays.${name}`;
      const length = LENGTH_DAYS[name];
      if (length === undefined) {
        problems.push(`${at}: unknown holiday (expected ${Object.keys(LENGTH_DAYS).join(', ')})`);
        continue;
      }
      const ranges = (perRegion ?? {}) as Record<string, unknown>;
      const keys = Object.keys(ranges);
      const regions = keys.includes('all') ? ['all'] : REGIONS;
      if (
        keys.includes('all') ? keys.length !== 1 : REGIONS.some((r) => !keys.includes(r)) || keys.length !== 3
      ) {
        problems.push(`${at} needs either noord, midden and zuid, or all`);
        continue;
      }
      for (const region of regions) {
        const pair = ranges[region];
        const label = `${at}.${region}`;
        if (!Array.isArray(pair) || pair.length !== 2) {
          problems.push(`${label} must be [first day, last day]`);
          continue;
        }
        const [from, to] = pair.map(String) as [string, string];
        if (!validDate(from) || !validDate(to)) {
          problems.push(`${label}: dates must be real YYYY-MM-DD dates`);
          continue;
        }
        if (weekday(from) !== 6 || weekday(to) !== 7)
          problems.push(`${label}: a national holiday runs from a Saturday to a Sunday (${from} .. ${to})`);
        const days = Math.round((utcNoon(to) - utcNoon(from)) / DAY_MS) + 1;
        if (days !== length) problems.push(`${label}: ${name} lasts ${length} days, not ${days}`);
        if (from < `${start}-08-01` || from > `${start + 1}-07-31`)
          problems.push(`${label}: ${from} is not in school year ${schoolYear}`);
        for (const r of region === 'all' ? REGIONS : [region as Region]) out[r].push({ from, to, name });
      }
    }
  });
  const coverage = Object.fromEntries(
    REGIONS.map((r) => {
      const list = out[r];
      if (list.length === 0) return [r, undefined];
      const froms = list.map((h) => h.from).sort();
      const tos = list.map((h) => h.to).sort();
      return [r, { from: froms[0] as string, to: tos[tos.length - 1] as string }];
    }),
  ) as Record<Region, { from: string; to: string } | undefined>;
  for (const r of REGIONS) out[r].sort((a, b) => a.from.localeCompare(b.from));
  return { holidays: { ...out, coverage, schoolYears: years }, problems };
}

export async function loadHolidays(file: string): Promise<RegionalHolidays> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    return NO_REGIONAL_HOLIDAYS;
  }
  const { holidays, problems } = parseHolidays(source);
  if (problems.length) throw new KnowledgeError(`${file}: ${problems.join('; ')}`, problems);
  return holidays;
}

/**
 * Every holiday date of a school: its own `holidays` plus the national ones of its `region`. No weekly tips on
 * these days, and they do not count as school days for case deadlines ("the next school day at 12:00").
 */
export function holidayDates(
  school: Pick<SchoolConfig, 'holidays' | 'region'> | undefined,
  regional: RegionalHolidays | undefined,
): Set<string> {
  const national = school?.region ? (regional?.[school.region] ?? []) : [];
  return expandRanges([...(school?.holidays ?? []), ...national]);
}

/** Whether the shipped table speaks for `date` in `region` (inside it, a date not listed is a school week). */
export function holidaysKnown(holidays: RegionalHolidays | undefined, region: Region, date: string): boolean {
  const span = holidays?.coverage?.[region];
  return span !== undefined && date >= span.from && date <= span.to;
}
