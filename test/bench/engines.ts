import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { Answerer, type AnswerPlan } from '../../src/core/answers/answerer.js';
import type { Article, KnowledgeBase } from '../../src/core/knowledge/model.js';
import { DEFAULT_TUNING, KnowledgeIndex } from '../../src/core/knowledge/search.js';
import type { Synonyms } from '../../src/core/knowledge/text.js';

/**
 * The engines under test behind one small interface. `search` is what gets timed; `topSlugs` turns its result
 * into ranked slugs afterwards, outside the timed region.
 */

export interface Searcher<R> {
  search(query: string): R;
  topSlugs(result: R, n: number): string[];
  /** Whether the engine itself would answer (only engines that can decline implement this). */
  answered?(result: R): boolean;
}

export interface Engine<R = unknown> {
  readonly name: string;
  /** One line on how the engine is configured, for the report. */
  readonly description: string;
  build(articles: readonly Article[]): Searcher<R>;
}

/**
 * Ours, as the bot runs it: the whole answer path (small talk, acute terms, who-questions, cleaning, search and the
 * decision to answer or ask), over Dutch analysis, synonyms, BM25F over metadata, phrasings and sections, typo
 * candidates and the out-of-scope examples.
 */
export function vangnetEngine(
  synonyms: Synonyms,
  extras: Pick<KnowledgeBase, 'outOfScope' | 'acute'>,
): Engine<AnswerPlan> {
  return {
    name: 'vangnet',
    description:
      'new Answerer({ kb, index: KnowledgeIndex.build(articles, synonyms, DEFAULT_TUNING, outOfScope) }).plan(query)',
    build(articles) {
      const index = KnowledgeIndex.build(articles, synonyms, DEFAULT_TUNING, extras.outOfScope);
      const kb = { articles, tips: [], bySlug: new Map(articles.map((a) => [a.slug, a])), ...extras };
      const answerer = new Answerer({ kb, index });
      return {
        search: (query) => answerer.plan(query),
        topSlugs: (plan, n) => plan.search.results.slice(0, n).map((r) => r.slug),
        answered: (plan) => plan.kind === 'answer',
      };
    },
  };
}

/** One document per article, as the plain libraries would index it: metadata plus the whole markdown body. */
interface FlatDoc {
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly questions: readonly string[];
  readonly body: string;
}

const FIELDS = ['title', 'summary', 'tags', 'questions', 'body'] as const;
type Field = (typeof FIELDS)[number];

function flatten(articles: readonly Article[]): FlatDoc[] {
  return articles.map(({ slug, title, summary, tags, questions, body }) => ({
    slug,
    title,
    summary,
    tags,
    questions,
    body,
  }));
}

/**
 * Baseline: plain fuse.js over whole articles. Generic options only: diacritics ignored, match anywhere in the
 * text, the same field boosts minisearch gets; no stemming, synonyms or stopwords.
 */
export const fuseEngine: Engine<ReturnType<Fuse<FlatDoc>['search']>> = {
  name: 'fuse.js',
  description:
    'new Fuse(docs, { keys: title×3 tags×2 questions×2 summary body, includeScore, ignoreLocation, threshold: 0.6, ignoreDiacritics }); search(q, { limit: 5 })',
  build(articles) {
    const fuse = new Fuse(flatten(articles), {
      keys: [
        { name: 'title', weight: 3 },
        { name: 'summary', weight: 1 },
        { name: 'tags', weight: 2 },
        { name: 'questions', weight: 2 },
        { name: 'body', weight: 1 },
      ],
      includeScore: true,
      ignoreLocation: true,
      ignoreDiacritics: true,
      threshold: 0.6,
    });
    return {
      search: (query) => fuse.search(query, { limit: 5 }),
      topSlugs: (result, n) => result.slice(0, n).map((r) => r.item.slug),
    };
  },
};

/** Lower case and no diacritics: the generic normalisation any minisearch setup would add. */
function foldTerm(term: string): string {
  return term
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Prefix and fuzzy matching only for terms longer than 3 characters, as the minisearch docs suggest: without it
 * every "de" or "op" in a question expands to thousands of terms (3× slower at 10k articles, and less accurate).
 */
const longTerm = (term: string): boolean => term.length > 3;

/** Baseline: minisearch (BM25 with prefix and fuzzy matching); no Dutch stemming, synonyms or stopwords. */
export const miniSearchEngine: Engine<ReturnType<MiniSearch<FlatDoc>['search']>> = {
  name: 'minisearch',
  description:
    "new MiniSearch({ fields: title summary tags questions body, idField: 'slug', boost: title×3 tags×2 questions×2, fuzzy: 0.2 and prefix for terms > 3 chars, diacritics folded })",
  build(articles) {
    const mini = new MiniSearch<FlatDoc>({
      idField: 'slug',
      fields: [...FIELDS],
      storeFields: ['slug'],
      extractField: (doc, field) => {
        const value = doc[field as Field | 'slug'];
        return Array.isArray(value) ? value.join(' ') : value;
      },
      processTerm: foldTerm,
      searchOptions: {
        boost: { title: 3, tags: 2, questions: 2 },
        fuzzy: (term) => (longTerm(term) ? 0.2 : false),
        prefix: longTerm,
      },
    });
    mini.addAll(flatten(articles));
    return {
      search: (query) => mini.search(query),
      topSlugs: (result, n) => result.slice(0, n).map((r) => String(r.id)),
    };
  },
};
