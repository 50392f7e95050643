import {
  VERB_ANSWER,
  VERB_ARTICLE,
  VERB_ASK,
  VERB_ASK_EXPERT,
  VERB_CASE_ANSWER,
  VERB_CASE_ASK,
  VERB_CASE_CLOSE,
  VERB_CASE_EXPORT,
  VERB_CASE_HANDOVER,
  VERB_CASE_NOTE,
  VERB_CASE_REFRESH,
  VERB_CASE_SHOW,
  VERB_CASE_TAKE,
  VERB_EXPERT_SEND,
  VERB_FEEDBACK,
  VERB_HELP,
  VERB_REPORT,
  VERB_REPORT_MESSAGE,
  VERB_SETTINGS_SAVE,
  VERB_TIP_FEEDBACK,
} from '../actions.js';
import { VERB_FLOW } from '../escalation/views.js';
import type { ConversationKind } from '../types.js';
import type { PayloadSchema } from './payload.js';
import type { CommandSpec, MessageActionSpec, ScopeMode, VerbSpec } from './types.js';
import { CommandTypos } from './typos.js';

/**
 * The one list of what Vangnet understands: typed commands, card verbs and message actions. Help, the Teams
 * manifest's command lists, the Slack App Home and the tests are made from these; handlers are bound per id in
 * `registry.ts`, and the type system makes sure every id has one.
 */

export const KINDS: readonly ConversationKind[] = ['personal', 'group', 'channel'];
const everywhere: Record<ConversationKind, ScopeMode> = { personal: 'here', group: 'here', channel: 'here' };
/** Lists and settings name cases and colleagues: they only ever appear in the private chat. */
const privateOnly: Record<ConversationKind, ScopeMode> = {
  personal: 'here',
  group: 'private',
  channel: 'private',
};
/** Weekly tips are for shared conversations. */
const sharedOnly: Record<ConversationKind, ScopeMode> = {
  personal: 'explain',
  group: 'here',
  channel: 'here',
};

export const COMMAND_SPECS = [
  {
    id: 'help',
    words: {
      nl: [
        'help',
        'hulp',
        'hallo',
        'hoi',
        'hey',
        'hi',
        'goedemorgen',
        'goedemiddag',
        'start',
        'menu',
        '?',
        'wat kan je',
        'wat kun je',
        'wat kan vangnet',
        'wie ben je',
      ],
      en: ['help', 'hi', 'hello', 'what can you do'],
    },
    description: 'command.help',
    audience: 'everyone',
    where: everywhere,
    home: { label: 'article.backToHelp' },
  },
  {
    id: 'report',
    words: {
      nl: ['melding', 'melding maken', 'nieuwe melding', 'incident melden', 'meld', 'melden'],
      en: ['report', 'report an incident'],
    },
    description: 'command.report',
    audience: 'everyone',
    // Said in a channel, the flow handler itself continues privately and leaves a neutral card.
    where: everywhere,
    home: { label: 'answer.report', primary: true },
  },
  {
    id: 'askExpert',
    words: { nl: ['vraag een expert', 'vraag aan een expert', 'expert'], en: ['ask an expert'] },
    description: 'command.askExpert',
    audience: 'everyone',
    where: everywhere,
    home: { label: 'answer.askExpert' },
  },
  {
    id: 'mine',
    words: { nl: ['mijn meldingen'], en: ['my reports'] },
    description: 'command.mine',
    audience: 'everyone',
    where: privateOnly,
    home: { label: 'cases.mine.title' },
  },
  {
    id: 'queue',
    words: { nl: ['open meldingen'], en: ['open reports'] },
    description: 'command.queue',
    audience: 'expert',
    refusal: 'cases.open.notExpert',
    where: privateOnly,
  },
  {
    id: 'tipNow',
    words: { nl: ['tip', 'tip van de week', 'geef een tip'], en: ['tip', 'tip of the week'] },
    description: 'command.tipNow',
    audience: 'everyone',
    where: everywhere,
  },
  {
    id: 'tipsOn',
    words: { nl: ['tips aan', 'tip aan'], en: ['tips on'] },
    description: 'command.tipsOn',
    audience: 'everyone',
    where: sharedOnly,
    explain: 'tips.personal',
  },
  {
    id: 'tipsOff',
    words: { nl: ['tips uit', 'tip uit'], en: ['tips off'] },
    description: 'command.tipsOff',
    audience: 'everyone',
    where: sharedOnly,
    explain: 'tips.personal',
  },
  {
    id: 'tipsList',
    words: { nl: ['tips', 'tips lijst', 'abonnementen'], en: ['subscriptions'] },
    description: 'command.tipsList',
    audience: 'admin',
    refusal: 'tips.notAdmin',
    where: privateOnly,
  },
  {
    id: 'settings',
    words: { nl: ['instellingen'], en: ['settings'] },
    description: 'command.settings',
    audience: 'admin',
    refusal: 'settings.notAdmin',
    where: privateOnly,
  },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMAND_SPECS)[number]['id'];

const MAX_TEXT = 5000;
const optionalText = { type: 'string', max: MAX_TEXT, optional: true } as const;
const caseId = { caseId: { type: 'string' } } as const satisfies PayloadSchema;
/** Case details never go to a shared conversation, whoever asks. */
const casePrivate = { where: ['personal'], outside: 'case.refused' } as const satisfies Partial<VerbSpec>;

