import { normalize } from '../knowledge/text.js';

/**
 * Small talk: a thank-you, a goodbye or "stop" is not a question. It gets a short friendly answer and is never
 * stored as a knowledge gap. Greetings and "help" are not here: they show the help card (see `bot.ts`).
 */
export type SmallTalk = 'thanks' | 'bye' | 'stop';

/** Whole messages (normalised) per kind; a message must be nothing but these words and a few fillers. */
const PHRASES: Readonly<Record<SmallTalk, readonly string[]>> = {
  thanks: [
    'bedankt',
    'dank',
    'dank je',
    'dank je wel',
    'dankjewel',
    'dankuwel',
    'dank u',
    'dank u wel',
    'thanks',
    'thank you',
    'thx',
    'tnx',
    'thnx',
    'merci',
    'top',
    'super',
    'perfect',
    'fijn',
    'helder',
    'duidelijk',
    'ok',
    'oke',
    'okay',
    'okido',
    'prima',
    'goed',
    'mooi',
    'great',
    'cool',
    'nice',
    'got it',
    'check',
    'gelukt',
    'dat hielp',
    'heel fijn',
    'je bent top',
    'toppie',
  ],
  bye: [
    'doei',
    'dag',
    'tot ziens',
    'later',
    'fijne dag',
    'fijn weekend',
    'bye',
    'goodbye',
    'see you',
    'tot later',
    'tot de volgende keer',
    'groetjes',
    'ciao',
  ],
  stop: [
    'stop',
    'stoppen',
    'laat maar',
    'laat maar zitten',
    'nee',
    'nee dank je',
    'nee bedankt',
    'nee hoor',
    'hoeft niet',
    'niet nodig',
    'klaar',
    'cancel',
    'annuleren',
    'never mind',
    'nevermind',
    'no thanks',
    'no',
    'nope',
    'niks',
    'niets',
    'vergeet het',
  ],
};

/** Words that may surround small talk without making it a question: "oke, dank je wel!", "top, bedankt". */
const FILLERS = new Set([
  'ja',
  'yes',
  'hoor',
  'hè',
  'he',
  'wel',
  'echt',
  'heel',
  'erg',
  'veel',
  'vangnet',
  'nou',
  'hoi',
  'oh',
  'ah',
  'aha',
  'so',
  'much',
  'very',
  'a',
  'lot',
  'voor',
  'je',
  'hulp',
  'for',
  'the',
  'help',
  'info',
  'antwoord',
  'dan',
  'maar',
  'even',
  'alvast',
]);

const BY_PHRASE = new Map<string, SmallTalk>();
for (const [kind, list] of Object.entries(PHRASES) as [SmallTalk, readonly string[]][])
  for (const p of list) BY_PHRASE.set(normalize(p), kind);
const LONGEST = Math.max(...[...BY_PHRASE.keys()].map((p) => p.split(' ').length));

/**
 * The kind of small talk a message is, or undefined when it says anything more. A message qualifies when, after
 * removing fillers, it is made up of small-talk phrases only; the first phrase decides ("bedankt, doei" thanks).
 */
export function smallTalk(text: string): SmallTalk | undefined {
  const tokens = normalize(text).split(' ').filter(Boolean);
  if (tokens.length === 0 || tokens.length > 8) return undefined;
  let kind: SmallTalk | undefined;
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (let n = Math.min(LONGEST, tokens.length - i); n >= 1; n--) {
      const k = BY_PHRASE.get(tokens.slice(i, i + n).join(' '));
      if (k) {
        kind ??= k;
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else if (FILLERS.has(tokens[i] as string)) i++;
    else return undefined;
  }
  return kind;
}
