import { VERB_TIP_FEEDBACK } from '../../actions.js';
import type { Store } from '../../storage/store.js';
import { subscriptionId } from '../../tips/model.js';
import type { TipService } from '../../tips/service.js';
import type { CommandHandlers, VerbHandlers } from '../registry.js';
import { feedbackKey, thankOnly, withFeedback } from './knowledge.js';

export interface TipHandlerDeps {
  readonly tips?: TipService;
  readonly store: Store;
  readonly now: () => Date;
}

/** Weekly tips: one now, on and off per conversation, the admins' list, feedback on a tip. */
export function tipHandlers({ tips, store, now }: TipHandlerDeps) {
  const commands = {
    tipNow: async ({ incoming, reply, t }) => {
      const { platform, id } = incoming.conversation;
      const sub = await store.subscriptions.get(subscriptionId(platform, id));
      const tip = tips?.nextTip({
        // A seed for the order, not a moment: two requests in a row may get different tips.
        id: `${platform}:${id}:${incoming.actor.id}:${Date.now()}`,
        used: sub?.used ?? [],
      });
      await reply(tip && tips ? tips.tipCard(tip) : { kind: 'text', text: t('tips.none') });
    },
    tipsOn: async ({ incoming, reply, t }) => {
      if (!tips) return void (await reply({ kind: 'text', text: t('tips.none') }));
      const { platform, id, kind } = incoming.conversation;
      const r = await tips.subscribe(platform, id, kind, incoming.actor.id);
      await reply({
        kind: 'text',
        text: t(r === 'on' ? 'tips.on' : 'tips.alreadyOn', { when: tips.whenText() }),
      });
    },
    tipsOff: async ({ incoming, reply, t }) => {
      const { platform, id } = incoming.conversation;
      const off = (await tips?.unsubscribe(platform, id)) ?? false;
      await reply({ kind: 'text', text: t(off ? 'tips.off' : 'tips.notOn') });
    },
    tipsList: async ({ reply, t }) => {
      const subs = (await store.subscriptions.list()).filter((s) => s.active);
      const lines = subs.map(
        (s) => `- ${s.platform} · ${s.kind} · ${s.conversationId} · ${Object.keys(s.weeks).length}`,
      );
      await reply({
        kind: 'text',
        text: subs.length ? `**${t('tips.list.title')}**\n${lines.join('\n')}` : t('tips.list.none'),
      });
    },
  } satisfies Partial<CommandHandlers>;
  const verbs = {
    [VERB_TIP_FEEDBACK]: async ({ turn, action, data, t }) => {
      const first = await store.feedback.add(
        {
          at: now().toISOString(),
          slug: data.tipId,
          helpful: data.helpful,
          platform: action.conversation.platform,
        },
        feedbackKey(action, data.tipId),
      );
      const tip = tips?.tipById(data.tipId);
      const thanks = t(first ? 'tips.feedback' : 'feedback.already');
      await thankOnly(
        turn,
        tip && tips ? withFeedback(tips.tipCard(tip), thanks) : { kind: 'text', text: thanks },
        thanks,
      );
    },
  } satisfies Partial<VerbHandlers>;
  return { commands, verbs };
}
