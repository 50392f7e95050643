import { type Parsed, parseYamlMapping } from './parse.js';
import { normalize } from './text.js';

/**
 * The question bank: `knowledge/questions/<slug>.yml`, many phrasings of how staff ask for one article. The
 * search indexes each phrasing as a target of its own, like the `questions` in an article's front matter.
 */
export interface QuestionBank {
  readonly slug: string;
  readonly questions: readonly string[];
}

/** One bank file: `slug:` (the file name) and a `questions:` list of texts. */
export function parseQuestionBank(fileSlug: string, source: string): Parsed<QuestionBank> {
  const problems: string[] = [];
  const { data, problems: yamlProblems } = parseYamlMapping(source, '"slug" and "questions"');
  if (!data) return { problems: yamlProblems };
  const { slug, questions } = data as { slug?: unknown; questions?: unknown };
  if (slug !== fileSlug) problems.push(`slug "${String(slug)}" differs from the file name "${fileSlug}.yml"`);
  if (!Array.isArray(questions) || questions.some((q) => typeof q !== 'string' || q.trim() === '')) {
    problems.push('"questions" must be a list of non-empty texts');
    return { problems };
  }
  return { value: { slug: fileSlug, questions: questions.map((q: string) => q.trim()) }, problems };
}

/**
 * Phrasings that say the same thing twice, compared normalised (case, accents and punctuation ignored): within
 * one article they only weigh it twice, across two articles they make the search guess.
 */
export function duplicatePhrasings(
  phrasings: readonly { readonly slug: string; readonly question: string }[],
): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const { slug, question } of phrasings) {
    const key = normalize(question);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, slug);
    else
      problems.push(
        earlier === slug
          ? `"${question}" is in ${slug} twice`
          : `"${question}" is in both ${earlier} and ${slug}`,
      );
  }
  return problems;
}
