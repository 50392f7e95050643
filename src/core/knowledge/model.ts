import type { AcuteConcern } from './acute.js';

/** The knowledge base model: articles and tips, as parsed from `knowledge/**.md`. */

export const LEVELS = ['po', 'vo', 'mbo'] as const;
export type Level = (typeof LEVELS)[number];

export const ROLE_IDS = [
  'mentor',
  'aanspreekpunt-pesten',
  'vertrouwenspersoon',
  'aandachtsfunctionaris',
  'zorgcoordinator',
  'schoolleiding',
  'bevoegd-gezag',
  'fg',
  'ict',
] as const;
export type RoleId = (typeof ROLE_IDS)[number];

export const TIP_TOPICS = [
  'in-de-klas',
  'incidenten',
  'privacy',
  'team-en-beleid',
  'eigen-gedrag',
  'ouders',
  'wet-en-regels',
] as const;
export type TipTopic = (typeof TIP_TOPICS)[number];

/** The slugs other tools refer to; `kb check` fails when one is missing. */
export const REQUIRED_SLUGS = [
  'sociale-media-en-online-gedrag',
  'delen-is-blijvend',
  'mediawijsheid',
  'gesprek-over-sociale-media',
  'afspraken-online-gedrag-klas',
  'groepsdynamiek-online',
  'rol-en-autoriteit-leraar',
  'contact-met-leerlingen-online',
  'ingrijpen-bij-incidenten',
  'gesprek-met-slachtoffer',
  'online-pesten',
  'bedreiging-online',
  'naaktbeelden-verspreid',
  'sextortion',
  'gehackt-account',
  'nepaccount',
  'cyberstalking',
  'discriminatie-online',
  'grooming',
  'calamiteit-en-crisis',
  'telefoon-innemen-en-doorzoeken',
  'rollen-op-school',
  'aanpak-in-het-team',
  'schooloverstijgend-incident',
  'protocol-sociale-media',
  'leraar-op-sociale-media',
  'berichten-over-personeel',
  'sgg-door-medewerker',
  'meldplicht-seksueel-misbruik',
  'meldcode-huiselijk-geweld',
  'ouders-betrekken',
  'politie-en-aangifte',
  'wet-en-regelgeving-online',
  'avg-en-sociale-media',
  'datalek-melden',
  'klachten-over-online-gedrag',
  'hulp-en-meldpunten',
  'privacy-en-dossiervorming',
  'zelfdoding-en-zelfbeschadiging',
  'dreiging-tegen-de-school',
  'deepfake-naaktbeelden',
  'vermist-na-online-contact',
] as const;

export interface Section {
  /** The `## ` heading, or '' for the introduction before the first heading. */
  readonly heading: string;
  /** Markdown text of the section, without its heading. */
  readonly text: string;
}

export interface Article {
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly levels: readonly Level[];
  readonly roles: readonly RoleId[];
  /** True for incidents a teacher may need to report now: the answer card offers "Melding maken". */
  readonly incident: boolean;
  readonly questions: readonly string[];
  readonly related: readonly string[];
  /**
   * Broader articles this one is a special case of (a deepfake nude is a nude image): it only competes with them
   * for a question that says something they do not cover (see `answers/decision.ts`).
   */
  readonly narrows?: readonly string[];
  readonly body: string;
  readonly sections: readonly Section[];
  /** Items of the "Wat doe je nu" list, plain text. */
  readonly firstSteps: readonly string[];
  /** Items of the "Wat doe je niet" list, plain text, most important first. */
  readonly dontSteps: readonly string[];
  readonly wordCount: number;
}

export interface Tip {
  readonly id: string;
  readonly title: string;
  readonly article: string;
  readonly levels: readonly Level[];
  readonly topic: TipTopic;
  readonly text: string;
  readonly wordCount: number;
}

export interface KnowledgeBase {
  readonly articles: readonly Article[];
  readonly tips: readonly Tip[];
  readonly bySlug: ReadonlyMap<string, Article>;
  /** Example questions Vangnet does not answer (`out-of-scope.yml`). */
  readonly outOfScope: readonly string[];
  /** Acute danger: the terms that give it away, per concern (`acute.yml`). */
  readonly acute: readonly AcuteConcern[];
}

export const ARTICLE_WORDS = { min: 200, max: 600 } as const;
export const TIP_WORDS = { min: 30, max: 120 } as const;
export const SUMMARY_MAX = 300;
export const TITLE_MAX = 90;
export const FIRST_STEPS_HEADING = 'Wat doe je nu';
export const DONT_STEPS_HEADING = 'Wat doe je niet';
