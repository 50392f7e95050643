import type { StringKey, Translate } from '../i18n/index.js';
import type { ConversationKind, IncomingAction, IncomingMessage, Lang, TurnContext } from '../types.js';
import type { Payload, PayloadSchema } from './payload.js';

/** Who may use a command or verb. An admin is also an expert; everyone includes staff not in the school config. */
export type Audience = 'everyone' | 'expert' | 'admin';

/**
 * What a typed command does in one kind of conversation:
 * - `here`: it does what it says, in this conversation (it is offered here: help card, Teams command list);
 * - `private`: it names cases or colleagues, so it runs in the user's 1:1 chat and this conversation only hears
 *   where the answer went (or, when no private message can be sent, where to type it);
 * - `explain`: it has no meaning here, and the answer says where it works.
 */
export type ScopeMode = 'here' | 'private' | 'explain';

/** A typed command, without its handler: what help, the Teams manifest and the Slack App Home are made from. */
export interface CommandSpec {
  readonly id: string;
  /** What users type, per language; the first word is the command's title in help and manifests. */
  readonly words: Readonly<Record<Lang, readonly string[]>>;
  /** One line for help and command lists. */
  readonly description: StringKey;
  readonly audience: Audience;
  /** Behaviour in every kind of conversation: a command never falls through to a search where it is typed. */
  readonly where: Readonly<Record<ConversationKind, ScopeMode>>;
  /** The answer where the mode is `explain`. */
  readonly explain?: StringKey;
  /** The answer to someone outside the audience. */
  readonly refusal?: StringKey;
  /** A button on the Slack App Home, when the command belongs there (label, and whether it is the main one). */
  readonly home?: { readonly label: StringKey; readonly primary?: boolean };
}

/** A card action verb, without its handler. */
export interface VerbSpec {
  readonly schema: PayloadSchema;
  /** Conversation kinds where the verb is accepted; elsewhere `outside` is answered and nothing happens. */
  readonly where: readonly ConversationKind[];
  /** The answer when the verb comes from elsewhere (default: "this button no longer works"). */
  readonly outside?: StringKey;
  /** The answer to data that does not fit the schema (default: "this button no longer works"). */
  readonly invalid?: StringKey;
}

/** An action on someone else's message (Teams message action, Slack message shortcut). */
export interface MessageActionSpec {
  /** Stable id: the Teams compose extension command id and the Slack shortcut callback id. */
  readonly id: string;
  readonly verb: string;
  readonly title: StringKey;
  readonly description: StringKey;
}

/** What a command handler gets. */
export interface CommandContext {
  readonly turn: TurnContext & { readonly incoming: IncomingMessage };
  readonly incoming: IncomingMessage;
  readonly reply: TurnContext['reply'];
  readonly t: Translate;
  readonly lang: Lang;
}

/** What a verb handler gets: the action and its data, checked against the verb's schema. */
export interface VerbContext<S extends PayloadSchema> {
  readonly turn: TurnContext & { readonly incoming: IncomingAction };
  readonly action: IncomingAction;
  readonly data: Payload<S>;
  readonly reply: TurnContext['reply'];
  readonly t: Translate;
  readonly lang: Lang;
}
