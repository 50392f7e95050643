import { withoutNames } from '../privacy.js';
import type { Article } from './model.js';
import { inlineToPlain } from './parse.js';
import { NO_SYNONYMS, normalize, STOPWORDS, type Synonyms, stem, stemVariants, words } from './text.js';
import { knownWords } from './vocabulary.js';

/**
 * Dutch-aware retrieval over the knowledge base.
 *
 * - Every article is split into targets: one for its metadata (title, tags, example questions, summary) and
 *   one per `## ` section, so a match deep in a long article counts as much as one at the top.
 * - Terms are normalised, mapped through the synonym table, stopword-filtered and stemmed; an inverted index
 *   maps each stem to the targets that contain it, with a BM25F weight per target. A query only touches the
 *   posting lists of its own terms, so its cost does not grow with the whole corpus.
 * - Typos: a query word the vocabulary does not know gets candidates from a deletion index over the surface
 *   vocabulary (all words one deletion apart); the closest by edit distance (a swapped pair of letters is one
 *   edit) wins, and between equally close ones the word the knowledge base uses most, as in a classic spelling
 *   corrector. (fuse.js scored these candidates before, but its bitap score rejects swapped letters — "greop" for
 *   "groep" — and ranked "cant" above "chat" for "caht".) A slip in a function word is not repaired into a topic.
 * - Confidence combines how much of the query the best article covers (by IDF) with its BM25 score, scaled to
 *   0..1. Words the index cannot place do not count against it. Whether the best article is an answer is decided
 *   elsewhere (`answers/decision.ts`), from the score and the margin to the runner-up.
 * - Out-of-scope examples are indexed as one more pseudo-article; their relevance comes back as `offTopic`.
 */

export interface SearchHit {
  readonly slug: string;
  readonly title: string;
  /** Confidence, 0..1, higher is better. */
  readonly score: number;
  /** Share of the query's weight (IDF) this article matches, 0..1. */
  readonly coverage: number;
  /**
   * Unbounded relevance behind `score` (BM25F weighted by coverage): comparing two hits' relevance says how
   * close they are, which the decision to answer or ask needs.
   */
  readonly relevance: number;
  readonly article: Article;
  /** Heading of the section that matched best, if a section did. */
  readonly section?: string;
}

/** What the search found; whether that is an answer is for the decision (`answers/decision.ts`) to say. */
export interface SearchResponse {
  readonly query: string;
  readonly results: readonly SearchHit[];
  /** Relevance of the out-of-scope examples to the query, on the same scale as a hit's `relevance`. */
  readonly offTopic: number;
}

export interface SearchTuning {
  readonly k1: number;
  readonly b: number;
  readonly weights: Readonly<Record<FieldName, number>>;
  /** Weight of the best section's score added to the metadata target's score. */
  readonly sectionWeight: number;
  /** Weight of the best single example question's score. */
  readonly questionWeight: number;
  /** Weight of the second-best example question's score. */
  readonly secondQuestionWeight: number;
  /** Raw score at which the score part of the confidence is one half. */
  readonly halfScore: number;
  /** How strongly the share of the query an article covers weighs against its raw BM25 score. */
  readonly coverageExponent: number;
  /** Query terms with a lower IDF are not scored (and not counted for coverage): they are in nearly everything. */
  readonly minIdf: number;
  /** The same for very common terms (see `commonShare`) when the query has rarer ones. */
  readonly minCommonIdf: number;
  /** A term is "common" above this many targets and this share of all targets: it then only refines candidates. */
  readonly commonMinTargets: number;
  readonly commonShare: number;
}

type FieldName = 'title' | 'tags' | 'summary' | 'question' | 'bag' | 'heading' | 'text';

/**
 * Tuned for the decision to answer or ask, not only for the first result: on the tuning set and on the question
 * bank (each fifth of it left out in turn and asked), the weights that answer the most questions right at no more
 * than 2 % answered wrong. Short fields (title, tags) weigh less than they used to and the example phrasings more:
 * with 40–60 phrasings an article, how people ask is the strongest evidence of what they mean.
 */
export const DEFAULT_TUNING: SearchTuning = {
  k1: 12,
  b: 0.3,
  weights: { title: 1.5, tags: 1.5, summary: 1.5, question: 1, bag: 0.15, heading: 1.5, text: 1 },
  sectionWeight: 0.2,
  questionWeight: 1.5,
  secondQuestionWeight: 1,
  halfScore: 6,
  coverageExponent: 0.5,
  minIdf: 0.5,
  minCommonIdf: 2,
  commonMinTargets: 2000,
  commonShare: 0.1,
};

