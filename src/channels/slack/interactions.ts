import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { translator } from '../../core/i18n/index.js';
import type { Actor, Conversation, Outgoing } from '../../core/types.js';
import { VERB_SLACK_PAGE, VERB_WORKSPACE_SIGNIN } from './action-ids.js';
import { SHOWCARD_PREFIX, submittedData } from './blocks.js';
import type { SlackModals } from './modals.js';
import type { SlackBody } from './payload.js';
import { LIST_TEMPLATE, type SlackRenderer } from './render.js';
import { type ReplyTarget, type Respond, SlackReplier } from './replies.js';
import type { SlackTurns } from './turns.js';

export interface InteractionDeps {
  readonly turns: SlackTurns;
  readonly modals: SlackModals;
  readonly renderer: SlackRenderer;
  readonly client: WebClient;
  /** The workspace's one-time sign-in link for a Slack user. */
  readonly workspaceSignIn?: (userId: string) => Promise<Outgoing>;
}

/**
 * Buttons on Vangnet's messages and on the App Home tab. A button on an "only visible to you" message (an answer
 * to /vangnet in a channel) is answered only to the person who pressed it, through the payload's response_url,
 * and replaces that message where the answer is an update: chat.update cannot reach ephemeral messages, and a
 * bot-token post would show the channel what this person is reading or reporting.
 */
export function registerInteractions(app: App, deps: InteractionDeps): void {
  const { turns, modals } = deps;
  app.action(/.*/, async ({ ack, body, action, respond }) => {
    await ack();
    const b = body as SlackBody;
    const a = action as SlackBody;
    const user = String(b.user?.id ?? '');
    if (!user) return;
    const actor: Actor = { id: user, name: b.user?.name };
    const where = await placeOf(b, turns, respond as Respond | undefined);
    if (!where) return;
    const { target, conversation } = where;
    const replier = new SlackReplier(deps.client, target);

    if (String(a.action_id).startsWith(SHOWCARD_PREFIX)) {
      const submit = submittedData(typeof a.value === 'string' ? a.value : undefined, undefined) ?? {};
      const sub = await modals.subCard(submit, actor, conversation);
      if ('card' in sub && b.trigger_id) {
        await modals.open({
          triggerId: String(b.trigger_id),
          title: String(a.text?.text ?? 'Vangnet'),
          sub: sub.card,
          metadata: { channel: target.channel, ts: target.source?.ts, data: submit },
        });
      } else {
        const instead =
          'instead' in sub && sub.instead
            ? sub.instead
            : { kind: 'text' as const, text: translator(turns.lang)('error.unknownAction') };
        await replier.send(deps.renderer.message(instead));
      }
      return;
    }

    const data = submittedData(typeof a.value === 'string' ? a.value : undefined, b.state?.values);
    if (!data || typeof data.verb !== 'string') return;
    const { verb, ...rest } = data;
    if (verb === VERB_SLACK_PAGE) {
      await showPage(deps, replier, rest, actor, conversation);
      return;
    }
    if (verb === VERB_WORKSPACE_SIGNIN && deps.workspaceSignIn) {
      // A personal link: always to the DM of the user who pressed, never where the button was.
      const dm = await turns.botDmOf(user);
      if (dm)
        await new SlackReplier(deps.client, { channel: dm }).send(
          deps.renderer.message(await deps.workspaceSignIn(user)),
        );
      return;
    }
    await turns.dispatch(
      {
        type: 'action',
        verb,
        data: rest,
        actor,
        conversation,
        lang: turns.lang,
        sourceMessageId: target.source?.ts,
      },
      target,
    );
  });
}

/** Where a button was pressed, and so where its answer goes. */
async function placeOf(
  b: SlackBody,
  turns: SlackTurns,
  respond: Respond | undefined,
): Promise<{ target: ReplyTarget; conversation: Conversation } | undefined> {
  const user = String(b.user?.id);
  const channel: string | undefined = b.channel?.id ?? b.container?.channel_id;
  const team: string | undefined = b.team?.id;
  if (!channel) {
    // The App Home tab: the answer comes in the user's DM with Vangnet.
    const dm = await turns.botDmOf(user);
    return dm ? { target: { channel: dm }, conversation: turns.conversation(dm, team, true) } : undefined;
  }
  const ts: string | undefined = b.message?.ts ?? b.container?.message_ts;
  const ephemeral = b.container?.is_ephemeral === true;
  // Only the bot's own DM holds its ordinary messages in a DM; an ephemeral one may be in any DM.
  const botDm = channel.startsWith('D') && (!ephemeral || (await turns.isBotDm(channel, user)));
  const conversation = turns.conversation(channel, team, botDm);
  if (botDm && !ephemeral) return { target: { channel, source: { ts, ephemeral } }, conversation };
  return { target: { channel, respond, ephemeralTo: user, source: { ts, ephemeral } }, conversation };
}

/** "Vorige" / "Volgende": the list is made again from what was typed and shown at the asked page, in place. */
async function showPage(
  deps: InteractionDeps,
  replier: SlackReplier,
  data: Record<string, unknown>,
  actor: Actor,
  conversation: Conversation,
): Promise<void> {
  const { turns, renderer } = deps;
  const query = typeof data.q === 'string' ? data.q : '';
  const answers = await turns.capture({
    type: 'message',
    text: query,
    addressed: true,
    actor,
    conversation,
    lang: turns.lang,
  });
  const list = answers.find((o) => o.kind === 'card' && o.template === LIST_TEMPLATE);
  if (!list) {
    // No longer a list (the command was refused): say what the bot says now.
    for (const o of answers) await replier.send(renderer.message(o));
    return;
  }
  const [page] = renderer.messages(list, { query, page: Number(data.page) });
  if (!page) return;
  if (replier.canReplace) await replier.replace(page);
  else await replier.send(page);
}
