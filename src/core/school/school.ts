import { parse as parseYaml } from 'yaml';
import { ESCALATION_STEPS, type EscalationStep } from '../cases/decide.js';
import { LEVELS, type Level, ROLE_IDS, type RoleId } from '../knowledge/model.js';
import type { Actor, Lang, Platform } from '../types.js';

/**
 * The school configuration (file in VANGNET_SCHOOL_CONFIG): who holds which role, admins, school hours,
 * acknowledge deadlines and retention. Parsed and validated here; pure.
 */

export interface Person {
  /** Config-local id, used by `roles` and `admins`. */
  readonly id: string;
  readonly name: string;
  /** Teams: the Entra ID (AAD) object id. */
  readonly teams?: string;
  /** Slack: the member id (U…). */
  readonly slack?: string;
  /** Local chat: the Web Chat user id (local mode only). */
  readonly local?: string;
  /** The language Vangnet writes to this person in (default: the bot's language). */
  readonly lang?: Lang;
  /** Where urgent-case alerts are e-mailed, when e-mail alerts are on (VANGNET_SMTP_URL). */
  readonly email?: string;
}

export interface RoleAssignment {
  readonly holders: readonly string[];
  readonly backup: readonly string[];
}

export interface SchoolHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Minutes after midnight, local time. */
  readonly start: number;
  readonly end: number;
}

export interface SchoolConfig {
  readonly name: string;
  readonly level: Level;
  readonly timezone: string;
  /** Shown with 112 when a teacher reports acute danger. */
  readonly crisisContact: string;
  /**
   * People alerted at once, with the schoolleiding, when a teacher reports acute danger (the school's crisis or
   * calamity team); empty: the schoolleiding only.
   */
  readonly crisisTeam: readonly string[];
  readonly people: ReadonlyMap<string, Person>;
  readonly roles: Readonly<Partial<Record<RoleId, RoleAssignment>>>;
  readonly admins: readonly string[];
  readonly hours: SchoolHours;
  /** Dates (YYYY-MM-DD) without school, besides weekends; extended by the holiday calendar. */
  readonly closedDates: readonly string[];
  readonly deadlines: {
    /** Urgent cases: minutes to take up before a reminder, then escalation. */
    readonly urgentMinutes: number;
    /** Normal cases: taken up by this time (HH:MM) on the next school day. */
    readonly normalNextSchoolDayAt: number;
  };
  /**
   * What happens when nobody takes a case up by its deadline: the steps in order (a reminder to the people it was
   * sent to, then their backups, then the schoolleiding), each after the same interval.
   */
  readonly escalation: EscalationPolicy;
  readonly retentionDays: number;
  readonly routing: Readonly<Record<string, readonly RoleId[]>>;
  /** When the weekly tip is posted (ISO weekday and minutes after midnight, local time). */
  readonly tips: { readonly day: number; readonly minutes: number };
  /** School holidays: inclusive date ranges, no tips in them. */
  readonly holidays: readonly { readonly from: string; readonly to: string }[];
  /** Holiday region (knowledge/holidays.yml), when the school follows the national spreading. */
  readonly region?: 'noord' | 'midden' | 'zuid';
}

export interface EscalationPolicy {
  readonly steps: readonly EscalationStep[];
  readonly urgentIntervalMinutes: number;
  readonly normalIntervalMinutes: number;
}

