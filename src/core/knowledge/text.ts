import { stemmer as dutchStem } from '@orama/stemmers/dutch';
import { eng, nld } from 'stopword';

/**
 * Dutch text analysis for search: normalisation, synonyms, stopwords and stemming. Pure functions plus one
 * memo table; no I/O.
 */

/** Lower case, no diacritics, letters and digits only (apostrophes joined: "foto's" → "fotos"). */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Extra stopwords: question words and fillers teachers type that carry no topic. */
const EXTRA_STOPWORDS = [
  'moet',
  'moeten',
  'mag',
  'mogen',
  'kan',
  'kun',
  'kunnen',
  'wil',
  'willen',
  'zou',
  'zouden',
  'doe',
  'doen',
  'gedaan',
  'nou',
  'even',
  'gewoon',
  'eigenlijk',
  'beter',
  'best',
  'precies',
  'echt',
  'heel',
  'erg',
  'zo',
  'nu',
  'net',
  'dus',
  'hoe',
  'wat',
  'wie',
  'waar',
  'wanneer',
  'welke',
  'welk',
  'waarom',
  'hoeveel',
  'hoelang',
  'vraagt',
  'gevraagd',
  'iemand',
  'iets',
  'alles',
  'dingen',
  'ding',
  'ik',
  'mij',
  'mijn',
  'me',
  'we',
  'wij',
  'ons',
  'onze',
  'jij',
  'je',
  'jou',
  'jouw',
  'u',
  'uw',
  'hij',
  'zij',
  'ze',
  'hem',
  'haar',
  'hun',
  'hen',
  'er',
  'daar',
  'hier',
  'dit',
  'dat',
  'deze',
  'die',
  'een',
  'de',
  'het',
  'van',
  'over',
  'graag',
  'help',
  'hulp',
  'vraag',
  'vragen',
  'weet',
  'weten',
  'snel',
  'nodig',
  'hebben',
  'heb',
  'heeft',
  'had',
  'krijg',
  'krijgt',
  'krijgen',
  'gaat',
  'gaan',
  'ga',
  'komt',
  'komen',
  'word',
  'wordt',
  'worden',
  'werd',
  'is',
  'zijn',
  'ben',
  'bent',
  'was',
  'waren',
  'ok',
  'oke',
  'hoi',
  'hallo',
  'hey',
  'please',
  'pls',
  'svp',
  'aub',
  'steeds',
  'altijd',
  'vaak',
  'nooit',
  'weer',
  'meteen',
  'eerst',
  'zomaar',
  'allemaal',
  'elkaar',
  'nou',
  'zelfs',
  'maak',
  'maakt',
  'maken',
  'gemaakt',
  'zet',
  'zetten',
  'gezet',
  'laat',
  'laten',
  'staat',
  'staan',
  'zie',
  'ziet',
  'zien',
  'gezien',
  'zeg',
  'zegt',
  'zeggen',
  'gezegd',
  'geef',
  'geeft',
  'geven',
  'neem',
  'neemt',
  'nemen',
  'houd',
  'houdt',
  'houden',
  'wanneer',
  'terwijl',
  'want',
  'omdat',
  'ofzo',
  'enzo',
  'iets',
  'bijvoorbeeld',
  'precies',
  'iemands',
  'omgaan',
  'aanpakken',
  'aanpak',
  'handelen',
  'stappen',
  'what',
  'how',
  'who',
  'should',
  'do',
  'does',
  'did',
  'can',
  'could',
  'my',
  'our',
  'someone',
  'got',
  'get',
  'gets',
  // Chat fillers and abbreviations: they carry no topic, and short ones would otherwise be read as typos.
  'ff',
  'effe',
  'mn',
  'm',
  'k',
  'n',
  't',
  'idk',
  'wtf',
  'omg',
  'pff',
  'hmm',
  'mss',
  'misschien',
  'idd',
  'btw',
  'lol',
  'gwn',
  'zsm',
  'ivm',
  'mbt',
  'evt',
  'nvt',
  'plz',
  'thx',
  'tnx',
  'sowieso',
  'trouwens',
  'nouja',
  'eigl',
  'iig',
  'iemand',
  'ofzo',
];

/**
 * Words that stay searchable even though a stopword list has them: "niet" matters in "wat doe je niet", "andere"
 * in "een leerling van een andere school".
 */
const KEEP = new Set(['niet', 'geen', 'tegen', 'zonder', 'andere', 'ander']);

export const STOPWORDS: ReadonlySet<string> = new Set(
  [...nld, ...eng, ...EXTRA_STOPWORDS].map((w) => normalize(w)).filter((w) => w && !KEEP.has(w)),
);

const stemMemo = new Map<string, string>();

/** Snowball Dutch stem, memoised (stems repeat a lot and the memo is bounded by the vocabulary). */
export function stem(word: string): string {
  let s = stemMemo.get(word);
  if (s === undefined) {
    s = word.length <= 3 || /\d/.test(word) ? word : dutchStem(word);
    if (stemMemo.size > 200_000) stemMemo.clear();
    stemMemo.set(word, s);
  }
  return s;
}

