import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { KnowledgeError } from '../errors.js';

export type Region = 'noord' | 'midden' | 'zuid';
export type RegionalHolidays = Readonly<
  Record<Region, readonly { readonly from: string; readonly to: string; readonly name?: string }[]>
>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `knowledge/holidays.yml`; every problem is named. */
export function parseHolidays(source: string): { holidays: RegionalHolidays; problems: string[] } {
  const problems: string[] = [];
  const empty: RegionalHolidays = { noord: [], midden: [], zuid: [] };
  let data: { regions?: Record<string, unknown> };
  try {
    data = (parseYaml(source) ?? {}) as typeof data;
  } catch (err) {
    return { holidays: empty, problems: [`not valid YAML: ${(err as Error).message.split('\n')[0]}`] };
  }
  const out: Record<Region, { from: string; to: string; name?: string }[]> = {
    noord: [],
    midden: [],
    zuid: [],
  };
  for (const region of ['noord', 'midden', 'zuid'] as const) {
    const list = data.regions?.[region];
    if (!Array.isArray(list)) {
      problems.push(`regions.${region} must be a list`);
      continue;
    }
    list.forEach((h: Record<string, unknown>, i: number) => {
      const from = String(h?.from ?? '');
      const to = String(h?.to ?? '');
      if (!DATE.test(from) || !DATE.test(to) || to < from)
        problems.push(`regions.${region}[${i}] needs from ≤ to as YYYY-MM-DD`);
      else out[region].push({ from, to, name: typeof h.name === 'string' ? h.name : undefined });
    });
  }
  return { holidays: out, problems };
}

export async function loadHolidays(file: string): Promise<RegionalHolidays> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    return { noord: [], midden: [], zuid: [] };
  }
  const { holidays, problems } = parseHolidays(source);
  if (problems.length) throw new KnowledgeError(`${file}: ${problems.join('; ')}`, problems);
  return holidays;
}
