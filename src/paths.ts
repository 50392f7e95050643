import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (the folder with package.json), found from this file's location so it works both from
 * `src/` under tsx and from compiled `dist/src/`.
 */
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cards'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the Vangnet project root above ${start}`);
    dir = parent;
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const cardsDir = join(projectRoot, 'cards');
export const knowledgeDir = join(projectRoot, 'knowledge');
export const manifestDir = join(projectRoot, 'manifest');
