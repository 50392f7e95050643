import type { Translate } from '../../i18n/index.js';
import type { TurnContext } from '../../types.js';

/** The answer to reports, questions and lists on a server without a school configuration: not set up, and whom to ask. */
export async function notSetUp({ reply, t }: { reply: TurnContext['reply']; t: Translate }): Promise<void> {
  await reply({ kind: 'text', text: t('expert.soon') });
}

/** The answer to a button whose feature is not there (any more). */
export async function gone({ reply, t }: { reply: TurnContext['reply']; t: Translate }): Promise<void> {
  await reply({ kind: 'text', text: t('error.unknownAction') });
}