/** Query words beyond this many are ignored (a pasted chat log is not a query). */
const MAX_QUERY_TERMS = 24;
const MAX_QUERY_CHARS = 1000;
/** Weight of a query word repaired with one or two edits: a repaired word is likely, not certain. */
const FUZZY_WEIGHT: readonly number[] = [0.9, 0.8, 0.65];
/** Words this long are also looked up with two letters left out (see `fuzzy`). */
const LONG_WORD = 9;

interface Target {
  readonly article: number;
  readonly kind: 'meta' | 'question' | 'section';
  /** Section index for `section` targets. */
  readonly section: number;
}

interface Posting {
  readonly targets: Int32Array;
  /** The article of each target, kept beside it so the hot loop reads only typed arrays. */
  readonly articles: Int32Array;
  /** BM25 term weight per target, saturation already applied (idf is applied per query). */
  readonly weights: Float32Array;
}

const KIND_META = 0;
const KIND_QUESTION = 1;
const KIND_SECTION = 2;

interface Scored {
  readonly ai: number;
  readonly raw: number;
  readonly coverage: number;
  readonly key: number;
  readonly conf: number;
  readonly section?: number;
}

/** Keeps the best `k` entries in order (confidence, then raw score): no sort of every matching article. */
function insertTopK(list: Scored[], item: Scored, k: number): void {
  const better = (a: Scored, b: Scored) => a.conf > b.conf || (a.conf === b.conf && a.raw > b.raw);
  if (list.length === k && !better(item, list[k - 1] as Scored)) return;
  let i = list.length;
  while (i > 0 && better(item, list[i - 1] as Scored)) i--;
  list.splice(i, 0, item);
  if (list.length > k) list.pop();
}

interface QueryTerm {
  readonly stem: string;
  readonly weight: number;
}

export class KnowledgeIndex {
  private readonly targets: Target[] = [];
  private readonly postings = new Map<string, Posting>();
  /** Surface word (normalised) → canonical stem. */
  private readonly surface = new Map<string, string>();
  private readonly stems = new Set<string>();
  /** Deletion key → surface words, for typo candidates. */
  private readonly deletions = new Map<string, string[]>();
  private readonly idf = new Map<string, number>();
  /** Scratch buffers reused across queries; only touched entries are reset. */
  private readonly scratch: Float64Array;
  /** The targets as typed arrays, for the hot loops. */
  private readonly targetArticle: Int32Array;
  private readonly targetSection: Int32Array;
  private readonly targetKind: Uint8Array;
  private readonly seen: Uint8Array;
  private readonly masks: Uint32Array;
  private readonly articleSeen: Uint8Array;
  private readonly candidate: Uint8Array;
  private readonly metaScore: Float64Array;
  private readonly questionScore: Float64Array;
  /** Second-best example question per article: two phrasings that fit are better evidence than one. */
  private readonly questionScore2: Float64Array;
  private readonly sectionScore: Float64Array;
  private readonly sectionIndex: Int32Array;

  /** Index of the pseudo-article that holds the out-of-scope examples, or -1 without them. */
  private readonly offTopicArticle: number;

