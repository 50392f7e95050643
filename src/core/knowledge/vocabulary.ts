import type { Article } from './model.js';
import { inlineToPlain } from './parse.js';
import { normalize, STOPWORDS, type Synonyms } from './text.js';

/**
 * The words the knowledge base itself uses, normalised: what a question may keep when it is stored for editors
 * (see `gapText` in `privacy.ts`). Taken from what editors wrote — titles, tags, summaries, article text and the
 * synonym table — plus the function words. Never from example questions, the question bank or the out-of-scope
 * examples: those are written the way teachers type, and some of them contain pupils' first names on purpose.
 */
export function knownWords(articles: readonly Article[], synonyms: Synonyms): ReadonlySet<string> {
  const out = new Set<string>(STOPWORDS);
  const add = (text: string) => {
    for (const w of normalize(text).split(' ')) if (w) out.add(w);
  };
  for (const a of articles) {
    add(a.title);
    add(a.tags.join(' '));
    add(a.summary);
    add(inlineToPlain(a.body));
  }
  for (const [variant, canonical] of synonyms.words) add(`${variant} ${canonical}`);
  for (const [phrase, canonical] of synonyms.phrases) add(`${phrase} ${canonical}`);
  return out;
}
