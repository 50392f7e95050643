/**
 * Platform-neutral types shared by the core and every channel.
 * Channels translate their SDK objects into these and back; the core never sees an SDK type.
 */

export type Platform = 'teams' | 'slack' | 'local';
export type Lang = 'nl' | 'en';

/** Where a message was said. `personal` is a 1:1 chat with the bot. */
export type ConversationKind = 'personal' | 'group' | 'channel';

export interface Actor {
  /** Platform user id (Teams: Bot Framework user id; Slack: U…; local: web chat user id). */
  readonly id: string;
  readonly name?: string;
  /** Teams only: the Entra ID (AAD) object id, which school configs use to name role holders. */
  readonly aadObjectId?: string;
}

export interface Conversation {
  readonly platform: Platform;
  readonly id: string;
  readonly kind: ConversationKind;
  readonly tenantId?: string;
}

interface IncomingBase {
  readonly actor: Actor;
  readonly conversation: Conversation;
  /** Preferred language of the user, when the platform tells it. */
  readonly lang?: Lang;
  /**
   * A link that opens the user's private chat with the bot, when the platform has one (Teams: a deep link to the
   * 1:1 chat with the app). Shown where a step can only happen privately.
   */
  readonly privateChatUrl?: string;
}

/** A text message to the bot, with the bot's own @mention already removed. */
export interface IncomingMessage extends IncomingBase {
  readonly type: 'message';
  readonly text: string;
  /** True when the bot was @mentioned (always true in a personal chat). */
  readonly addressed: boolean;
}

/** A button press or form submission on a card the bot sent. */
export interface IncomingAction extends IncomingBase {
  readonly type: 'action';
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Id of the message whose button was pressed, when the platform says. */
  readonly sourceMessageId?: string;
}

export type Incoming = IncomingMessage | IncomingAction;

/** A reply: either plain text or a card template with its data. */
export type Outgoing =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'card';
      /** Template name: a file `cards/<template>.json`. */
      readonly template: string;
      readonly data: Readonly<Record<string, unknown>>;
      /** Plain text shown in notifications and to clients that cannot render the card. */
      readonly summary: string;
      /** Urgent: the platform should alert the recipient (Teams: `channelData.notification.alert`). */
      readonly alert?: boolean;
    };

/** What a handler gets: the incoming event and a way to answer in the same conversation. */
export interface TurnContext {
  readonly incoming: Incoming;
  /** Answers in the same conversation; resolves with the new message's id when the platform gives one. */
  readonly reply: (out: Outgoing) => Promise<string | undefined>;
  /** Replaces the message whose button was pressed (card update in place); false when that is not possible. */
  readonly updateSource?: (out: Outgoing) => Promise<boolean>;
  /**
   * Replaces the pressed card for the person who pressed it only, leaving it as it was for everyone else (Teams
   * Universal Actions: the card in the invoke response). Absent where the platform cannot; then a handler must not
   * fall back to a reply that everyone in a shared conversation would see.
   */
  readonly updateForActor?: (out: Outgoing) => Promise<boolean>;
}
