import { VERB_ASK_EXPERT, VERB_EXPERT_SEND, VERB_REPORT, VERB_REPORT_MESSAGE } from '../../actions.js';
import { messageSourceFrom } from '../../cases/message-source.js';
import { type FlowHandler, MAX_QUESTION } from '../../escalation/flow-handler.js';
import { VERB_FLOW } from '../../escalation/views.js';
import { ROLE_IDS, type RoleId } from '../../knowledge/model.js';
import { SLUG } from '../payload.js';
import type { CommandHandlers, VerbHandlers } from '../registry.js';
import { gone, notSetUp } from './not-set-up.js';

/** Reports ("melding") and questions to an expert; without a school configuration both say they are not set up. */
export function reportHandlers({ flows }: { readonly flows?: FlowHandler }) {
  const slug = (s: string | undefined) => (s && SLUG.test(s) ? s : undefined);
  const commands = {
    report: async (c) => (flows ? flows.start(c.turn, c.t, c.lang) : notSetUp(c)),
    askExpert: async (c) => (flows ? flows.startQuestion(c.turn, c.t) : notSetUp(c)),
  } satisfies Partial<CommandHandlers>;
  const verbs = {
    [VERB_REPORT]: async (c) => (flows ? flows.start(c.turn, c.t, c.lang, slug(c.data.slug)) : notSetUp(c)),
    [VERB_ASK_EXPERT]: async (c) =>
      flows
        ? flows.startQuestion(c.turn, c.t, {
            slug: slug(c.data.slug),
            question: c.data.question?.slice(0, MAX_QUESTION),
            role: (ROLE_IDS as readonly string[]).includes(c.data.role ?? '')
              ? (c.data.role as RoleId)
              : undefined,
          })
        : notSetUp(c),
    [VERB_REPORT_MESSAGE]: async (c) => {
      if (!flows) return notSetUp(c);
      const source = messageSourceFrom(c.action.conversation.platform, c.data);
      await flows.start(c.turn, c.t, c.lang, undefined, source);
    },
    [VERB_EXPERT_SEND]: async (c) => (flows ? flows.submitQuestion(c.turn, c.t) : gone(c)),
    [VERB_FLOW]: async (c) => (flows ? flows.onAction(c.turn, c.t, c.lang) : gone(c)),
  } satisfies Partial<VerbHandlers>;
  return { commands, verbs };
}
