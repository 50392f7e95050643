import { Rng } from '../bench/rng.js';
import type { EvalSet } from './evaluate.js';

/**
 * Typo variants of an evaluation set, generated in code with a fixed seed so every run sees the same ones: each
 * question gets one or two character edits of the kinds people make when typing fast on a phone — a letter
 * dropped, doubled, swapped with its neighbour, or replaced by a key next to it.
 */

const NEIGHBOURS: Readonly<Record<string, string>> = {
  q: 'wa',
  w: 'qes',
  e: 'wrd',
  r: 'etf',
  t: 'ryg',
  y: 'tuh',
  u: 'yij',
  i: 'uok',
  o: 'ipl',
  p: 'o',
  a: 'qsz',
  s: 'adw',
  d: 'sfe',
  f: 'dgr',
  g: 'fht',
  h: 'gjy',
  j: 'hku',
  k: 'jli',
  l: 'ko',
  z: 'xa',
  x: 'zc',
  c: 'xv',
  v: 'cb',
  b: 'vn',
  n: 'bm',
  m: 'n',
};

type Edit = (word: string, at: number, rng: Rng) => string;

const EDITS: readonly Edit[] = [
  (w, i) => w.slice(0, i) + w.slice(i + 1),
  (w, i) => w.slice(0, i + 1) + w.slice(i),
  (w, i) => (i + 1 < w.length ? w.slice(0, i) + w.charAt(i + 1) + w.charAt(i) + w.slice(i + 2) : w),
  (w, i, rng) => {
    const near = NEIGHBOURS[w.charAt(i).toLowerCase()];
    return near ? w.slice(0, i) + rng.pick([...near]) + w.slice(i + 1) : w;
  },
];

/** One question with `edits` character edits, each in a different word of four letters or more. */
export function withTypos(question: string, edits: number, rng: Rng): string {
  const parts = question.split(/(\s+)/);
  const candidates = parts.map((p, i) => (/^\p{L}{4,}$/u.test(p) ? i : -1)).filter((i) => i >= 0);
  for (const wi of rng.shuffle(candidates).slice(0, edits)) {
    const word = parts[wi] as string;
    // Not the first letter: people rarely miss that one, and a changed first letter is a different word.
    const at = rng.between(1, word.length - 1);
    parts[wi] = rng.pick(EDITS)(word, at, rng);
  }
  return parts.join('');
}

/** The whole set with one or two edits per question (fixed seed: the same variants on every run). */
export function typoVariant(set: EvalSet, seed = 14): EvalSet {
  const rng = new Rng(seed);
  return {
    name: `${set.name} with typos`,
    inScope: set.inScope.map((x) => ({ ...x, q: withTypos(x.q, rng.between(1, 2), rng) })),
    outOfScope: set.outOfScope.map((x) => ({ ...x, q: withTypos(x.q, rng.between(1, 2), rng) })),
  };
}
