import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { KnowledgeError } from '../errors.js';
import { compileSynonyms, NO_SYNONYMS, type Synonyms } from './text.js';

/** Reads `synonyms.yml` (canonical word → list of variants). A missing file means no synonyms. */
export async function loadSynonyms(file: string): Promise<Synonyms> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return NO_SYNONYMS;
    throw err;
  }
  const problems = synonymProblems(source);
  if (problems.length) throw new KnowledgeError(`${file}: ${problems.join('; ')}`, problems);
  return compileSynonyms(parseYaml(source) as Record<string, string[]>);
}

export function synonymProblems(source: string): string[] {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (err) {
    return [`not valid YAML: ${(err as Error).message.split('\n')[0]}`];
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return ['must be a mapping of word → list'];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
      problems.push(`"${k}" must map to a list of words`);
    }
  }
  return problems;
}
