import assert from 'node:assert/strict';
import { buttonData, type ConnectorCall, FakeConnector, findAction } from './fake-connector.js';
import { postActivity } from './test-app.js';

/** What Teams gets back for an `adaptiveCard/action` invoke: the card to show, or a message. */
export type InvokeAnswer =
  | { statusCode: number; type: 'application/vnd.microsoft.card.adaptive'; value: Record<string, unknown> }
  | { statusCode: number; type: 'application/vnd.microsoft.activity.message'; value: string };

/** Channel conversations start with `19:` in Teams; the tests use `a:` for 1:1 chats. */
const kindOf = (conversationId: string) => (conversationId.startsWith('19:') ? 'channel' : 'personal');

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

  /**
   * An @mention of the bot in a channel or group chat. In a channel, Teams says which channel in
   * `channelData.channel.id`; the conversation id is that of the thread (`…;messageid=<root post>`).
   */
  async mention(text: string, conversation: Record<string, unknown>) {
    const id = String(conversation.id);
    const channelData =
      conversation.conversationType === 'channel'
        ? {
            channel: { id: id.split(';messageid=')[0] },
            team: { id: '19:team@thread.tacv2' },
            tenant: { id: 'tenant-1' },
          }
        : undefined;
    const res = await postActivity(this.appUrl(), {
      type: 'message',
      id: `m-${Math.random()}`,
      text: `<at>Vangnet</at> ${text}`,
      entities: [
        { type: 'mention', text: '<at>Vangnet</at>', mentioned: { id: '28:vangnet-bot', name: 'Vangnet' } },
      ],
      channelData,
      ...this.base(conversation),
    });
    assert.equal(res.status, 200);
  }

  /**
   * Presses a button on a card the bot sent, as Teams does: an Action.Execute becomes an `adaptiveCard/action` invoke
   * (data plus input values, replyToId = the card) whose answer is returned; an Action.Submit a message.
   */
  async press(
    call: ConnectorCall,
    title: string,
    inputs: Record<string, unknown> = {},
  ): Promise<InvokeAnswer | undefined> {
    const card = FakeConnector.card(call);
    const action = findAction(card, title);
    assert.ok(action, `button "${title}" on the card`);
    if (action.type === 'Action.Execute') {
      const data = (action.data as Record<string, unknown> | undefined) ?? {};
      return this.execute(String(action.verb), { ...data, ...inputs }, call.conversationId, call.responseId);
    }
    await this.submit({ ...buttonData(card, title), ...inputs }, call.conversationId, call.responseId);
    return undefined;
  }

  /** An `adaptiveCard/action` invoke (Action.Execute, or the card's refresh with `trigger: 'automatic'`). */
  async execute(
    verb: string,
    data: Record<string, unknown>,
    conversationId = this.dm,
    replyToId?: string,
    trigger: 'manual' | 'automatic' = 'manual',
  ): Promise<InvokeAnswer> {
    const res = await postActivity(this.appUrl(), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `i-${Math.random()}`,
      replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger },
      ...this.base({ id: conversationId, conversationType: kindOf(conversationId), tenantId: 'tenant-1' }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as InvokeAnswer;
  }

  /** The Teams message action "Melden bij Vangnet" on a message in `conversation` (composeExtension invoke). */
  async reportMessage(
    messagePayload: Record<string, unknown>,
    conversation: Record<string, unknown>,
    channelData: Record<string, unknown> = {},
    name: 'composeExtension/fetchTask' | 'composeExtension/submitAction' = 'composeExtension/fetchTask',
  ): Promise<{ task?: { type: string; value: string } }> {
    const res = await postActivity(this.appUrl(), {
      type: 'invoke',
      name,
      id: `x-${Math.random()}`,
      value: { commandId: 'reportMessage', commandContext: 'message', messagePayload },
      channelData,
      ...this.base(conversation),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { task?: { type: string; value: string } };
  }

  /** A card submission; in a conversation whose id starts with `19:` it comes from a channel, as in Teams. */
  async submit(value: Record<string, unknown>, conversationId = this.dm, replyToId?: string) {
    const conversationType = kindOf(conversationId);
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