export const VERB_SPECS = {
  [VERB_HELP]: { schema: {}, where: KINDS },
  [VERB_ASK]: { schema: { q: { type: 'string' } }, where: KINDS },
  [VERB_ARTICLE]: { schema: { slug: { type: 'string' } }, where: KINDS, invalid: 'error.unknownArticle' },
  [VERB_FEEDBACK]: { schema: { slug: { type: 'string' }, helpful: { type: 'boolean' } }, where: KINDS },
  [VERB_REPORT]: { schema: { slug: { type: 'string', optional: true } }, where: KINDS },
  [VERB_ANSWER]: { schema: { slug: { type: 'string' } }, where: KINDS, invalid: 'error.unknownArticle' },
  [VERB_ASK_EXPERT]: {
    schema: {
      slug: { type: 'string', optional: true },
      question: optionalText,
      role: { type: 'string', max: 40, optional: true },
    },
    where: KINDS,
  },
  [VERB_EXPERT_SEND]: {
    // Lengths are checked by the handler, which says what is wrong; the schema only stops the absurd.
    schema: { formId: { type: 'string' }, question: optionalText, role: { type: 'string', optional: true } },
    where: ['personal'],
  },
  [VERB_FLOW]: {
    schema: {
      flowId: { type: 'string' },
      rev: { type: 'integer', optional: true },
      event: { type: 'string' },
      value: { type: 'string', optional: true },
      checked: { type: 'list', optional: true },
      description: { type: 'string', max: MAX_TEXT * 2, optional: true },
    },
    where: ['personal'],
  },
  [VERB_REPORT_MESSAGE]: {
    schema: {
      author: { type: 'string', optional: true },
      sentAt: { type: 'string', max: 64, optional: true },
      link: { type: 'string', max: 2000, optional: true },
      place: { type: 'string', max: 20, optional: true },
      placeName: { type: 'string', optional: true },
    },
    where: KINDS,
  },
  [VERB_CASE_TAKE]: { schema: caseId, ...casePrivate },
  [VERB_CASE_HANDOVER]: {
    schema: { ...caseId, target: { type: 'string', optional: true }, reason: optionalText },
    ...casePrivate,
  },
  [VERB_CASE_ASK]: { schema: { ...caseId, question: optionalText }, ...casePrivate },
  [VERB_CASE_ANSWER]: {
    schema: { ...caseId, answer: optionalText, replyTo: { type: 'string', max: 64, optional: true } },
    ...casePrivate,
  },
  [VERB_CASE_NOTE]: { schema: { ...caseId, noteText: optionalText }, ...casePrivate },
  [VERB_CASE_CLOSE]: {
    schema: { ...caseId, outcome: { type: 'string', optional: true }, note: optionalText },
    ...casePrivate,
  },
  [VERB_CASE_EXPORT]: { schema: caseId, ...casePrivate },
  [VERB_CASE_SHOW]: { schema: caseId, ...casePrivate },
  [VERB_CASE_REFRESH]: { schema: caseId, ...casePrivate },
  [VERB_SETTINGS_SAVE]: {
    schema: { role: { type: 'string', optional: true }, holders: { type: 'list', optional: true } },
    where: ['personal'],
    outside: 'settings.notAdmin',
  },
  [VERB_TIP_FEEDBACK]: {
    schema: { tipId: { type: 'string', pattern: /^tip-\d{3}$/ }, helpful: { type: 'boolean' } },
    where: KINDS,
  },
} as const satisfies Record<string, VerbSpec>;

export type Verb = keyof typeof VERB_SPECS;

export const MESSAGE_ACTIONS = [
  {
    id: 'reportMessage',
    verb: VERB_REPORT_MESSAGE,
    title: 'messageAction.report.title',
    description: 'messageAction.report.description',
  },
] as const satisfies readonly MessageActionSpec[];

/** Lower case, one space between words, no closing punctuation ("Tips aan!" is "tips aan"). */
export function normaliseCommand(text: string): string {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return s.replace(/[\s!?.]+$/, '') || s;
}

const BY_WORD = new Map<string, CommandSpec>(
  COMMAND_SPECS.flatMap((c) => [...c.words.nl, ...c.words.en].map((w) => [normaliseCommand(w), c] as const)),
);

const TYPOS = new CommandTypos([...BY_WORD.keys()]);

/**
 * The command these words are, in any language (with a typing slip forgiven, see `CommandTypos`), or undefined for
 * anything else (a question).
 */
export function commandOf(text: string): (typeof COMMAND_SPECS)[number] | undefined {
  const key = normaliseCommand(text);
  const word = BY_WORD.has(key) ? key : TYPOS.correct(key);
  return (word ? BY_WORD.get(word) : undefined) as (typeof COMMAND_SPECS)[number] | undefined;
}

/** The commands offered in a kind of conversation, in the registry's order. */
export function offeredIn(kind: ConversationKind): readonly (typeof COMMAND_SPECS)[number][] {
  return COMMAND_SPECS.filter((c) => c.where[kind] === 'here');
}
