import type { Translate } from '../i18n/index.js';
import type { Outgoing } from '../types.js';

/**
 * The neutral card in a shared conversation for a command that only answers privately: it says that the answer went
 * to the private chat, or, when it could not be sent, truthfully where to type the command. Where the platform has a
 * link to that chat (Teams), the card carries it.
 */
export function privateRedirectCard(
  t: Translate,
  opts: { sent: boolean; command?: string; chatUrl?: string },
): Outgoing {
  const title = t(opts.sent ? 'redirect.sent.title' : 'redirect.private.title');
  return {
    kind: 'card',
    template: 'redirect',
    summary: title,
    data: {
      title,
      body: opts.sent ? t('redirect.sent.body') : t('redirect.typeThere', { command: opts.command ?? '' }),
      chatUrl: opts.chatUrl ?? '',
      openChat: t('redirect.openChat'),
    },
  };
}
