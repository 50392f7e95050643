import { normalize } from '../knowledge/text.js';
import type { Lang } from '../types.js';

/**
 * The language a question is written in, told from its function words: English when clearly more English than
 * Dutch ones, else undefined (Dutch, or too short to tell). Used to answer an English question in English and
 * to say that the guidance itself is Dutch.
 */
const ENGLISH = new Set(
  'the a an is are was were what how who whom which when where why should can could do does did i my our we you your he she his her they their them it this that these those with about of to for on in at from and or but if not no any someone something student students pupil pupils teacher teachers school parents phone please help has have been being made make get got posted sent send shared threatened hacked fake nude photo photos picture pictures class group colleague colleagues child kid kids boy girl mother father mom dad police'.split(
    ' ',
  ),
);
const DUTCH = new Set(
  'de het een is zijn was waren wat hoe wie welke wanneer waar waarom moet moeten kan kun kunnen ik mijn ons onze we wij je jij jouw hij zij ze haar hem hun dit dat deze die met over van voor op in aan uit bij en of maar als niet geen iemand iets leerling leerlingen docent leraar ouders telefoon school klas er nu ook nog wel dan naar'.split(
    ' ',
  ),
);

export function questionLanguage(text: string): Lang | undefined {
  let en = 0;
  let nl = 0;
  for (const w of normalize(text).split(' ')) {
    // Words both languages share ("is", "in", "school") count for neither.
    const e = ENGLISH.has(w);
    const d = DUTCH.has(w);
    if (e && !d) en++;
    if (d && !e) nl++;
  }
  return en >= 2 && en > nl * 2 ? 'en' : undefined;
}
