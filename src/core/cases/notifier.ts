import type { Outgoing } from '../types.js';
import type { MessageRef, PlatformAddress } from './model.js';

/** Raised by a notifier when a person cannot be reached (no chat with the bot, platform refused, network). */
export class DeliveryError extends Error {
  constructor(
    readonly code: 'no-address' | 'unreachable' | 'refused',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** Private messages to people, and updates of messages sent before. Implemented per channel. */
export interface Notifier {
  send(to: PlatformAddress, out: Outgoing): Promise<MessageRef>;
  update(ref: MessageRef, out: Outgoing): Promise<void>;
}
