import { type Parsed, parseYamlMapping } from './parse.js';
import { normalize, stem } from './text.js';

/**
 * Acute danger (`knowledge/acute.yml`): concerns such as suicide or a threat against the school, each with its
 * article, the emergency lines to show first, the explicit terms that give it away and softer signals.
 */
export const EMERGENCY_LINES = ['112', '113', 'veilig-thuis'] as const;
export type EmergencyLine = (typeof EMERGENCY_LINES)[number];

export interface AcuteConcern {
  readonly id: string;
  readonly article: string;
  readonly lines: readonly EmergencyLine[];
  /** Explicit terms, each as its normalised words: a question with one is about this concern. */
  readonly terms: readonly (readonly string[])[];
  /** Softer phrases ("er niet meer zijn"): about this concern only when the search agrees (see `Answerer`). */
  readonly signals: readonly (readonly string[])[];
}

/** A concern found in a question, by an explicit term or only by a softer signal. */
export interface AcuteMatch {
  readonly concern: AcuteConcern;
  readonly explicit: boolean;
}

const isLine = (l: string): l is EmergencyLine => (EMERGENCY_LINES as readonly string[]).includes(l);
const isTextList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((t) => typeof t === 'string' && normalize(t) !== '');
const phrases = (list: readonly string[]) => list.map((t) => normalize(t).split(' '));

export function parseAcute(source: string): Parsed<readonly AcuteConcern[]> {
  const { data, problems: yamlProblems } = parseYamlMapping(
    source,
    'concern → { article, lines, terms, signals }',
  );
  if (!data) return { problems: yamlProblems };
  const problems: string[] = [];
  const concerns: AcuteConcern[] = [];
  for (const [id, raw] of Object.entries(data)) {
    const c = (raw ?? {}) as { article?: unknown; lines?: unknown; terms?: unknown; signals?: unknown };
    const lines = Array.isArray(c.lines) ? c.lines.map(String) : [];
    const bad = lines.filter((l) => !isLine(l));
    if (typeof c.article !== 'string') problems.push(`${id}: "article" must be an article slug`);
    if (!lines.length || bad.length)
      problems.push(
        `${id}: "lines" must list some of ${EMERGENCY_LINES.join(', ')}${bad.length ? ` (not ${bad.join(', ')})` : ''}`,
      );
    if (!isTextList(c.terms) || c.terms.length === 0)
      problems.push(`${id}: "terms" must be a list of non-empty texts`);
    if (c.signals !== undefined && !isTextList(c.signals))
      problems.push(`${id}: "signals" must be a list of non-empty texts`);
    if (typeof c.article === 'string' && isTextList(c.terms))
      concerns.push({
        id,
        article: c.article,
        lines: lines.filter(isLine),
        terms: phrases(c.terms),
        signals: isTextList(c.signals) ? phrases(c.signals) : [],
      });
  }
  return { value: concerns, problems };
}

/** Words a phrase may skip between two of its own: "zichzelf iets *wil* aandoen". */
const MAX_GAP = 2;

/** One word of a phrase against one typed word: the same, the same stem, or one typo in a longer word. */
function sameWord(word: string, typed: string): boolean {
  if (word === typed) return true;
  if (word.length >= 4 && stem(word) === stem(typed)) return true;
  return word.length >= 6 && Math.abs(word.length - typed.length) <= 1 && withinOneEdit(word, typed);
}

function withinOneEdit(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    // One substitution, or two neighbours swapped.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Whether the phrase starts at `start` in the typed words, allowing short gaps between its words. */
function phraseAt(phrase: readonly string[], tokens: readonly string[], start: number): boolean {
  let at = start;
  for (let k = 0; k < phrase.length; k++) {
    const last = k === 0 ? at : Math.min(tokens.length - 1, at + MAX_GAP);
    let found = -1;
    for (let j = at; j <= last; j++) {
      if (sameWord(phrase[k] as string, tokens[j] as string)) {
        found = j;
        break;
      }
    }
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

/**
 * The concern a question is about: the first (in file order) with an explicit term in it, else the first with a
 * signal in it; undefined when none.
 */
export function acuteConcern(question: string, concerns: readonly AcuteConcern[]): AcuteMatch | undefined {
  const tokens = normalize(question).split(' ').filter(Boolean);
  const has = (list: readonly (readonly string[])[]) =>
    list.some((p) => tokens.some((_, i) => phraseAt(p, tokens, i)));
  const explicit = concerns.find((c) => has(c.terms));
  if (explicit) return { concern: explicit, explicit: true };
  const signalled = concerns.find((c) => has(c.signals));
  return signalled ? { concern: signalled, explicit: false } : undefined;
}
