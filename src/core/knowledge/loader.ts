import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KnowledgeError } from '../errors.js';
import { type AcuteConcern, parseAcute } from './acute.js';
import { type Article, type KnowledgeBase, REQUIRED_SLUGS, type Tip } from './model.js';
import { parseOutOfScope } from './out-of-scope.js';
import { articleLinks, parseArticle, parseTip } from './parse.js';
import { duplicatePhrasings, parseQuestionBank } from './question-bank.js';

export interface KnowledgeReport {
  readonly kb: KnowledgeBase;
  /** Problems per file (relative path → messages). Empty when the knowledge base is valid. */
  readonly problems: ReadonlyMap<string, readonly string[]>;
}

async function filesEndingIn(dir: string, ext: '.md' | '.yml'): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith(ext) && !f.startsWith('_') && f !== 'README.md')
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Reads `articles/` and `tips/` under a knowledge folder and checks everything `vangnet kb check` checks:
 * front matter, slug = file name, lengths, links and `related` resolving, tip articles existing, required slugs,
 * and the question bank (`questions/<slug>.yml`: an existing article, no phrasing twice). Bank phrasings are added
 * to their article's `questions`, so the search treats them like the front matter's.
 */
export async function checkKnowledge(dir: string): Promise<KnowledgeReport> {
  const problems = new Map<string, string[]>();
  const add = (file: string, msgs: readonly string[]) => {
    if (msgs.length) problems.set(file, [...(problems.get(file) ?? []), ...msgs]);
  };

  const articles: Article[] = [];
  for (const file of await filesEndingIn(join(dir, 'articles'), '.md')) {
    const parsed = parseArticle(basename(file, '.md'), await readFile(join(dir, 'articles', file), 'utf8'));
    add(`articles/${file}`, parsed.problems);
    if (parsed.value) articles.push(parsed.value);
  }
  await addQuestionBank(dir, articles, add);
  const bySlug = new Map(articles.map((a) => [a.slug, a]));

  for (const a of articles) {
    const file = `articles/${a.slug}.md`;
    const msgs: string[] = [];
    for (const r of a.related) {
      if (!bySlug.has(r)) msgs.push(`related "${r}" is not an article`);
      if (r === a.slug) msgs.push('related names the article itself');
    }
    for (const r of a.narrows ?? []) {
      if (!bySlug.has(r)) msgs.push(`narrows "${r}" is not an article`);
      if (r === a.slug) msgs.push('narrows names the article itself');
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
  for (const file of await filesEndingIn(join(dir, 'tips'), '.md')) {
    const parsed = parseTip(basename(file, '.md'), await readFile(join(dir, 'tips', file), 'utf8'));
    const msgs = [...parsed.problems];
    if (parsed.value?.article && !bySlug.has(parsed.value.article)) {
      msgs.push(`article "${parsed.value.article}" is not an article`);
    }
    add(`tips/${file}`, msgs);
    if (parsed.value) tips.push(parsed.value);
  }

  const outOfScope = await readOutOfScope(dir, articles, add);
  const acute = await readAcute(dir, bySlug, add);
  return { kb: { articles, tips, bySlug, outOfScope, acute }, problems };
}

async function addQuestionBank(
  dir: string,
  articles: Article[],
  add: (file: string, msgs: readonly string[]) => void,
): Promise<void> {
  const index = new Map(articles.map((a, i) => [a.slug, i]));
  for (const file of await filesEndingIn(join(dir, 'questions'), '.yml')) {
    const parsed = parseQuestionBank(
      basename(file, '.yml'),
      await readFile(join(dir, 'questions', file), 'utf8'),
    );
    const i = parsed.value ? index.get(parsed.value.slug) : undefined;
    const msgs = [...parsed.problems];
    if (parsed.value && i === undefined) msgs.push(`"${parsed.value.slug}" is not an article`);
    add(`questions/${file}`, msgs);
    const article = i === undefined ? undefined : articles[i];
    if (article && parsed.value && i !== undefined)
      articles[i] = { ...article, questions: [...article.questions, ...parsed.value.questions] };
  }
  add(
    'questions/',
    duplicatePhrasings(articles.flatMap((a) => a.questions.map((question) => ({ slug: a.slug, question })))),
  );
}

/** A file's text, or undefined when there is no such file (the optional parts of a knowledge base). */
async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The out-of-scope examples; one that is also an article's phrasing would send the search two ways. */
async function readOutOfScope(
  dir: string,
  articles: readonly Article[],
  add: (file: string, msgs: readonly string[]) => void,
): Promise<readonly string[]> {
  const source = await readOptional(join(dir, 'out-of-scope.yml'));
  if (source === undefined) return [];
  const { value = [], problems } = parseOutOfScope(source);
  const phrasings = [
    ...articles.flatMap((a) => a.questions.map((question) => ({ slug: a.slug, question }))),
    ...value.map((question) => ({ slug: 'out-of-scope.yml', question })),
  ];
  const clashes = duplicatePhrasings(phrasings).filter((m) => m.includes('out-of-scope.yml'));
  add('out-of-scope.yml', [...problems, ...clashes]);
  return value;
}

async function readAcute(
  dir: string,
  bySlug: ReadonlyMap<string, Article>,
  add: (file: string, msgs: readonly string[]) => void,
): Promise<readonly AcuteConcern[]> {
  const source = await readOptional(join(dir, 'acute.yml'));
  if (source === undefined) return [];
  const { value = [], problems } = parseAcute(source);
  const missing = value
    .filter((c) => !bySlug.has(c.article))
    .map((c) => `${c.id}: "${c.article}" is not an article`);
  add('acute.yml', [...problems, ...missing]);
  return value;
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
