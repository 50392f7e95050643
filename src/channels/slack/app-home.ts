import type { App } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import { homeActions } from '../../core/commands/home.js';
import { translator } from '../../core/i18n/index.js';
import type { Lang } from '../../core/types.js';
import { VERB_WORKSPACE_SIGNIN } from './action-ids.js';
import type { Block } from './blocks.js';
import type { SlackBody } from './payload.js';
import type { SlackRenderer } from './render.js';

/**
 * The App Home tab: what Vangnet does, and a button per command the registry puts on the home page ("Melding
 * maken", "Vraag een expert", "Mijn meldingen", …). Each button types its command for the user; the answer comes in
 * the user's DM with Vangnet (see interactions).
 */
export function registerAppHome(
  app: App,
  deps: { bot: Bot; renderer: SlackRenderer; lang: Lang; workspace?: boolean },
): void {
  app.event('app_home_opened', async ({ event, client }) => {
    const e = event as SlackBody;
    if (e.tab && e.tab !== 'home') return;
    const t = translator(deps.lang);
    const help = deps.renderer.message(deps.bot.welcome(deps.lang));
    const blocks: Block[] = [
      // The help card's own buttons are replaced by the Home tab's.
      ...(help.blocks ?? []).filter((x) => x.type !== 'actions'),
      {
        type: 'actions',
        elements: [
          ...homeActions(t, deps.lang).map((a) => ({
            type: 'button',
            action_id: `home-${a.id}`,
            ...(a.primary ? { style: 'primary' } : {}),
            text: { type: 'plain_text', text: a.label },
            value: JSON.stringify(a.data),
          })),
          ...(deps.workspace
            ? [
                {
                  type: 'button',
                  action_id: 'home-workspace',
                  text: { type: 'plain_text', text: t('workspace.link.button') },
                  value: JSON.stringify({ verb: VERB_WORKSPACE_SIGNIN }),
                },
              ]
            : []),
        ],
      },
    ];
    await client.views.publish({ user_id: e.user, view: { type: 'home', blocks: blocks as never } });
  });
}
