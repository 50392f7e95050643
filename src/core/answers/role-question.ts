import type { RoleId } from '../knowledge/model.js';
import { normalize, STOPWORDS } from '../knowledge/text.js';

/**
 * "Wie is de vertrouwenspersoon?", "bij wie kan ik terecht met zorgen": questions about who holds a role in
 * this school, answered with the names from the school configuration rather than with an article's general text.
 */

/** Words teachers use for each role (normalised, one or two words). */
const ROLE_WORDS: Readonly<Record<RoleId, readonly string[]>> = {
  mentor: ['mentor', 'mentoren', 'klassenmentor'],
  'aanspreekpunt-pesten': [
    'aanspreekpunt pesten',
    'pestcoordinator',
    'anti pestcoordinator',
    'antipestcoordinator',
    'aanspreekpunt',
    'pestcoördinator',
  ],
  vertrouwenspersoon: [
    'vertrouwenspersoon',
    'vertrouwenspersonen',
    'vp',
    'vertrouwens persoon',
    'confidential adviser',
  ],
  aandachtsfunctionaris: [
    'aandachtsfunctionaris',
    'aandachtfunctionaris',
    'meldcodefunctionaris',
    'safeguarding lead',
  ],
  zorgcoordinator: [
    'zorgcoordinator',
    'zorgcoördinator',
    'ib',
    'ib er',
    'iber',
    'intern begeleider',
    'zoco',
    'zorgco',
  ],
  schoolleiding: [
    'schoolleiding',
    'directeur',
    'directie',
    'rector',
    'schoolleider',
    'teamleider',
    'principal',
  ],
  'bevoegd-gezag': ['bevoegd gezag', 'bestuur', 'schoolbestuur', 'bestuurder'],
  fg: [
    'fg',
    'functionaris gegevensbescherming',
    'privacy officer',
    'privacyfunctionaris',
    'privacy functionaris',
  ],
  ict: ['ict', 'ict er', 'icter', 'systeembeheerder', 'ict coordinator', 'it'],
};

/** The people one goes to with worries, when no role is named: "bij wie kan ik terecht met zorgen?". */
const WORRY_ROLES: readonly RoleId[] = ['vertrouwenspersoon', 'aandachtsfunctionaris', 'zorgcoordinator'];

/** The openings of a who-question, normalised. */
const OPENINGS = [
  'wie is',
  'wie zijn',
  'wie is er',
  'wie is bij ons',
  'wie zijn bij ons',
  'bij wie kan ik terecht',
  'bij wie moet ik zijn',
  'bij wie kan ik',
  'naar wie kan ik',
  'naar wie moet ik',
  'wie kan ik bellen',
  'wie moet ik bellen',
  'wie kan ik benaderen',
  'wie mag ik',
  'who is',
  'who are',
  'who do i talk to',
  'who can i talk to',
  'who can i go to',
];

/** Words that may follow without turning the question into one about a topic. */
const PLACE_WORDS = new Set([
  'bij',
  'ons',
  'onze',
  'jullie',
  'hier',
  'school',
  'op',
  'de',
  'het',
  'onze',
  'our',
  'at',
  'here',
  'the',
  'zorgen',
  'zorg',
  'worries',
  'concerns',
  'terecht',
  'eigenlijk',
  'nu',
  'voor',
  'mij',
  'dit',
  'schooljaar',
  'met',
  'een',
  'vraag',
  'vragen',
]);

/**
 * The roles a who-question asks about: the named role(s), or the worry roles for "bij wie kan ik terecht"; undefined
 * when the question is not only about who (a topic word beyond the role and the place makes it a topic question).
 */
export function roleQuestion(text: string): readonly RoleId[] | undefined {
  const n = normalize(text);
  const opening = OPENINGS.filter((o) => n === o || n.startsWith(`${o} `)).sort(
    (a, b) => b.length - a.length,
  )[0];
  if (!opening) return undefined;
  let rest = ` ${n.slice(opening.length).trim()} `;
  const roles: RoleId[] = [];
  for (const [role, phrases] of Object.entries(ROLE_WORDS) as [RoleId, readonly string[]][]) {
    for (const p of [...phrases].sort((a, b) => b.length - a.length)) {
      const key = ` ${normalize(p)} `;
      if (rest.includes(key)) {
        if (!roles.includes(role)) roles.push(role);
        rest = rest.replace(key, ' ');
      }
    }
  }
  const others = rest.split(' ').filter((w) => w && !PLACE_WORDS.has(w) && !STOPWORDS.has(w));
  if (others.length > 0) return undefined;
  if (roles.length) return roles;
  return opening.includes('terecht') || / (zorgen|zorg|worries|concerns) /.test(` ${n} `)
    ? WORRY_ROLES
    : undefined;
}
