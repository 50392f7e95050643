/**
 * Slack-only ids: Block Kit action ids, view callback ids and the verbs Slack handles itself. Each is a constant
 * here, never a repeated literal. (Card buttons get their action ids from `adaptiveCardToBlocks`.)
 */

/** The modal an Action.ShowCard's sub-card opens as. */
export const MODAL_CALLBACK_ID = 'vangnet.modal';

/** Buttons on the App Home tab. */

/** "Vorige" / "Volgende" under a list that is longer than one message. */
export const PAGE_PREVIOUS_ACTION = 'page-previous';
export const PAGE_NEXT_ACTION = 'page-next';
/** The verb of the page buttons: `{ verb, q, page }` — the list is made again from `q`, what was typed. */
export const VERB_SLACK_PAGE = 'slack.page';
/** The App Home button that asks for a one-time sign-in link to the workspace (sent by DM). */
export const VERB_WORKSPACE_SIGNIN = 'workspace.signin';

/** What rebuilds a case card, and with it the modals of its buttons ("Overdragen aan…", "Vraag stellen", …). */
export const VERB_CASE_SHOW = 'case.show';