  private constructor(
    readonly articles: readonly Article[],
    private readonly synonyms: Synonyms,
    private readonly tuning: SearchTuning,
    outOfScope: readonly string[],
  ) {
    // The out-of-scope examples are indexed like one more article whose phrasings are off-topic questions, in the
    // same term statistics: how well a question fits "not ours" is then measured like how well it fits an article.
    const all = outOfScope.length ? [...articles, offTopicPseudoArticle(outOfScope)] : articles;
    this.offTopicArticle = outOfScope.length ? articles.length : -1;
    // Example phrasings are written the way teachers type, pupils' first names included: a name is never a term.
    const editorWords = knownWords(articles, synonyms);
    // A word written with a capital somewhere in the phrasings that editors never use is a name ("Sanne",
    // "Yusuf"): it is dropped from every phrasing, also where a chat-style one writes it in lower case, and from
    // questions (see `analyzeQuery`).
    for (const a of all)
      for (const q of a.questions)
        for (const w of q.match(/\p{Lu}\p{Ll}+/gu) ?? []) {
          const n = normalize(w);
          if (!editorWords.has(n)) this.names.add(n);
        }
    const phrasings = all.map((a) =>
      a.questions.map((q) =>
        withoutNames(q, (w) => editorWords.has(normalize(w))).replace(/\p{L}+/gu, (w) =>
          this.names.has(normalize(w)) ? ' ' : w,
        ),
      ),
    );
    this.editorWords = editorWords;
    const fieldsPerTarget: Map<FieldName, string[]>[] = [];
    all.forEach((a, ai) => {
      this.targets.push({ article: ai, kind: 'meta', section: -1 });
      fieldsPerTarget.push(
        new Map<FieldName, string[]>([
          ['title', this.analyzeRaw(a.title)],
          ['tags', this.analyzeRaw(a.tags.join(' '))],
          ['summary', this.analyzeRaw(a.summary)],
          // All phrasings together as one bag of words: the vocabulary people use for this article.
          ['bag', (phrasings[ai] ?? []).flatMap((q) => this.analyzeRaw(q))],
        ]),
      );
      // Each example question is also a target of its own: a query close to one phrasing should not be
      // drowned by the other phrasings of the same article.
      for (const q of phrasings[ai] ?? []) {
        this.targets.push({ article: ai, kind: 'question', section: -1 });
        fieldsPerTarget.push(new Map<FieldName, string[]>([['question', this.analyzeRaw(q)]]));
      }
      a.sections.forEach((s, si) => {
        this.targets.push({ article: ai, kind: 'section', section: si });
        fieldsPerTarget.push(
          new Map<FieldName, string[]>([
            ['heading', this.analyzeRaw(s.heading)],
            ['text', this.analyzeRaw(inlineToPlain(s.text))],
          ]),
        );
      });
    });

    // Pass 2: canonical stems now that the whole vocabulary is known.
    const canon = new Map<string, string>();
    for (const [word, s] of this.surface) {
      const better = stemVariants(word).find((v) => v !== s && this.stems.has(v));
      canon.set(word, better ?? s);
    }
    // Synonym variants are replaced before indexing, so a typo in one ("naaktfto") would find nothing: give
    // them a place in the typo index, pointing at their canonical word's stem.
    for (const [variant, canonical] of synonyms.words) {
      const target = canon.get(canonical.split(' ')[0] ?? '');
      if (target && !canon.has(variant)) canon.set(variant, target);
    }
    // So do the words of a multi-word variant that lead to the same place on their own ("sociale" of "sociale
    // media"), so that "socale media" is repaired too.
    for (const [phrase] of synonyms.phrases)
      for (const part of phrase.split(' ')) {
        if (part.length < 5 || canon.has(part)) continue;
        const alone = words(part, synonyms);
        const target = alone.length === 1 ? canon.get(alone[0] as string) : undefined;
        if (target) canon.set(part, target);
      }
    this.surface = canon;
    this.stems = new Set(canon.values());
    for (const word of canon.keys()) {
      if (word.length < 4) continue;
      for (const key of [word, ...deletions1(word)]) {
        const list = this.deletions.get(key);
        if (list) list.push(word);
        else this.deletions.set(key, [word]);
      }
    }

    // BM25F: per target, per stem, the length-normalised weighted term frequency.
    const avgLen = new Map<FieldName, number>();
    const lenSum = new Map<FieldName, [number, number]>();
    for (const fields of fieldsPerTarget) {
      for (const [f, ws] of fields) {
        const [sum, n] = lenSum.get(f) ?? [0, 0];
        lenSum.set(f, [sum + ws.length, n + 1]);
      }
    }
    for (const [f, [sum, n]] of lenSum) avgLen.set(f, Math.max(1, sum / Math.max(1, n)));

    const build = new Map<string, { t: number[]; w: number[] }>();
    fieldsPerTarget.forEach((fields, ti) => {
      const wtf = new Map<string, number>();
      for (const [f, ws] of fields) {
        const norm = 1 - tuning.b + (tuning.b * ws.length) / (avgLen.get(f) ?? 1);
        for (const w of ws) {
          const s = canon.get(w) ?? w;
          wtf.set(s, (wtf.get(s) ?? 0) + tuning.weights[f] / norm);
        }
      }
      for (const [s, v] of wtf) {
        const p = build.get(s) ?? { t: [], w: [] };
        p.t.push(ti);
        p.w.push(v);
        build.set(s, p);
      }
    });
    // Document frequency per target: a word in many sections or example phrasings is common, even within one article.
    const n = this.targets.length;
    for (const [s, p] of build) {
      this.postings.set(s, {
        targets: Int32Array.from(p.t),
        articles: Int32Array.from(p.t, (ti) => (this.targets[ti] as Target).article),
        weights: Float32Array.from(p.w, (wtf) => (wtf * (tuning.k1 + 1)) / (wtf + tuning.k1)),
      });
      const df = p.t.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.idf.set(s, idf);
    }
    this.scratch = new Float64Array(this.targets.length);
    this.targetArticle = Int32Array.from(this.targets, (t) => t.article);
    this.targetSection = Int32Array.from(this.targets, (t) => t.section);
    this.targetKind = Uint8Array.from(this.targets, (t) =>
      t.kind === 'meta' ? KIND_META : t.kind === 'question' ? KIND_QUESTION : KIND_SECTION,
    );
    this.seen = new Uint8Array(this.targets.length);
    this.masks = new Uint32Array(all.length);
    this.articleSeen = new Uint8Array(all.length);
    this.candidate = new Uint8Array(all.length);
    this.metaScore = new Float64Array(all.length);
    this.questionScore = new Float64Array(all.length);
    this.questionScore2 = new Float64Array(all.length);
    this.sectionScore = new Float64Array(all.length);
    this.sectionIndex = new Int32Array(all.length);
  }

