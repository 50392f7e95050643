import {
  VERB_CASE_ANSWER,
  VERB_CASE_ASK,
  VERB_CASE_CLOSE,
  VERB_CASE_EXPORT,
  VERB_CASE_HANDOVER,
  VERB_CASE_NOTE,
  VERB_CASE_REFRESH,
  VERB_CASE_SHOW,
  VERB_CASE_TAKE,
  VERB_SETTINGS_SAVE,
} from '../../actions.js';
import type { CaseHandler } from '../../cases/case-handler.js';
import type { CaseAction } from '../../cases/service.js';
import type { Translate } from '../../i18n/index.js';
import type { TurnContext } from '../../types.js';
import type { CommandHandlers, VerbHandlers } from '../registry.js';
import { notSetUp } from './not-set-up.js';

/** Lists, settings and the buttons on case cards; without a school configuration they say so. */
export function caseHandlers({ cases }: { readonly cases?: CaseHandler }) {
  /** One case button: its checked data as the service's action. */
  const act =
    <D extends { caseId: string }>(toAction: (data: D) => CaseAction) =>
    async (c: { turn: TurnContext; data: D; reply: TurnContext['reply']; t: Translate }) =>
      cases ? cases.act(c.turn, c.data.caseId, toAction(c.data)) : notSetUp(c);
  const commands = {
    mine: async (c) => (cases ? cases.mine(c.turn, c.t) : notSetUp(c)),
    queue: async (c) => (cases ? cases.queue(c.turn, c.t) : notSetUp(c)),
    settings: async (c) => (cases ? cases.settings(c.turn, c.t) : notSetUp(c)),
  } satisfies Partial<CommandHandlers>;
  const verbs = {
    [VERB_CASE_TAKE]: act(() => ({ kind: 'take' })),
    [VERB_CASE_HANDOVER]: act((d) => ({ kind: 'handover', target: d.target ?? '', reason: d.reason ?? '' })),
    [VERB_CASE_ASK]: act((d) => ({ kind: 'ask', question: d.question ?? '' })),
    [VERB_CASE_ANSWER]: act((d) => ({ kind: 'answer', answer: d.answer ?? '', replyTo: d.replyTo })),
    [VERB_CASE_NOTE]: act((d) => ({ kind: 'note', text: d.noteText ?? '' })),
    [VERB_CASE_CLOSE]: act((d) => ({ kind: 'close', outcome: d.outcome ?? '', note: d.note ?? '' })),
    [VERB_CASE_EXPORT]: act(() => ({ kind: 'export' })),
    [VERB_CASE_SHOW]: act(() => ({ kind: 'show' })),
    // A refresh never posts: it only answers the card it came from.
    [VERB_CASE_REFRESH]: async (c) => void (await cases?.refresh(c.turn, c.data.caseId, c.t)),
    [VERB_SETTINGS_SAVE]: async (c) => (cases ? cases.saveSettings(c.turn, c.t) : notSetUp(c)),
  } satisfies Partial<VerbHandlers>;
  return { commands, verbs };
}
