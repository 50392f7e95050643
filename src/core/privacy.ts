import { normalize } from './knowledge/text.js';

/**
 * Personal data in what teachers type: what can be recognised by its shape, and what is kept for knowledge
 * editors.
 *
 * Names cannot be recognised reliably — "sanne de vries" in lower case, a name at the start of a sentence, a
 * handle without `@` all look like ordinary words. So the gaps log does not try to find them: it keeps only the
 * words the knowledge base itself uses (`knownWords`) and counts the rest. A name survives only if it is also a
 * word the articles use, and then it says nothing about a person.
 */

const EMAIL = /\S+@\S+\.\S+/g;
/** A bare site name such as "meldknop.nl"; its first group is the name. */
const SITE_NAME = /\b([\p{L}\p{N}-]+)\.(?:nl|com|org|net|be|eu|io|me|tv|app)(?:\/\S*)?\b/giu;
const PHONE_NUMBER = /(?:\+|\b)\d[\d\s().-]{6,}\d\b/g;

/** Contact details recognisable by their shape, in any case and position. */
const CONTACT_DETAILS: readonly RegExp[] = [
  EMAIL,
  /\bhttps?:\/\/\S+|\bwww\.\S+/giu,
  SITE_NAME,
  PHONE_NUMBER,
  /@[\p{L}\p{N}_.]+/gu,
  // Handles typed without @: words joined by _ ("jan_de_boer") or by two dots or more ("xx.lisa.xx"), and
  // letters mixed with digits ("lisa2011").
  /\b[\p{L}\p{N}]+(?:_[\p{L}\p{N}]*)+\b|\b[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+){2,}\b/gu,
  /\b(?=[\p{L}_]*\d)(?=\d*[\p{L}_])[\p{L}\p{N}_]{3,}\b/gu,
];

/** The text with e-mail addresses, links, phone numbers and handles blanked out. */
export function withoutContactDetails(text: string): string {
  return CONTACT_DETAILS.reduce((t, re) => t.replace(re, ' '), text);
}

/**
 * Text as the search should see it: without contact details, and without capitalised words the knowledge base
 * does not know (`knows`) — in a teacher's question those are names ("Sanne", "El Amrani"). Left in, a name can
 * pass for a misspelt topic word ("Pieter" for "pester"), and in an example question it would make the name a
 * search term. In a text that is mostly capitals (a shouted "NAAKTFOTO IN DE APP") a capital says nothing and
 * every word stays.
 */
export function withoutNames(text: string, knows: (word: string) => boolean): string {
  // A site or number the knowledge base names ("wat is meldknop.nl", "bel ik 0900-8844") is the question's topic,
  // not someone's contact details: it stays. E-mail addresses go first, so their domain never turns into a word.
  const cleaned = CONTACT_DETAILS.reduce(
    (t, re) =>
      t.replace(re, (found: string, name: unknown) => {
        if (re === SITE_NAME && typeof name === 'string' && knows(name)) return name;
        if (re === PHONE_NUMBER && knows(found)) return found;
        return ' ';
      }),
    text,
  );
  const words = cleaned.match(/\p{L}+/gu) ?? [];
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  if (capitalised > words.length / 2) return cleaned;
  return cleaned.replace(/\p{Lu}\p{Ll}+/gu, (w) => (knows(w) ? w : ' '));
}

/** Longest gap text kept. */
export const MAX_GAP_CHARS = 200;

/**
 * A question as it may be stored for knowledge editors (`vangnet kb gaps`): only the words in `knownWords`, in
 * their order, every run of other words as one "…", and how many words were left out: `naaktfoto … groepsapp
 * [+3]`. Contact details go first, so an address never leaves a known word behind; numbers never stay.
 */
export function gapText(question: string, knownWords: ReadonlySet<string>, maxChars = MAX_GAP_CHARS): string {
  const out: string[] = [];
  let dropped = 0;
  for (const word of normalize(withoutContactDetails(question)).split(' ')) {
    if (!word) continue;
    if (knownWords.has(word) && !/\d/.test(word)) out.push(word);
    else {
      dropped++;
      if (out[out.length - 1] !== '…') out.push('…');
    }
  }
  const kept = out.join(' ').slice(0, maxChars);
  return dropped ? `${kept} [+${dropped}]` : kept;
}
