import Fuse from 'fuse.js';
import { editDistance } from '../knowledge/search.js';

/**
 * Typed commands with a slip in them ("meldng", "mijn meldngen", "instelingen", "my reprots"): fuse.js shortlists
 * the command words that look alike, and a strict bound confirms one — the same number of words, the same first
 * letter, and one edit (two from ten letters on; a swapped pair of letters is one). A short question
 * that merely resembles a command ("sexting", "meldcode", "expertise", "meldingen") stays a question for the search.
 */
export class CommandTypos {
  private readonly fuse: Fuse<string>;

  constructor(private readonly words: readonly string[]) {
    this.fuse = new Fuse(words, { includeScore: true, threshold: 0.35, ignoreLocation: true });
  }

  /** The command word `text` (already normalised) is a slip of, or undefined. */
  correct(text: string): string | undefined {
    if (text.length < 4 || text.length > 40 || !/^[\p{L} ]+$/u.test(text)) return undefined;
    const parts = text.split(' ').length;
    for (const { item } of this.fuse.search(text, { limit: 5 })) {
      if (item.split(' ').length !== parts || item[0] !== text[0]) continue;
      const max = item.length >= 10 ? 2 : 1;
      if (editDistance(text, item, max) <= max) return item;
    }
    return undefined;
  }
}