/**
 * Forms the stemmer misses: participles (ge-pest, ge-hackt) and verb forms ending in -t/-d (bedreigd).
 * Returns candidate stems, best first; the caller keeps the first that the vocabulary knows.
 */
export function stemVariants(word: string): string[] {
  const out: string[] = [];
  if (word.length >= 6 && /^ge/.test(word) && /[td]$/.test(word)) {
    out.push(stem(word.slice(2, -1)), stem(`${word.slice(2, -1)}en`), stem(word.slice(2)));
  }
  if (word.length >= 5 && /[td]$/.test(word)) {
    // Present tense: "controleert" – "controleren", "leest" – "lezen", "blijft" – "blijven".
    const base = word.slice(0, -1);
    const open = undouble(base);
    out.push(stem(`${base}en`), stem(`${open}en`), stem(`${voicedSurface(open)}en`), voiced(stem(base)));
  }
  // Diminutives: "cadeautjes" – "cadeau", "filmpje" – "film", "berichtje" – "bericht".
  // Every split is offered ("berich|tje", "bericht|je"); the vocabulary decides which one is a word.
  const bare = word.replace(/s$/, '');
  for (const suffix of ['etje', 'pje', 'tje', 'kje', 'je']) {
    const base = bare.slice(0, -suffix.length);
    if (bare.endsWith(suffix) && base.length >= 3) out.push(stem(base), stem(`${base}en`));
  }
  // Dutch spells the same stem with f/v and s/z ("blijft" – "blijven", "leest" – "lezen").
  out.push(voiced(stem(word)));
  return out.filter((s) => s.length >= 3);
}

/** A long vowel written double in a closed syllable is single in an open one: "leer" → "ler" (as in "leren"). */
function undouble(s: string): string {
  return s.replace(/(aa|ee|oo|uu)([^aeiou])$/, (_m, v: string, c: string) => `${v[0]}${c}`);
}

function voicedSurface(s: string): string {
  return s.replace(/f$/, 'v').replace(/s$/, 'z');
}

function voiced(s: string): string {
  return s.replace(/f$/, 'v').replace(/s$/, 'z');
}

/** Compiled synonym table: phrase variants (several words) and single-word variants, to one canonical text. */
export interface Synonyms {
  readonly words: ReadonlyMap<string, string>;
  /** The same variants keyed by their stem, so inflected forms ("doodsbedreigingen") map too. */
  readonly stems: ReadonlyMap<string, string>;
  /** Multi-word variants, longest first, as [normalized phrase, canonical]. */
  readonly phrases: readonly (readonly [string, string])[];
  /** Multi-word variants by their first word, longest first: [words of the phrase, canonical words]. */
  readonly phraseStarts: ReadonlyMap<string, readonly (readonly [readonly string[], readonly string[]])[]>;
}

export function compileSynonyms(table: Readonly<Record<string, readonly string[]>>): Synonyms {
  const words = new Map<string, string>();
  const stems = new Map<string, string>();
  const phrases: [string, string][] = [];
  for (const [canonicalRaw, variants] of Object.entries(table)) {
    const canonical = normalize(canonicalRaw);
    for (const v of variants) {
      const n = normalize(String(v));
      if (!n || n === canonical) continue;
      if (n.includes(' ')) phrases.push([n, canonical]);
      else {
        words.set(n, canonical);
        if (n.length >= 5) stems.set(stem(n), canonical);
      }
    }
  }
  phrases.sort((a, b) => b[0].length - a[0].length);
  const phraseStarts = new Map<string, [string[], string[]][]>();
  for (const [phrase, canonical] of phrases) {
    const parts = phrase.split(' ');
    const list = phraseStarts.get(parts[0] as string) ?? [];
    list.push([parts, canonical.split(' ')]);
    phraseStarts.set(parts[0] as string, list);
  }
  return { words, stems, phrases, phraseStarts };
}

export const NO_SYNONYMS: Synonyms = {
  words: new Map(),
  stems: new Map(),
  phrases: [],
  phraseStarts: new Map(),
};

/**
 * Normalised words of a text with synonyms applied: multi-word variants first (longest match at each position,
 * found through their first word, so the cost does not grow with the size of the table), then single words.
 */
export function words(text: string, synonyms: Synonyms): string[] {
  const tokens = normalize(text).split(' ').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const w = tokens[i] as string;
    const candidates = synonyms.phraseStarts.get(w);
    const hit = candidates?.find(([parts]) => parts.every((p, k) => tokens[i + k] === p));
    if (hit) {
      out.push(...hit[1]);
      i += hit[0].length;
      continue;
    }
    const c = synonyms.words.get(w) ?? (w.length >= 5 ? synonyms.stems.get(stem(w)) : undefined);
    if (c) out.push(...c.split(' '));
    else out.push(w);
    i++;
  }
  return out;
}
