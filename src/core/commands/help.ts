import type { Translate } from '../i18n/index.js';
import type { ConversationKind, Lang, Outgoing } from '../types.js';
import { offeredIn } from './specs.js';

/**
 * The help card for one kind of conversation: what Vangnet does and the commands that work there, made from the
 * registry so help never offers a command that would not work where it is read.
 */
export function helpCard(t: Translate, lang: Lang, kind: ConversationKind = 'personal'): Outgoing {
  return {
    kind: 'card',
    template: 'help',
    summary: t('help.summary'),
    data: {
      title: t('help.title'),
      intro: t('help.intro'),
      ask: t('help.ask'),
      // In a channel or group chat Vangnet only hears messages that @mention it.
      mention: kind === 'personal' ? '' : t('help.mention'),
      commandsLabel: t('help.commands'),
      // One list in one TextBlock: it wraps in a narrow window, where a FactSet's first column breaks words apart.
      commands: offeredIn(kind)
        .map((c) => `- **${c.words[lang][0] ?? c.id}**: ${t(c.description)}`)
        .join('\n'),
      privacy: t('help.privacy'),
      examplesLabel: t('help.examples'),
      examples: (['help.example1', 'help.example2', 'help.example3'] as const).map((k) => ({ text: t(k) })),
      reportLabel: t('answer.report'),
    },
  };
}
