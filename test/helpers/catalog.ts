import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IncidentCatalog, parseCatalog } from '../../src/core/escalation/catalog.js';
import { REQUIRED_SLUGS } from '../../src/core/knowledge/model.js';
import { knowledgeDir } from '../../src/paths.js';

/**
 * The shipped `knowledge/incidents.yml`, parsed without loading the articles: a linked article counts as present
 * when it is one of the required slugs. `problems` says what is wrong with the file, if anything.
 */
export function shippedCatalog(): { catalog: IncidentCatalog; problems: string[] } {
  const slugs = new Set<string>(REQUIRED_SLUGS);
  return parseCatalog(readFileSync(join(knowledgeDir, 'incidents.yml'), 'utf8'), (s) => slugs.has(s));
}
