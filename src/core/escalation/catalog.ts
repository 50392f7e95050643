import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { KnowledgeError } from '../errors.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import type { Lang } from '../types.js';

/** A text in both product languages. */
export type Text = Readonly<Record<Lang, string>>;

export const INVOLVED = ['pupil', 'staff', 'external', 'unknown'] as const;
export type Involved = (typeof INVOLVED)[number];

export interface IncidentType {
  readonly id: string;
  readonly label: Text;
  readonly article: string;
  readonly routing: readonly RoleId[];
  readonly urgent: boolean;
  readonly sexual: boolean;
  /** A legal clock from the moment the school knows (datalek: 72 hours to the Autoriteit Persoonsgegevens). */
  readonly reportWithinHours?: number;
  /** What to do first: a checklist the teacher ticks ("Al gedaan"). */
  readonly do: readonly Text[];
  /** What not to do: warnings, never checkboxes. */
  readonly dont: readonly Text[];
}

/** The first steps of the meldplicht path, which replace the type's own. */
export interface Meldplicht {
  readonly routing: readonly RoleId[];
  readonly article: string;
  readonly do: readonly Text[];
  readonly dont: readonly Text[];
}

/** The incident types, their first steps and their routing: data from `knowledge/incidents.yml`. */
export interface IncidentCatalog {
  readonly types: ReadonlyMap<string, IncidentType>;
  readonly involved: Readonly<Record<Involved, Text>>;
  readonly meldplicht: Meldplicht;
  /** Roles added to every other type's routing when a staff member is involved (the employer). */
  readonly staffAlsoRoutes: readonly RoleId[];
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function text(v: unknown, where: string, problems: string[]): Text {
  const o = v as Partial<Record<Lang, unknown>> | undefined;
  if (!o || typeof o.nl !== 'string' || typeof o.en !== 'string' || !o.nl.trim() || !o.en.trim()) {
    problems.push(`${where} needs a Dutch (nl) and an English (en) text`);
    return { nl: '', en: '' };
  }
  return { nl: o.nl.trim(), en: o.en.trim() };
}

function texts(v: unknown, where: string, problems: string[]): Text[] {
  if (Array.isArray(v)) return v.map((x, i) => text(x, `${where}[${i}]`, problems));
  problems.push(`${where} must be a list`);
  return [];
}

function roles(v: unknown, where: string, problems: string[]): RoleId[] {
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`${where} must list at least one role`);
    return [];
  }
  const bad = v.filter((r) => !ROLE_IDS.includes(r as RoleId));
  if (bad.length)
    problems.push(`${where} has unknown roles ${bad.join(', ')}; allowed: ${ROLE_IDS.join(', ')}`);
  return v.filter((r): r is RoleId => ROLE_IDS.includes(r as RoleId));
}

/** Parses and validates the catalog; `articleExists` checks that linked articles are real. */
export function parseCatalog(
  source: string,
  articleExists: (slug: string) => boolean,
): { catalog: IncidentCatalog; problems: string[] } {
  const problems: string[] = [];
  let data: Record<string, unknown> = {};
  try {
    data = (parseYaml(source) ?? {}) as Record<string, unknown>;
  } catch (err) {
    problems.push(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const types = new Map<string, IncidentType>();
  const rawTypes = (data.types ?? {}) as Record<string, Record<string, unknown>>;
  for (const [id, t] of Object.entries(rawTypes)) {
    const where = `types.${id}`;
    if (!ID.test(id)) problems.push(`${where}: id must be kebab-case`);
    const article = typeof t?.article === 'string' ? t.article : '';
    if (!articleExists(article)) problems.push(`${where}.article "${article}" is not an article`);
    const list = (v: unknown, name: string) => texts(v, `${where}.${name}`, problems);
    const hours = t?.reportWithinHours;
    if (hours !== undefined && !(Number.isInteger(hours) && (hours as number) > 0))
      problems.push(`${where}.reportWithinHours must be a whole number of hours`);
    types.set(id, {
      id,
      label: text(t?.label, `${where}.label`, problems),
      article,
      routing: roles(t?.routing, `${where}.routing`, problems),
      urgent: t?.urgent === true,
      sexual: t?.sexual === true,
      reportWithinHours: typeof hours === 'number' && hours > 0 ? hours : undefined,
      do: list(t?.do, 'do'),
      dont: list(t?.dont, 'dont'),
    });
  }
  if (types.size === 0) problems.push('types: at least one incident type is needed');
  if (!types.has('anders')) problems.push('types: an "anders" (something else) type is needed');
  const rawInvolved = (data.involved ?? {}) as Record<string, unknown>;
  const involved = Object.fromEntries(
    INVOLVED.map((k) => [k, text(rawInvolved[k], `involved.${k}`, problems)]),
  ) as Record<Involved, Text>;
  const m = (data.meldplicht ?? {}) as Record<string, unknown>;
  const meldplicht: Meldplicht = {
    routing: roles(m.routing, 'meldplicht.routing', problems),
    article: String(m.article ?? ''),
    do: texts(m.do, 'meldplicht.do', problems),
    dont: texts(m.dont, 'meldplicht.dont', problems),
  };
  if (!articleExists(meldplicht.article))
    problems.push(`meldplicht.article "${meldplicht.article}" is not an article`);
  const staffAlsoRoutes =
    data.staffAlsoRoutes === undefined ? [] : roles(data.staffAlsoRoutes, 'staffAlsoRoutes', problems);
  return { catalog: { types, involved, meldplicht, staffAlsoRoutes }, problems };
}

export async function loadCatalog(
  file: string,
  articleExists: (slug: string) => boolean,
): Promise<IncidentCatalog> {
  const { catalog, problems } = parseCatalog(await readFile(file, 'utf8'), articleExists);
  if (problems.length) throw new KnowledgeError(`${file}: ${problems.join('; ')}`, problems);
  return catalog;
}
