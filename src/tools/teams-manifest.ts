import { MESSAGE_ACTIONS, offeredIn } from '../core/commands/specs.js';
import { translator } from '../core/i18n/index.js';
import type { ConversationKind, Lang } from '../core/types.js';

/**
 * The parts of the Teams manifest made from the command registry: one command list per scope with exactly the
 * commands that work there, and the message action. Written twice never: `teams:package` fills them in, in Dutch in
 * the manifest and in English in its localisation file.
 */

/** Teams' bot scopes, and the kind of conversation each one is. */
export const TEAMS_SCOPES = {
  personal: 'personal',
  team: 'channel',
  groupChat: 'group',
} as const satisfies Record<string, ConversationKind>;
export type TeamsScope = keyof typeof TEAMS_SCOPES;

export interface ManifestCommand {
  readonly title: string;
  readonly description: string;
}

/** One list per scope (Teams allows three); each command as users type it in that language. */
export function commandLists(lang: Lang): { scopes: TeamsScope[]; commands: ManifestCommand[] }[] {
  const t = translator(lang);
  return (Object.keys(TEAMS_SCOPES) as TeamsScope[]).map((scope) => ({
    scopes: [scope],
    commands: offeredIn(TEAMS_SCOPES[scope]).map((c) => ({
      title: c.words[lang][0] ?? c.id,
      description: t(c.description),
    })),
  }));
}

/** The message actions ("…" on a message → "Melden bij Vangnet"), as compose extension action commands. */
export function messageActionCommands(lang: Lang) {
  const t = translator(lang);
  return MESSAGE_ACTIONS.map((a) => ({
    id: a.id,
    type: 'action' as const,
    title: t(a.title),
    description: t(a.description),
    context: ['message' as const],
    fetchTask: true,
  }));
}

/** The localisation file's keys for the generated parts, in one language. */
export function generatedStrings(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  commandLists(lang).forEach((list, i) => {
    list.commands.forEach((c, j) => {
      out[`bots[0].commandLists[${i}].commands[${j}].title`] = c.title;
      out[`bots[0].commandLists[${i}].commands[${j}].description`] = c.description;
    });
  });
  messageActionCommands(lang).forEach((c, i) => {
    out[`composeExtensions[0].commands[${i}].title`] = c.title;
    out[`composeExtensions[0].commands[${i}].description`] = c.description;
  });
  return out;
}
