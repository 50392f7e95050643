import type { App } from '@slack/bolt';
import { VERB_ASK, VERB_ASK_EXPERT, VERB_HELP, VERB_REPORT } from '../../core/actions.js';
import type { Bot } from '../../core/bot.js';
import { translator } from '../../core/i18n/index.js';
import type { Lang } from '../../core/types.js';
import { HOME_EXPERT_ACTION, HOME_HELP_ACTION, HOME_MINE_ACTION, HOME_REPORT_ACTION } from './action-ids.js';
import type { Block } from './blocks.js';
import type { SlackBody } from './payload.js';
import type { SlackRenderer } from './render.js';

/**
 * The App Home tab: what Vangnet does, and "Melding maken", "Vraag een expert", "Mijn meldingen", "Help". Its
 * buttons are answered in the user's DM with Vangnet (see interactions).
 */
export function registerAppHome(app: App, deps: { bot: Bot; renderer: SlackRenderer; lang: Lang }): void {
  app.event('app_home_opened', async ({ event, client }) => {
    const e = event as SlackBody;
    if (e.tab && e.tab !== 'home') return;
    const t = translator(deps.lang);
    const help = deps.renderer.message(deps.bot.welcome(deps.lang));
    const button = (actionId: string, label: string, value: Record<string, unknown>, primary = false) => ({
      type: 'button',
      action_id: actionId,
      ...(primary ? { style: 'primary' } : {}),
      text: { type: 'plain_text', text: label },
      value: JSON.stringify(value),
    });
    const blocks: Block[] = [
      // The help card's own buttons are replaced by the Home tab's.
      ...(help.blocks ?? []).filter((x) => x.type !== 'actions'),
      {
        type: 'actions',
        elements: [
          button(HOME_REPORT_ACTION, t('answer.report'), { verb: VERB_REPORT }, true),
          button(HOME_EXPERT_ACTION, t('answer.askExpert'), { verb: VERB_ASK_EXPERT }),
          button(HOME_MINE_ACTION, t('cases.mine.title'), { verb: VERB_ASK, q: 'mijn meldingen' }),
          button(HOME_HELP_ACTION, t('article.backToHelp'), { verb: VERB_HELP }),
        ],
      },
    ];
    await client.views.publish({ user_id: e.user, view: { type: 'home', blocks: blocks as never } });
  });
}
