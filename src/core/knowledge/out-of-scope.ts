import { type Parsed, parseYamlMapping } from './parse.js';

/**
 * `knowledge/out-of-scope.yml`: example questions Vangnet does not answer, grouped by topic (topic → list). The
 * search scores a question against them like against an article; the decision turns a question that fits them
 * better than any article into "Daar help ik niet mee".
 */
export function parseOutOfScope(source: string): Parsed<readonly string[]> {
  const { data, problems: yamlProblems } = parseYamlMapping(source, 'topic → list of example questions');
  if (!data) return { problems: yamlProblems };
  const problems: string[] = [];
  const examples: string[] = [];
  for (const [topic, list] of Object.entries(data)) {
    if (!Array.isArray(list) || list.some((q) => typeof q !== 'string' || q.trim() === '')) {
      problems.push(`"${topic}" must be a list of non-empty texts`);
      continue;
    }
    examples.push(...list.map((q: string) => q.trim()));
  }
  return { value: examples, problems };
}
