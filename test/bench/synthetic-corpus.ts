import { type Article, FIRST_STEPS_HEADING } from '../../src/core/knowledge/model.js';
import { countWords, inlineToPlain, splitSections } from '../../src/core/knowledge/parse.js';
import { Rng } from './rng.js';

/**
 * A deterministic synthetic corpus grown from the shipped articles, for measuring search at scale.
 *
 * Each synthetic article takes one shipped article as its template (its section layout, levels, roles) and fills
 * it with sentences from the template and from a few other shipped articles. Words are then perturbed: a share
 * is swapped for other real words, and a share for generated pseudo-words. The pseudo-words come from a lexicon
 * that grows sub-linearly with the number of tokens (Heaps' law, V ≈ K·n^β) and is reused with a Zipf-like
 * skew, so the vocabulary and the posting-list lengths grow roughly like those of a real corpus.
 */

export interface SyntheticOptions {
  /** Total number of articles, the shipped ones included. */
  readonly size: number;
  readonly seed: number;
  /** Share of word tokens replaced by a pseudo-word. */
  readonly pseudoRate: number;
  /** Share of word tokens replaced by another real word from the shipped corpus. */
  readonly swapRate: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  size: 10_000,
  seed: 20240611,
  pseudoRate: 0.07,
  swapRate: 0.05,
};

export interface SyntheticCorpus {
  readonly articles: readonly Article[];
  /** Number of distinct pseudo-words generated. */
  readonly pseudoVocabulary: number;
  /** Word tokens in all article bodies. */
  readonly bodyWords: number;
  /**
   * The topic of every article: the shipped article a synthetic one was generated from (its template), and a
   * shipped article itself. An answer on the right topic is a right answer at scale.
   */
  readonly topicOf: ReadonlyMap<string, string>;
}

/** A shipped article cut into reusable pieces. */
interface Template {
  readonly article: Article;
  readonly sections: readonly { readonly heading: string; readonly units: readonly string[] }[];
}

const LIST_ITEM = /^\s*(?:\d+[.)]|[-*])\s+/;

/** Sentences and list items of a section's markdown, in order. */
function units(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (LIST_ITEM.test(trimmed)) out.push(trimmed);
    else out.push(...trimmed.split(/(?<=[.!?])\s+(?=\S)/));
  }
  return out;
}

/** Rebuilds markdown from units: consecutive sentences form a paragraph, list items stay on their own line. */
function joinUnits(list: readonly string[]): string {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push(paragraph.join(' '));
    if (items.length) blocks.push(items.join('\n'));
    paragraph = [];
    items = [];
  };
  for (const u of list) {
    if (LIST_ITEM.test(u)) {
      if (paragraph.length) flush();
      items.push(u);
    } else {
      if (items.length) flush();
      paragraph.push(u);
    }
  }
  flush();
  return blocks.join('\n\n');
}

