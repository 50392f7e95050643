import { DeliveryError } from '../cases/notifier.js';
import type { Translate } from '../i18n/index.js';
import { errorFields, type Logger } from '../logger.js';
import type { Incoming, IncomingAction, IncomingMessage, Lang, Outgoing, TurnContext } from '../types.js';
import { parsePayload } from './payload.js';
import { privateRedirectCard } from './redirect.js';
import { type CommandId, commandOf, VERB_SPECS, type Verb } from './specs.js';
import type { Audience, CommandContext, CommandSpec, VerbContext, VerbSpec } from './types.js';

/** One handler per command id: the compiler refuses a registry with a command nobody handles. */
export type CommandHandlers = Readonly<Record<CommandId, (c: CommandContext) => Promise<void>>>;
/** One handler per verb, typed by the verb's payload schema. */
export type VerbHandlers = {
  readonly [V in Verb]: (c: VerbContext<(typeof VERB_SPECS)[V]['schema']>) => Promise<void>;
};

export interface RegistryDeps {
  readonly commands: CommandHandlers;
  readonly verbs: VerbHandlers;
  /** Who the actor is to the school; decides the audience check. */
  readonly access: (incoming: Incoming) => Audience;
  /** Sends to the actor's private chat; throws a DeliveryError when that is not possible. */
  readonly sendPrivately?: (incoming: Incoming, out: Outgoing) => Promise<void>;
  readonly logger: Logger;
}

const RANK: Record<Audience, number> = { everyone: 0, expert: 1, admin: 2 };

/**
 * The router for typed commands and card verbs. It decides, from the specs alone, whether a command runs here,
 * privately or is explained, whether the actor may use it and whether a card's data fits its verb; the handlers
 * only do the work.
 */
export class CommandRegistry {
  constructor(private readonly deps: RegistryDeps) {}

  /** Whether a card verb has a handler (the tests link every button of every card to one). */
  handlesVerb(verb: string): boolean {
    return Object.hasOwn(VERB_SPECS, verb) && typeof this.deps.verbs[verb as Verb] === 'function';
  }

  /** Whether a command has a handler. */
  handlesCommand(id: string): boolean {
    return Object.hasOwn(this.deps.commands, id) && typeof this.deps.commands[id as CommandId] === 'function';
  }

  /** Handles a typed command; false when the text is no command (then it is a question for the search). */
  async onMessage(turn: TurnContext & { incoming: IncomingMessage }, t: Translate, lang: Lang) {
    const spec: CommandSpec | undefined = commandOf(turn.incoming.text);
    if (!spec) return false;
    const c: CommandContext = { turn, incoming: turn.incoming, reply: turn.reply, t, lang };
    const mode = spec.where[turn.incoming.conversation.kind];
    if (mode === 'explain') {
      await turn.reply({ kind: 'text', text: t(spec.explain ?? 'error.unknownAction') });
      return true;
    }
    if (RANK[this.deps.access(turn.incoming)] < RANK[spec.audience]) {
      await turn.reply({ kind: 'text', text: t(spec.refusal ?? 'error.unknownAction') });
      return true;
    }
    const run = this.deps.commands[spec.id as CommandId];
    if (mode === 'private') await this.runPrivately(spec, c, run);
    else await run(c);
    return true;
  }

  /**
   * Runs a command whose answer names cases or colleagues in the actor's private chat. The shared conversation
   * hears where the answer went; when no private message can be sent, it hears truthfully where to type it.
   */
  private async runPrivately(
    spec: CommandSpec,
    c: CommandContext,
    run: (c: CommandContext) => Promise<void>,
  ) {
    const { incoming, t } = c;
    const send = this.deps.sendPrivately;
    const word = spec.words[c.lang][0] ?? spec.id;
    if (send) {
      const reply = async (out: Outgoing) => {
        await send(incoming, out);
        return undefined;
      };
      try {
        await run({ ...c, reply, turn: { ...c.turn, reply, updateSource: undefined } });
        await c.reply(privateRedirectCard(t, { sent: true, chatUrl: incoming.privateChatUrl }));
        return;
      } catch (err) {
        if (!(err instanceof DeliveryError)) throw err;
        this.deps.logger.warn('command.private_failed', {
          platform: incoming.conversation.platform,
          command: spec.id,
          ...errorFields(err),
        });
      }
    }
    await c.reply(privateRedirectCard(t, { sent: false, command: word, chatUrl: incoming.privateChatUrl }));
  }

  /** Handles a card action: unknown verbs, data that does not fit and actions from the wrong place change nothing. */
  async onAction(turn: TurnContext & { incoming: IncomingAction }, t: Translate, lang: Lang): Promise<void> {
    const action = turn.incoming;
    const verb = action.verb as Verb;
    const spec: VerbSpec | undefined = Object.hasOwn(VERB_SPECS, verb) ? VERB_SPECS[verb] : undefined;
    if (!spec) {
      this.deps.logger.warn('bot.unknown_action', { platform: action.conversation.platform });
      await turn.reply({ kind: 'text', text: t('error.unknownAction') });
      return;
    }
    if (!spec.where.includes(action.conversation.kind)) {
      await turn.reply({ kind: 'text', text: t(spec.outside ?? 'error.unknownAction') });
      return;
    }
    const data = parsePayload(spec.schema, action.data);
    if (!data) {
      this.deps.logger.info('bot.invalid_action', { platform: action.conversation.platform, verb });
      await turn.reply({ kind: 'text', text: t(spec.invalid ?? 'error.unknownAction') });
      return;
    }
    // Handlers see only the declared fields: whatever else a forged card carried is gone.
    const checked = { ...turn, incoming: { ...action, data } };
    const handler = this.deps.verbs[verb] as (c: VerbContext<VerbSpec['schema']>) => Promise<void>;
    await handler({ turn: checked, action: checked.incoming, data, reply: turn.reply, t, lang });
  }
}
