/**
 * Card action verbs. Every button names one of these; channels pass them to the core unchanged, and the command
 * registry (`commands/specs.ts`) declares each one's payload schema and handler. Use these constants, never the
 * literals.
 */
export const VERB_HELP = 'help';
/** Ask a question from a button (example questions, "did you mean"): handled as if it was typed. */
export const VERB_ASK = 'ask';
export const VERB_ARTICLE = 'kb.article';
/** Shows an article's answer card (first steps, what not to do, whom to involve): the choices of "Bedoel je …?". */
export const VERB_ANSWER = 'kb.answer';
export const VERB_FEEDBACK = 'kb.feedback';
export const VERB_ASK_EXPERT = 'expert.ask';
export const VERB_REPORT = 'incident.start';
/** Sends the "ask an expert" form. */
export const VERB_EXPERT_SEND = 'expert.send';
/** "Melden bij Vangnet" on someone's message (Teams message action, Slack message shortcut). */
export const VERB_REPORT_MESSAGE = 'incident.report-message';
export const VERB_TIP_FEEDBACK = 'tip.feedback';
export const VERB_SETTINGS_SAVE = 'settings.save';

export const VERB_CASE_TAKE = 'case.take';
export const VERB_CASE_NOTE = 'case.note';
export const VERB_CASE_HANDOVER = 'case.handover';
export const VERB_CASE_ASK = 'case.ask';
export const VERB_CASE_ANSWER = 'case.answer';
export const VERB_CASE_CLOSE = 'case.close';
export const VERB_CASE_EXPORT = 'case.export';
export const VERB_CASE_SHOW = 'case.show';
/** The case card's `refresh` action: the current card for whoever looks (Teams Universal Actions). */
export const VERB_CASE_REFRESH = 'case.refresh';

/** Maximum length of a verb or parameter accepted from a card submission. */
export const MAX_ACTION_FIELD = 200;
