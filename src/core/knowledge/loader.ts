import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KnowledgeError } from '../errors.js';
import { type Article, type KnowledgeBase, REQUIRED_SLUGS, type Tip } from './model.js';
import { articleLinks, parseArticle, parseTip } from './parse.js';

export interface KnowledgeReport {
  readonly kb: KnowledgeBase;
  /** Problems per file (relative path → messages). Empty when the knowledge base is valid. */
  readonly problems: ReadonlyMap<string, readonly string[]>;
}

async function mdFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.md') && !f.startsWith('_') && f !== 'README.md')
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Reads `articles/` and `tips/` under a knowledge folder and checks everything `vangnet kb check` checks:
 * front matter, slug = file name, lengths, links and `related` resolving, tip articles existing, required slugs.
 */
export async function checkKnowledge(dir: string): Promise<KnowledgeReport> {
  const problems = new Map<string, string[]>();
  const add = (file: string, msgs: readonly string[]) => {
    if (msgs.length) problems.set(file, [...(problems.get(file) ?? []), ...msgs]);
  };

  const articles: Article[] = [];
  for (const file of await mdFiles(join(dir, 'articles'))) {
    const parsed = parseArticle(basename(file, '.md'), await readFile(join(dir, 'articles', file), 'utf8'));
    add(`articles/${file}`, parsed.problems);
    if (parsed.value) articles.push(parsed.value);
  }
  const bySlug = new Map(articles.map((a) => [a.slug, a]));

  for (const a of articles) {
    const file = `articles/${a.slug}.md`;
    const msgs: string[] = [];
    for (const r of a.related) {
      if (!bySlug.has(r)) msgs.push(`related "${r}" is not an article`);
      if (r === a.slug) msgs.push('related names the article itself');
    }
    for (const link of articleLinks(a.body)) {
      if (/^(https?:|mailto:|tel:)/.test(link)) continue;
      const target = /^([a-z0-9-]+)\.md(#.*)?$/.exec(link)?.[1];
      if (!target || !bySlug.has(target))
        msgs.push(`link "${link}" does not point to an article (use other-slug.md)`);
    }
    add(file, msgs);
  }
  const missing = REQUIRED_SLUGS.filter((s) => !bySlug.has(s));
  if (missing.length) add('articles/', [`required articles missing: ${missing.join(', ')}`]);

  const tips: Tip[] = [];
  for (const file of await mdFiles(join(dir, 'tips'))) {
    const parsed = parseTip(basename(file, '.md'), await readFile(join(dir, 'tips', file), 'utf8'));
    const msgs = [...parsed.problems];
    if (parsed.value?.article && !bySlug.has(parsed.value.article)) {
      msgs.push(`article "${parsed.value.article}" is not an article`);
    }
    add(`tips/${file}`, msgs);
    if (parsed.value) tips.push(parsed.value);
  }

  return { kb: { articles, tips, bySlug }, problems };
}

/** Loads the knowledge base for the running bot; refuses to start on an invalid one. */
export async function loadKnowledge(dir: string): Promise<KnowledgeBase> {
  const { kb, problems } = await checkKnowledge(dir);
  if (problems.size > 0) {
    const lines = [...problems].flatMap(([f, msgs]) => msgs.map((m) => `${f}: ${m}`));
    throw new KnowledgeError(
      `The knowledge base in ${dir} has ${lines.length} problem(s); run "vangnet kb check":\n  ${lines.slice(0, 20).join('\n  ')}`,
      lines,
    );
  }
  return kb;
}
