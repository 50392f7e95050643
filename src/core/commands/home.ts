import { VERB_ASK } from '../actions.js';
import type { Translate } from '../i18n/index.js';
import type { Lang } from '../types.js';
import { COMMAND_SPECS } from './specs.js';

/** A button on a channel's home page (the Slack App Home): a command, sent as if the user typed it. */
export interface HomeAction {
  readonly id: string;
  readonly label: string;
  readonly primary: boolean;
  readonly data: { readonly verb: string; readonly q: string };
}

/**
 * The buttons of the home page, from the registry: every command with a `home` label, which the button types for the
 * user (so it does exactly what the typed command does, in the user's private chat).
 */
export function homeActions(t: Translate, lang: Lang): HomeAction[] {
  return COMMAND_SPECS.flatMap((c) =>
    'home' in c && c.home
      ? [
          {
            id: c.id,
            label: t(c.home.label),
            primary: 'primary' in c.home && c.home.primary === true,
            data: { verb: VERB_ASK, q: c.words[lang][0] ?? c.id },
          },
        ]
      : [],
  );
}