  /** `outOfScope`: example questions Vangnet does not answer (`knowledge/out-of-scope.yml`). */
  /** Whether the index knows a word as typed (after normalisation and synonyms), without typo repair. */
  knows(word: string): boolean {
    return words(word, this.synonyms).every((w) => STOPWORDS.has(w) || this.surface.has(w));
  }

  /** The words editors used in the knowledge base: what a question stored for them may keep. */
  get knownWords(): ReadonlySet<string> {
    return this.editorWords;
  }

  private readonly editorWords: ReadonlySet<string>;
  /** Names seen in the example phrasings (see the constructor): never a search term. */
  private readonly names = new Set<string>();

  static build(
    articles: readonly Article[],
    synonyms: Synonyms = NO_SYNONYMS,
    tuning = DEFAULT_TUNING,
    outOfScope: readonly string[] = [],
  ) {
    return new KnowledgeIndex(articles, synonyms, tuning, outOfScope);
  }

  /** Index-time analysis: records every surface word and its stem; returns the words kept. */
  private analyzeRaw(text: string): string[] {
    const out: string[] = [];
    for (const w of words(text, this.synonyms)) {
      if (STOPWORDS.has(w) || w.length < 2) continue;
      if (!this.surface.has(w)) {
        const s = stem(w);
        this.surface.set(w, s);
        this.stems.add(s);
      }
      out.push(w);
    }
    return out;
  }

  /** Query words → weighted stems the index knows; words it cannot place are left out. */
  private analyzeQuery(query: string): QueryTerm[] {
    const byStem = new Map<string, number>();
    const add = (s: string, w: number) => byStem.set(s, Math.max(byStem.get(s) ?? 0, w));
    const ws = words(query.slice(0, MAX_QUERY_CHARS), this.synonyms).filter(
      (w) => !STOPWORDS.has(w) && w.length >= 2,
    );
    for (const w of ws.slice(0, MAX_QUERY_TERMS)) {
      if (this.names.has(w)) continue;
      const known = this.surface.get(w);
      if (known) {
        add(known, 1);
        continue;
      }
      const s = stem(w);
      const variant = [s, ...stemVariants(w)].find((v) => this.stems.has(v));
      if (variant) {
        add(variant, 1);
        continue;
      }
      const parts = this.splitCompound(w);
      if (parts) {
        for (const p of parts) add(p, 0.7);
        continue;
      }
      const fuzzy = this.fuzzy(w);
      if (fuzzy) add(fuzzy.stem, fuzzy.weight);
    }
    return [...byStem].map(([stem, weight]) => ({ stem, weight }));
  }

  /** Dutch compounds ("pestgedrag") split into two known words, with an optional linking s/e(n). */
  private splitCompound(word: string): string[] | undefined {
    if (word.length < 8) return undefined;
    for (let i = 4; i <= word.length - 4; i++) {
      const right =
        this.surface.get(word.slice(i)) ??
        (this.stems.has(stem(word.slice(i))) ? stem(word.slice(i)) : undefined);
      if (!right) continue;
      for (const left of [word.slice(0, i), word.slice(0, i).replace(/(s|en|e)$/, '')]) {
        if (left.length < 3) continue;
        const l = this.surface.get(left) ?? (this.stems.has(stem(left)) ? stem(left) : undefined);
        if (l) return [l, right];
      }
    }
    return undefined;
  }