/** Today's ladder: reminder → backups → schoolleiding; urgent steps every `urgentMinutes`, normal ones every 2 hours. */
export function defaultEscalation(urgentMinutes: number): EscalationPolicy {
  return { steps: ESCALATION_STEPS, urgentIntervalMinutes: urgentMinutes, normalIntervalMinutes: 120 };
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** One plain address: no display name, no list, nothing that could add a header. */
export const EMAIL =
  /^[^\s@<>,;:"]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

function minutes(v: unknown, where: string, fallback: number, problems: string[]): number {
  if (v === undefined) return fallback;
  const m = typeof v === 'string' ? TIME.exec(v) : null;
  if (!m) {
    problems.push(`${where} must be a time HH:MM, got ${JSON.stringify(v)}`);
    return fallback;
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

function ids(v: unknown, where: string, people: ReadonlyMap<string, Person>, problems: string[]): string[] {
  if (v === undefined) return [];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) {
    problems.push(`${where} must be a person id or a list of person ids`);
    return [];
  }
  const out: string[] = [];
  for (const x of list) {
    if (typeof x === 'string' && people.has(x)) out.push(x);
    else problems.push(`${where}: "${String(x)}" is not a person in "people"`);
  }
  return out;
}

/** Parses a school config (YAML or JSON text). Returns every problem found, with the path of the bad value. */
export function parseSchoolConfig(
  source: string,
  knownTypes: ReadonlySet<string>,
): { config?: SchoolConfig; problems: string[] } {
  const problems: string[] = [];
  let data: Record<string, unknown>;
  try {
    data = (parseYaml(source) ?? {}) as Record<string, unknown>;
    if (typeof data !== 'object' || Array.isArray(data)) throw new Error('not a mapping');
  } catch (err) {
    return { problems: [`not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`] };
  }
  const school = (data.school ?? {}) as Record<string, unknown>;
  const name = typeof school.name === 'string' && school.name.trim() ? school.name.trim() : '';
  if (!name) problems.push('school.name is required');
  const level = school.level as Level;
  if (!LEVELS.includes(level)) problems.push(`school.level must be one of ${LEVELS.join(', ')}`);
  const timezone = typeof school.timezone === 'string' ? school.timezone : 'Europe/Amsterdam';
  try {
    new Intl.DateTimeFormat('nl-NL', { timeZone: timezone });
  } catch {
    problems.push(`school.timezone "${timezone}" is not a known time zone`);
  }
  const crisisContact = typeof school.crisisContact === 'string' ? school.crisisContact.trim() : '';
  if (!crisisContact) problems.push('school.crisisContact is required (shown next to 112 in acute danger)');

  const people = new Map<string, Person>();
  const rawPeople = Array.isArray(data.people) ? data.people : [];
  if (!Array.isArray(data.people)) problems.push('people must be a list');
  rawPeople.forEach((p: Record<string, unknown>, i: number) => {
    const where = `people[${i}]`;
    const id = typeof p?.id === 'string' ? p.id : '';
    if (!ID.test(id)) problems.push(`${where}.id must be a short id (letters, digits, . _ -)`);
    else if (people.has(id)) problems.push(`${where}.id "${id}" is used twice`);
    const pname = typeof p?.name === 'string' ? p.name.trim() : '';
    if (!pname) problems.push(`${where}.name is required`);
    const teams = typeof p?.teams === 'string' ? p.teams.trim() : undefined;
    const slack = typeof p?.slack === 'string' ? p.slack.trim() : undefined;
    const local = typeof p?.local === 'string' ? p.local.trim() : undefined;
    if (teams && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(teams)) {
      problems.push(`${where}.teams must be the person's Entra ID object id (a GUID)`);
    }
    if (slack && !/^[UW][A-Z0-9]{2,}$/.test(slack))
      problems.push(`${where}.slack must be a Slack member id (U…)`);
    if (!teams && !slack && !local) problems.push(`${where} needs a teams and/or slack id`);
    const lang = p?.lang === undefined ? undefined : String(p.lang);
    if (lang !== undefined && lang !== 'nl' && lang !== 'en') problems.push(`${where}.lang must be nl or en`);
    const email = p?.email === undefined ? undefined : String(p.email).trim();
    if (email !== undefined && !EMAIL.test(email))
      problems.push(`${where}.email must be one e-mail address (name@school.nl)`);
    const valid = email && EMAIL.test(email) ? email : undefined;
    if (id)
      people.set(id, { id, name: pname, teams, slack, local, lang: lang as Lang | undefined, email: valid });
  });

  const roles: Partial<Record<RoleId, RoleAssignment>> = {};
  const rawRoles = (data.roles ?? {}) as Record<string, Record<string, unknown>>;
  for (const [role, a] of Object.entries(rawRoles)) {
    if (!ROLE_IDS.includes(role as RoleId)) {
      problems.push(`roles.${role} is not a role; allowed: ${ROLE_IDS.join(', ')}`);
      continue;
    }
    roles[role as RoleId] = {
      holders: ids(a?.holders, `roles.${role}.holders`, people, problems),
      backup: ids(a?.backup, `roles.${role}.backup`, people, problems),
    };
  }
  if (!roles.schoolleiding?.holders.length)
    problems.push('roles.schoolleiding needs at least one holder (the last escalation step)');
  const admins = ids(data.admins, 'admins', people, problems);
  if (admins.length === 0) problems.push('admins needs at least one person');
  const crisisTeam = ids(data.crisisTeam, 'crisisTeam', people, problems);

  const h = (data.hours ?? {}) as Record<string, unknown>;
  const days = Array.isArray(h.days)
    ? h.days.filter((d): d is number => Number.isInteger(d) && d >= 1 && d <= 7)
    : [1, 2, 3, 4, 5];
  const hours = {
    days,
    start: minutes(h.start, 'hours.start', 8 * 60, problems),
    end: minutes(h.end, 'hours.end', 17 * 60, problems),
  };
  if (hours.end <= hours.start) problems.push('hours.end must be after hours.start');

  const closedDates = Array.isArray(data.closedDates)
    ? data.closedDates.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))
    : [];

  const d = (data.deadlines ?? {}) as Record<string, unknown>;
  const urgentMinutes = d.urgentMinutes === undefined ? 15 : Number(d.urgentMinutes);
  if (!Number.isInteger(urgentMinutes) || urgentMinutes < 1 || urgentMinutes > 24 * 60) {
    problems.push('deadlines.urgentMinutes must be a whole number of minutes from 1 to 1440');
  }
  const normalNextSchoolDayAt = minutes(
    d.normalNextSchoolDayAt,
    'deadlines.normalNextSchoolDayAt',
    12 * 60,
    problems,
  );

  const escalation = parseEscalation(data.escalation, urgentMinutes, problems);

  const retentionDays = data.retentionDays === undefined ? 365 : Number(data.retentionDays);
  if (!Number.isInteger(retentionDays) || retentionDays < 1)
    problems.push('retentionDays must be a whole number of days ≥ 1');

  const routing: Record<string, RoleId[]> = {};
  for (const [type, list] of Object.entries((data.routing ?? {}) as Record<string, unknown>)) {
    if (!knownTypes.has(type)) problems.push(`routing.${type} is not an incident type`);
    const rs = Array.isArray(list) ? list : [];
    const bad = rs.filter((r) => !ROLE_IDS.includes(r as RoleId));
    if (!rs.length || bad.length)
      problems.push(`routing.${type} must list roles from: ${ROLE_IDS.join(', ')}`);
    routing[type] = rs.filter((r): r is RoleId => ROLE_IDS.includes(r as RoleId));
  }

  const tipsRaw = (data.tips ?? {}) as Record<string, unknown>;
  const tipDay = tipsRaw.day === undefined ? 1 : Number(tipsRaw.day);
  if (!Number.isInteger(tipDay) || tipDay < 1 || tipDay > 7)
    problems.push('tips.day must be 1 (Monday) … 7 (Sunday)');
  const tips = { day: tipDay, minutes: minutes(tipsRaw.time, 'tips.time', 8 * 60 + 30, problems) };
  const holidays: { from: string; to: string }[] = [];
  const rawHolidays = data.holidays === undefined ? [] : data.holidays;
  if (!Array.isArray(rawHolidays)) problems.push('holidays must be a list of { from, to } dates');
  else
    rawHolidays.forEach((h: Record<string, unknown>, i: number) => {
      const ok = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      if (!ok(h?.from) || !ok(h?.to) || String(h.to) < String(h.from)) {
        problems.push(`holidays[${i}] needs from and to as YYYY-MM-DD, to not before from`);
      } else holidays.push({ from: String(h.from), to: String(h.to) });
    });

  const region = data.region === undefined ? undefined : String(data.region);
  if (region !== undefined && !['noord', 'midden', 'zuid'].includes(region))
    problems.push('region must be noord, midden or zuid');

  if (problems.length) return { problems };
  return {
    config: {
      name,
      level,
      timezone,
      crisisContact,
      crisisTeam,
      people,
      roles,
      admins,
      hours,
      closedDates,
      deadlines: { urgentMinutes, normalNextSchoolDayAt },
      escalation,
      retentionDays,
      routing,
      tips,
      holidays,
      region: region as SchoolConfig['region'],
    },
    problems,
  };
}

/**
 * `escalation: { steps: [reminder, backups, schoolleiding], urgentIntervalMinutes: 15, normalIntervalMinutes: 120 }`;
 * every part optional, today's ladder by default.
 */
function parseEscalation(raw: unknown, urgentMinutes: number, problems: string[]): EscalationPolicy {
  const fallback = defaultEscalation(Number.isInteger(urgentMinutes) ? urgentMinutes : 15);
  if (raw === undefined) return fallback;
  const e = (raw ?? {}) as Record<string, unknown>;
  let steps = fallback.steps;
  if (e.steps !== undefined) {
    const list = Array.isArray(e.steps) ? e.steps : [];
    const bad = list.filter((s) => !ESCALATION_STEPS.includes(s as EscalationStep));
    if (!Array.isArray(e.steps) || bad.length || new Set(list).size !== list.length)
      problems.push(`escalation.steps must be a list of distinct steps from: ${ESCALATION_STEPS.join(', ')}`);
    else steps = list as EscalationStep[];
  }
  const interval = (key: 'urgentIntervalMinutes' | 'normalIntervalMinutes') => {
    if (e[key] === undefined) return fallback[key];
    const n = Number(e[key]);
    if (Number.isInteger(n) && n >= 1 && n <= 7 * 24 * 60) return n;
    problems.push(`escalation.${key} must be a whole number of minutes from 1 to 10080`);
    return fallback[key];
  };
  return {
    steps,
    urgentIntervalMinutes: interval('urgentIntervalMinutes'),
    normalIntervalMinutes: interval('normalIntervalMinutes'),
  };
}

/** The person a chat user is, by their platform id (Teams: AAD object id). */
export function personOf(config: SchoolConfig, platform: Platform, actor: Actor): Person | undefined {
  for (const p of config.people.values()) {
    if (platform === 'teams' && p.teams && (p.teams === actor.aadObjectId || p.teams === actor.id)) return p;
    if (platform === 'slack' && p.slack === actor.id) return p;
    if (platform === 'local' && p.local === actor.id) return p;
  }
  return undefined;
}

/** The demo school of local mode: the local chat user holds every role, so one person can play both sides. */
export function localDemoSchool(localUserId: string): SchoolConfig {
  const person: Person = { id: 'lokaal', name: 'Lokale gebruiker', local: localUserId };
  const all = { holders: ['lokaal'], backup: [] };
  return {
    name: 'Demoschool (lokaal)',
    level: 'vo',
    timezone: 'Europe/Amsterdam',
    crisisContact: 'Schoolleiding (demo): 010-000 00 00',
    crisisTeam: [],
    people: new Map([['lokaal', person]]),
    roles: Object.fromEntries(ROLE_IDS.filter((r) => r !== 'mentor').map((r) => [r, all])),
    admins: ['lokaal'],
    hours: { days: [1, 2, 3, 4, 5], start: 8 * 60, end: 17 * 60 },
    closedDates: [],
    deadlines: { urgentMinutes: 15, normalNextSchoolDayAt: 12 * 60 },
    escalation: defaultEscalation(15),
    retentionDays: 365,
    routing: {},
    tips: { day: 1, minutes: 8 * 60 + 30 },
    holidays: [],
  };
}
