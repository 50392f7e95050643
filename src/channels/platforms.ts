import type { MessageRef, PlatformAddress } from '../core/cases/model.js';
import { DeliveryError, type Notifier } from '../core/cases/notifier.js';
import { PostError } from '../core/tips/fanout.js';
import type { Outgoing, Platform } from '../core/types.js';

/** Routes private messages to the notifier of the person's platform. */
export class PlatformNotifier implements Notifier {
  constructor(private readonly byPlatform: Partial<Record<string, Notifier>>) {}
  private pick(platform: string): Notifier {
    const n = this.byPlatform[platform];
    if (!n) throw new DeliveryError('no-address', `no channel for ${platform}`);
    return n;
  }
  send(to: PlatformAddress, out: Outgoing) {
    return this.pick(to.platform).send(to, out);
  }
  update(ref: MessageRef, out: Outgoing) {
    return this.pick(ref.platform).update(ref, out);
  }
}

/** Posts into a conversation of one platform (weekly tips), failures classified for the fan-out queue. */
export interface ConversationPoster {
  postToConversation(conversationId: string, out: Outgoing): Promise<void>;
}

/** Routes weekly tips to the poster of the subscription's platform. */
export class PlatformPoster {
  constructor(
    private readonly botFramework: {
      post(platform: Platform, conversationId: string, out: Outgoing): Promise<void>;
    },
    private readonly slack?: ConversationPoster,
  ) {}
  async post(platform: Platform, conversationId: string, out: Outgoing): Promise<void> {
    if (platform === 'slack') {
      if (!this.slack) throw new PostError('gone', 'Slack is not configured');
      return this.slack.postToConversation(conversationId, out);
    }
    return this.botFramework.post(platform, conversationId, out);
  }
}
