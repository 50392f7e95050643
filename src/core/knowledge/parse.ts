import { parse as parseYaml } from 'yaml';
import {
  ARTICLE_WORDS,
  type Article,
  DONT_STEPS_HEADING,
  FIRST_STEPS_HEADING,
  LEVELS,
  type Level,
  ROLE_IDS,
  type RoleId,
  type Section,
  SUMMARY_MAX,
  TIP_TOPICS,
  TIP_WORDS,
  TITLE_MAX,
  type Tip,
  type TipTopic,
} from './model.js';

/** A parse result: the value when it is valid enough to use, and every problem found. */
export interface Parsed<T> {
  readonly value?: T;
  readonly problems: string[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A YAML document that must be a mapping (`shape` describes it for the message), or the problem with it. */
export function parseYamlMapping(
  source: string,
  shape: string,
): { readonly data?: Record<string, unknown>; readonly problems: string[] } {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (err) {
    return { problems: [`not valid YAML: ${(err as Error).message.split('\n')[0]}`] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { problems: [`must be a mapping of ${shape}`] };
  return { data: data as Record<string, unknown>, problems: [] };
}

export function countWords(markdown: string): number {
  return markdown.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function splitFrontMatter(
  source: string,
  problems: string[],
): { meta: Record<string, unknown>; body: string } {
  const m = FRONT_MATTER.exec(source.replace(/^\uFEFF/, ''));
  if (!m) {
    problems.push('missing front matter (a block between --- lines at the top)');
    return { meta: {}, body: source };
  }
  try {
    const meta = parseYaml(m[1] ?? '') as unknown;
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
      problems.push('front matter is not a YAML mapping');
      return { meta: {}, body: m[2] ?? '' };
    }
    return { meta: meta as Record<string, unknown>, body: m[2] ?? '' };
  } catch (err) {
    problems.push(`front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return { meta: {}, body: m[2] ?? '' };
  }
}

function str(meta: Record<string, unknown>, key: string, problems: string[], max?: number): string {
  const v = meta[key];
  if (typeof v !== 'string' || v.trim() === '') {
    problems.push(`"${key}" must be a non-empty text`);
    return '';
  }
  if (max !== undefined && v.length > max)
    problems.push(`"${key}" is ${v.length} characters; at most ${max}`);
  return v.trim();
}

function strList(meta: Record<string, unknown>, key: string, problems: string[], required = true): string[] {
  const v = meta[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    problems.push(`"${key}" must be a list of texts`);
    return [];
  }
  return v.map((x) => String(x).trim()).filter(Boolean);
}

function enumList<T extends string>(
  meta: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  problems: string[],
): T[] {
  const list = strList(meta, key, problems);
  const bad = list.filter((x) => !allowed.includes(x as T));
  if (bad.length)
    problems.push(`"${key}" has unknown values ${bad.join(', ')}; allowed: ${allowed.join(', ')}`);
  if (list.length === 0) problems.push(`"${key}" must name at least one of ${allowed.join(', ')}`);
  return list.filter((x): x is T => allowed.includes(x as T));
}

/** Splits markdown into sections at `## ` headings. */
export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let heading = '';
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text || heading) sections.push({ heading, text });
  };
  for (const line of body.split(/\r?\n/)) {
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      heading = h[1] ?? '';
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

/** Markdown inline to plain text: links keep their label, emphasis marks go. */
export function inlineToPlain(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)/g, '')
    .trim();
}

function listItems(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => /^\s*(?:\d+[.)]|[-*])\s+(.+)$/.exec(l)?.[1])
    .filter((x): x is string => Boolean(x))
    .map(inlineToPlain);
}

/** Links to sibling articles: `[label](other-slug.md)`. */
export function articleLinks(body: string): string[] {
  return [...body.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

export function parseArticle(fileSlug: string, source: string): Parsed<Article> {
  const problems: string[] = [];
  const { meta, body } = splitFrontMatter(source, problems);
  const slug = str(meta, 'slug', problems);
  if (slug && slug !== fileSlug) problems.push(`slug "${slug}" differs from the file name "${fileSlug}.md"`);
  if (!SLUG.test(fileSlug)) problems.push(`file name "${fileSlug}" is not a kebab-case slug`);
  const title = str(meta, 'title', problems, TITLE_MAX);
  const summary = str(meta, 'summary', problems, SUMMARY_MAX);
  const tags = strList(meta, 'tags', problems).map((t) => t.toLowerCase());
  const levels = enumList<Level>(meta, 'levels', LEVELS, problems);
  const roles = enumList<RoleId>(meta, 'roles', ROLE_IDS, problems);
  if (meta.incident !== undefined && typeof meta.incident !== 'boolean')
    problems.push('"incident" must be true or false');
  const incident = meta.incident === true;
  const questions = strList(meta, 'questions', problems, false);
  const related = strList(meta, 'related', problems, false);
  const narrows = strList(meta, 'narrows', problems, false);
  const wordCount = countWords(body);
  if (wordCount < ARTICLE_WORDS.min || wordCount > ARTICLE_WORDS.max) {
    problems.push(`body has ${wordCount} words; expected ${ARTICLE_WORDS.min}–${ARTICLE_WORDS.max}`);
  }
  const sections = splitSections(body);
  const section = (heading: string) =>
    sections.find((s) => s.heading.toLowerCase() === heading.toLowerCase());
  const steps = section(FIRST_STEPS_HEADING);
  if (incident && !steps) problems.push(`incident article needs a "## ${FIRST_STEPS_HEADING}" section`);
  const firstSteps = steps ? listItems(steps.text) : [];
  const dontSteps = listItems(section(DONT_STEPS_HEADING)?.text ?? '');
  const article: Article = {
    slug: fileSlug,
    title,
    summary,
    tags,
    levels,
    roles,
    incident,
    questions,
    related,
    ...(narrows.length ? { narrows } : {}),
    body,
    sections,
    firstSteps,
    dontSteps,
    wordCount,
  };
  return { value: article, problems };
}

export function parseTip(fileId: string, source: string): Parsed<Tip> {
  const problems: string[] = [];
  const { meta, body } = splitFrontMatter(source, problems);
  const id = str(meta, 'id', problems);
  if (id && id !== fileId) problems.push(`id "${id}" differs from the file name "${fileId}.md"`);
  const title = str(meta, 'title', problems, TITLE_MAX);
  const article = str(meta, 'article', problems);
  const levels = enumList<Level>(meta, 'levels', LEVELS, problems);
  const topicRaw = str(meta, 'topic', problems);
  if (topicRaw && !TIP_TOPICS.includes(topicRaw as TipTopic)) {
    problems.push(`"topic" "${topicRaw}" is unknown; allowed: ${TIP_TOPICS.join(', ')}`);
  }
  const text = body.trim();
  const wordCount = countWords(text);
  if (wordCount < TIP_WORDS.min || wordCount > TIP_WORDS.max) {
    problems.push(`tip text has ${wordCount} words; expected ${TIP_WORDS.min}–${TIP_WORDS.max}`);
  }
  return {
    value: { id: fileId, title, article, levels, topic: topicRaw as TipTopic, text, wordCount },
    problems,
  };
}