  private fuzzy(word: string): { stem: string; weight: number } | undefined {
    if (word.length < 4) return undefined;
    // Short words tolerate one edit, longer ones two: otherwise names ("Pieter") turn into topics ("pester").
    const maxEdits = word.length <= 6 ? 1 : 2;
    // The index holds each word and its one-deletion forms; a long word is also looked up with two letters left
    // out, so two extra letters ("disscrimminatie") still meet their word.
    const keys = new Set([word, ...deletions1(word)]);
    if (word.length >= LONG_WORD) for (const k of [...keys]) for (const k2 of deletions1(k)) keys.add(k2);
    const candidates = new Set<string>();
    for (const key of keys) {
      for (const c of this.deletions.get(key) ?? []) candidates.add(c);
    }
    // The closest word wins (a swapped pair of letters is one edit: "greop" is "groep"); between equally close
    // ones, the one the knowledge base uses most ("caht" is "chat" rather than "cant").
    let best: { word: string; edits: number; df: number } | undefined;
    for (const c of candidates) {
      const edits = editDistance(word, c, maxEdits);
      if (edits > maxEdits) continue;
      const df = this.postings.get(this.surface.get(c) ?? '')?.targets.length ?? 0;
      if (
        !best ||
        edits < best.edits ||
        (edits === best.edits && (df > best.df || (df === best.df && c < best.word)))
      )
        best = { word: c, edits, df };
    }
    // A slip in a function word ("latem" for "laten", "ovre" for "over") is not a topic word one letter away.
    if (best && stopwordWithin(word, best.edits)) return undefined;
    const s = best && this.surface.get(best.word);
    return best && s ? { stem: s, weight: FUZZY_WEIGHT[best.edits] ?? 0 } : undefined;
  }