const ONSETS = ['', 'b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z'];
const CLUSTERS = ['st', 'kr', 'bl', 'sch', 'tr', 'gr', 'sp', 'vl', 'br', 'dr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'aa', 'ee', 'oo', 'ie', 'oe', 'ui', 'ij', 'eu', 'ou'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'k', 'l', 'm', 'ng', 'ld', 'rt', 'cht'];

/** Generates pseudo-words and reuses them so the lexicon grows like K·n^β. */
class PseudoLexicon {
  private readonly words: string[] = [];
  private readonly known = new Set<string>();
  private tokens = 0;

  constructor(
    private readonly rng: Rng,
    private readonly reserved: ReadonlySet<string>,
    private readonly k = 25,
    private readonly beta = 0.6,
  ) {}

  get size(): number {
    return this.words.length;
  }

  next(): string {
    this.tokens++;
    // dV/dn of V = K·n^β: the chance that this token is a word not seen before.
    const pNew = Math.min(1, this.k * this.beta * this.tokens ** (this.beta - 1));
    if (this.words.length === 0 || this.rng.chance(pNew)) return this.fresh();
    // Zipf-like reuse: early (frequent) words are picked far more often than late ones.
    const r = this.rng.next();
    return this.words[Math.floor(this.words.length * r * r * r)] as string;
  }

  private fresh(): string {
    for (;;) {
      let w = '';
      const syllables = this.rng.between(2, 4);
      for (let i = 0; i < syllables; i++) {
        const onset = this.rng.chance(0.2) ? this.rng.pick(CLUSTERS) : this.rng.pick(ONSETS);
        w +=
          onset +
          this.rng.pick(VOWELS) +
          (i === syllables - 1 || this.rng.chance(0.4) ? this.rng.pick(CODAS) : '');
      }
      if (w.length >= 4 && !this.known.has(w) && !this.reserved.has(w)) {
        this.known.add(w);
        this.words.push(w);
        return w;
      }
    }
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

class Generator {
  private readonly rng: Rng;
  private readonly templates: readonly Template[];
  private readonly realWords: readonly string[];
  private readonly allTags: readonly string[];
  private readonly allHeadings: readonly string[];
  readonly lexicon: PseudoLexicon;
  private readonly titles = new Set<string>();

  constructor(
    shipped: readonly Article[],
    private readonly options: SyntheticOptions,
  ) {
    this.rng = new Rng(options.seed);
    this.templates = shipped.map((article) => ({
      article,
      sections: article.sections.map((s) => ({ heading: s.heading, units: units(s.text) })),
    }));
    const vocabulary = new Set<string>();
    for (const a of shipped) {
      for (const w of `${a.title} ${a.summary} ${a.body}`.toLowerCase().match(/\p{L}{3,}/gu) ?? [])
        vocabulary.add(w);
      this.titles.add(a.title);
    }
    this.realWords = [...vocabulary].sort();
    this.allTags = [...new Set(shipped.flatMap((a) => a.tags))].sort();
    this.allHeadings = [...new Set(shipped.flatMap((a) => a.sections.map((s) => s.heading)).filter(Boolean))];
    this.lexicon = new PseudoLexicon(this.rng, vocabulary);
  }

  /** Swaps a share of the words in `text` for other real words or pseudo-words; punctuation stays. */
  private perturb(text: string, scale = 1): string {
    return text.replace(/\p{L}+/gu, (word) => {
      if (word.length < 3) return word;
      const r = this.rng.next();
      const upper = word.charAt(0) !== word.charAt(0).toLowerCase();
      let out: string;
      if (r < this.options.pseudoRate * scale) out = this.lexicon.next();
      else if (r < (this.options.pseudoRate + this.options.swapRate) * scale)
        out = this.rng.pick(this.realWords);
      else return word;
      return upper ? capitalize(out) : out;
    });
  }

  /** A few other shipped articles to borrow sentences from. */
  private donors(template: Template): Template[] {
    const out: Template[] = [];
    const n = this.rng.between(2, 4);
    while (out.length < n) {
      const t = this.rng.pick(this.templates);
      if (t !== template) out.push(t);
    }
    return out;
  }

  private title(template: Template, donors: readonly Template[]): string {
    for (;;) {
      // Keep most of the template's title, take some words from a donor's, and add a pseudo-word as the topic
      // that tells it apart.
      const donorWords = this.rng.pick(donors).article.title.split(/\s+/);
      const words = template.article.title
        .split(/\s+/)
        .map((w, i) => (i === 0 || this.rng.chance(0.65) ? w : this.rng.pick(donorWords).toLowerCase()));
      words.splice(this.rng.between(1, words.length), 0, this.lexicon.next());
      const title = capitalize(words.join(' '));
      if (!this.titles.has(title)) {
        this.titles.add(title);
        return title;
      }
    }
  }

  readonly topics = new Map<string, string>();

  article(index: number): Article {
    const template = this.rng.pick(this.templates);
    this.topics.set(`syn-${String(index).padStart(5, '0')}`, template.article.slug);
    const donors = this.donors(template);
    const sources = [template, ...donors];
    const base = template.article;

    const tags = new Set<string>();
    for (const t of this.rng.shuffle(base.tags).slice(0, this.rng.between(2, 5))) tags.add(t);
    for (let i = this.rng.between(1, 3); i > 0; i--) tags.add(this.rng.pick(this.allTags));
    if (this.rng.chance(0.3)) tags.add(this.lexicon.next());

    const questionPool = sources.flatMap((s) => s.article.questions);
    const questions =
      questionPool.length === 0
        ? []
        : Array.from({ length: this.rng.between(1, 4) }, () => this.perturb(this.rng.pick(questionPool), 2));

    const sections = template.sections.map((section, si) => {
      const heading =
        section.heading === '' || section.heading === FIRST_STEPS_HEADING || this.rng.chance(0.7)
          ? section.heading
          : this.rng.pick(this.allHeadings);
      const count = Math.max(1, section.units.length + this.rng.between(-1, 1));
      const picked: string[] = [];
      for (let ui = 0; ui < count; ui++) {
        const own = section.units[ui];
        if (own !== undefined && this.rng.chance(0.5)) {
          picked.push(own);
        } else {
          // A unit from the same position in a donor, or any unit of it when it has no such section.
          const donor = this.rng.pick(donors);
          const pool = donor.sections[si]?.units.length
            ? (donor.sections[si]?.units ?? [])
            : donor.sections.flatMap((s) => s.units);
          if (pool.length) picked.push(this.rng.pick(pool));
        }
      }
      return { heading, text: this.perturb(joinUnits(picked)) };
    });
    const body = `${sections
      .map((s) => (s.heading ? `## ${s.heading}\n${s.text}` : s.text))
      .filter(Boolean)
      .join('\n\n')}\n`;
    const parsedSections = splitSections(body);
    const steps = parsedSections.find((s) => s.heading.toLowerCase() === FIRST_STEPS_HEADING.toLowerCase());
    const firstSteps = steps
      ? steps.text
          .split(/\r?\n/)
          .filter((l) => LIST_ITEM.test(l))
          .map((l) => inlineToPlain(l.replace(LIST_ITEM, '')))
      : [];

    return {
      slug: `syn-${String(index).padStart(5, '0')}`,
      title: this.title(template, donors),
      summary: this.perturb(this.rng.pick(sources).article.summary),
      tags: [...tags],
      levels: base.levels,
      roles: base.roles,
      incident: base.incident,
      questions,
      related: base.related,
      body,
      sections: parsedSections,
      firstSteps,
      dontSteps: base.dontSteps,
      wordCount: countWords(body),
    };
  }
}

/**
 * Builds `options.size` articles: every shipped article plus synthetic ones, the shipped ones placed at
 * seeded random positions so they are not all at the start of the index.
 */
export function syntheticCorpus(
  shipped: readonly Article[],
  options: SyntheticOptions = DEFAULT_SYNTHETIC,
): SyntheticCorpus {
  const generator = new Generator(shipped, options);
  const synthetic: Article[] = [];
  for (let i = 1; i <= options.size - shipped.length; i++) synthetic.push(generator.article(i));

  const placement = new Rng(options.seed ^ 0x5eed);
  const articles: Article[] = [...synthetic];
  for (const a of shipped) articles.splice(placement.int(articles.length + 1), 0, a);
  return {
    articles,
    pseudoVocabulary: generator.lexicon.size,
    topicOf: new Map([...generator.topics, ...shipped.map((a) => [a.slug, a.slug] as const)]),
    bodyWords: articles.reduce((sum, a) => sum + a.wordCount, 0),
  };
}
