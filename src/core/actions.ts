/**
 * Card action verbs. Every button sends `{ verb, ...params }`; channels pass them to the core unchanged.
 * Use these constants, never the literals.
 */
export const VERB_HELP = 'help';
/** Ask a question from a button (example questions, "did you mean"). */
export const VERB_ASK = 'ask';
export const VERB_ARTICLE = 'kb.article';
/** Shows an article's answer card (first steps, what not to do, whom to involve): the choices of "Bedoel je …?". */
export const VERB_ANSWER = 'kb.answer';
export const VERB_FEEDBACK = 'kb.feedback';
export const VERB_ASK_EXPERT = 'expert.ask';
export const VERB_REPORT = 'incident.start';
/** Sends the "ask an expert" form. */
export const VERB_EXPERT_SEND = 'expert.send';

/** Maximum length of a verb or parameter accepted from a card submission. */
export const MAX_ACTION_FIELD = 200;