  search(query: string, limit = 5): SearchResponse {
    const terms = this.analyzeQuery(query);
    if (terms.length === 0) return { query, results: [], offTopic: 0 };

    const touched: number[] = [];
    // Words the index cannot place (a name, a typo beyond repair, a chat word) are left out of the query's
    // weight: they say nothing about which article fits, so they must not make a good match look weaker.
    let queryIdf = 0;
    const termIdf: number[] = [];
    // Very common terms (in a large share of a large index) only score articles that a rarer query term already
    // made candidates: they refine the ranking but never pull in articles that match nothing else. Their long
    // posting lists then cost a typed-array check per entry, not a new candidate each.
    const common = Math.max(this.tuning.commonMinTargets, this.tuning.commonShare * this.targets.length);
    const order = terms
      .map((t, qi) => ({ t, qi, df: this.postings.get(t.stem)?.targets.length ?? 0 }))
      .sort((a, b) => a.df - b.df);
    const anyRare = order.some((o) => o.df > 0 && o.df <= common);
    // A term in nearly every target carries almost no information but has the longest posting list; in a large
    // index so does a weak very common one when rarer terms already found the candidates.
    const skipped = (idf: number, df: number) =>
      idf < this.tuning.minIdf || (anyRare && df > common && idf < this.tuning.minCommonIdf);
    for (const t of terms) {
      const idf = this.idf.get(t.stem) ?? 0;
      const skip = skipped(idf, this.postings.get(t.stem)?.targets.length ?? 0);
      termIdf.push(skip ? 0 : idf * t.weight);
      if (!skip) queryIdf += idf;
    }
    order.forEach(({ t, qi, df }, rank) => {
      const idf = this.idf.get(t.stem) ?? 0;
      const p = this.postings.get(t.stem);
      if (!p || skipped(idf, df)) return;
      const refineOnly = df > common && (anyRare || rank > 0);
      const factor = t.weight * idf;
      const bit = 1 << qi;
      const { targets, articles, weights } = p;
      for (let i = 0; i < targets.length; i++) {
        const ai = articles[i] as number;
        if (refineOnly && this.candidate[ai] === 0) continue;
        this.candidate[ai] = 1;
        const ti = targets[i] as number;
        if (this.seen[ti] === 0) {
          this.seen[ti] = 1;
          touched.push(ti);
        }
        this.scratch[ti] = (this.scratch[ti] as number) + factor * (weights[i] as number);
        this.masks[ai] = (this.masks[ai] as number) | bit;
      }
    });

    // Aggregate targets into articles: metadata score + weighted best example question + weighted best section.
    // Typed arrays indexed by article, reset through the list of touched articles: no per-query allocation
    // that grows with the corpus.
    const articles: number[] = [];
    for (const ti of touched) {
      const v = this.scratch[ti] as number;
      this.scratch[ti] = 0;
      this.seen[ti] = 0;
      const ai = this.targetArticle[ti] as number;
      if (this.articleSeen[ai] === 0) {
        this.articleSeen[ai] = 1;
        articles.push(ai);
      }
      const kind = this.targetKind[ti];
      if (kind === KIND_META) this.metaScore[ai] = v;
      else if (kind === KIND_QUESTION) {
        const first = this.questionScore[ai] as number;
        if (v > first) {
          this.questionScore2[ai] = first;
          this.questionScore[ai] = v;
        } else if (v > (this.questionScore2[ai] as number)) this.questionScore2[ai] = v;
      } else if (v > (this.sectionScore[ai] as number)) {
        this.sectionScore[ai] = v;
        this.sectionIndex[ai] = this.targetSection[ti] as number;
      }
    }
    const best: Scored[] = [];
    let offTopic = 0;
    for (const ai of articles) {
      const raw =
        (this.metaScore[ai] as number) +
        this.tuning.questionWeight * (this.questionScore[ai] as number) +
        this.tuning.secondQuestionWeight * (this.questionScore2[ai] as number) +
        this.tuning.sectionWeight * (this.sectionScore[ai] as number);
      const section = (this.sectionScore[ai] as number) > 0 ? (this.sectionIndex[ai] as number) : undefined;
      const mask = this.masks[ai] as number;
      this.masks[ai] = 0;
      this.articleSeen[ai] = 0;
      this.candidate[ai] = 0;
      this.metaScore[ai] = 0;
      this.questionScore[ai] = 0;
      this.questionScore2[ai] = 0;
      this.sectionScore[ai] = 0;
      let covered = 0;
      for (let qi = 0; qi < termIdf.length; qi++) if (mask & (1 << qi)) covered += termIdf[qi] as number;
      const coverage = queryIdf > 0 ? covered / queryIdf : 0;
      // One score serves ranking and confidence, so scores fall monotonically down the result list.
      const key = raw * coverage ** this.tuning.coverageExponent;
      if (ai === this.offTopicArticle) {
        offTopic = key;
        continue;
      }
      insertTopK(best, { ai, raw, coverage, key, conf: key / (key + this.tuning.halfScore), section }, limit);
    }
    const scored = best;
    const results = scored.slice(0, limit).map((s) => {
      const article = this.articles[s.ai] as Article;
      return {
        slug: article.slug,
        title: article.title,
        score: Math.round(s.conf * 1000) / 1000,
        relevance: s.key,
        coverage: Math.round(s.coverage * 1000) / 1000,
        article,
        section: s.section === undefined ? undefined : article.sections[s.section]?.heading,
      };
    });
    return { query, results, offTopic };
  }
}

/** The out-of-scope examples dressed as an article, so the index can score them like any other. */
function offTopicPseudoArticle(examples: readonly string[]): Article {
  return {
    slug: '',
    title: '',
    summary: '',
    tags: [],
    levels: [],
    roles: [],
    incident: false,
    questions: examples,
    related: [],
    body: '',
    sections: [],
    firstSteps: [],
    dontSteps: [],
    wordCount: 0,
  };
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** Stopwords of four letters or more by their one-deletion forms, like the index's typo candidates. */
const STOPWORD_DELETIONS = new Map<string, string[]>();
for (const w of STOPWORDS) {
  if (w.length < 4) continue;
  for (const key of [w, ...deletions1(w)]) {
    const list = STOPWORD_DELETIONS.get(key);
    if (list) list.push(w);
    else STOPWORD_DELETIONS.set(key, [w]);
  }
}

/** Whether a stopword of four letters or more is at most `edits` edits from `word`. */
function stopwordWithin(word: string, edits: number): boolean {
  for (const key of [word, ...deletions1(word)])
    for (const w of STOPWORD_DELETIONS.get(key) ?? []) if (editDistance(word, w, edits) <= edits) return true;
  return false;
}

/** All strings one deletion away from `word`. */
function deletions1(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}
