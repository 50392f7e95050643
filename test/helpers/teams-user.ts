import assert from 'node:assert/strict';
import { buttonData, type ConnectorCall, FakeConnector } from './fake-connector.js';
import { postActivity } from './test-app.js';

/** A Teams user talking to the bot the way the Teams service would deliver their activities. */
export class TeamsUser {
  constructor(
    private readonly appUrl: () => string,
    private readonly connector: FakeConnector,
    readonly id: string,
    readonly aadObjectId: string,
    readonly name: string,
  ) {}

  /** The 1:1 conversation id the bot created or uses with this user. */
  get dm(): string {
    return `a:dm-${this.id}`;
  }

  private base(conversation: Record<string, unknown>) {
    return {
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from: { id: this.id, name: this.name, aadObjectId: this.aadObjectId },
      recipient: { id: '28:vangnet-bot', name: 'Vangnet' },
      conversation,
      locale: 'nl-NL',
      timestamp: new Date().toISOString(),
    };
  }

  async say(
    text: string,
    conversation: Record<string, unknown> = {
      id: this.dm,
      conversationType: 'personal',
      tenantId: 'tenant-1',
    },
  ) {
    const res = await postActivity(this.appUrl(), {
      type: 'message',
      id: `m-${Math.random()}`,
      text,
      ...this.base(conversation),
    });
    assert.equal(res.status, 200);
  }

  async mention(text: string, conversation: Record<string, unknown>) {
    const res = await postActivity(this.appUrl(), {
      type: 'message',
      id: `m-${Math.random()}`,
      text: `<at>Vangnet</at> ${text}`,
      entities: [
        { type: 'mention', text: '<at>Vangnet</at>', mentioned: { id: '28:vangnet-bot', name: 'Vangnet' } },
      ],
      ...this.base(conversation),
    });
    assert.equal(res.status, 200);
  }

  /** Presses a button on a card the bot sent (Action.Submit): data plus input values, replyToId = the card. */
  async press(call: ConnectorCall, title: string, inputs: Record<string, unknown> = {}) {
    const card = FakeConnector.card(call);
    const data = buttonData(card, title);
    assert.ok(data, `button "${title}" on the card`);
    return this.submit({ ...data, ...inputs }, call.conversationId, call.responseId);
  }

  /** A card submission; in a conversation whose id starts with `19:` it comes from a channel, as in Teams. */
  async submit(value: Record<string, unknown>, conversationId = this.dm, replyToId?: string) {
    const conversationType = conversationId.startsWith('19:') ? 'channel' : 'personal';
    const res = await postActivity(this.appUrl(), {
      type: 'message',
      id: `s-${Math.random()}`,
      value,
      replyToId,
      ...this.base({ id: conversationId, conversationType, tenantId: 'tenant-1' }),
    });
    assert.equal(res.status, 200);
  }
}
