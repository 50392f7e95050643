import assert from 'node:assert/strict';
import { adaptiveCardToBlocks } from '../../src/channels/slack/blocks.js';
import { backoffDelay, unavailableReason } from '../../src/channels/slack/connection.js';
import { deliveryKey } from '../../src/channels/slack/dedup.js';
import { matchingOptions } from '../../src/channels/slack/modals.js';
import {
  caseCardWithReporter,
  LIST_PAGE_SIZE,
  listPage,
  SlackRenderer,
} from '../../src/channels/slack/render.js';
import { translator } from '../../src/core/i18n/index.js';
import type { Outgoing } from '../../src/core/types.js';
import { cardsDir } from '../../src/paths.js';
import { CardRenderer } from '../../src/render/cards.js';
import { cardSamples } from '../helpers/card-samples.js';
import { blockTexts, findButton } from '../helpers/fake-slack.js';

describe('Slack converters', () => {
  const renderer = new SlackRenderer(new CardRenderer(cardsDir), translator('nl'));

  it('a case card names a Slack reporter with a mention; nothing a user typed becomes one', async () => {
    const sample = (await cardSamples()).case as Outgoing & { kind: 'card' };
    const out: Outgoing = {
      ...sample,
      data: {
        ...sample.data,
        description: 'Zie <@U999> en vangnetmention00000000000000000000000000000000',
        reporter: { platform: 'slack', userId: 'UTEACH', title: 'Melder' },
      },
    };
    const raw = JSON.stringify(renderer.message(out).blocks);
    assert.ok(raw.includes('*Melder*\\n<@UTEACH>'), 'the reporter line is a mention');
    assert.ok(!raw.includes('<@U999>'), 'a typed mention stays escaped');
    assert.equal(raw.match(/<@/g)?.length, 1, 'exactly one mention');
    // Not Slack, or not a Slack user id: no mention.
    for (const reporter of [
      { platform: 'teams', userId: 'UTEACH', title: 'Melder' },
      { platform: 'slack', userId: '<!channel>', title: 'Melder' },
    ]) {
      const { mentions } = caseCardWithReporter({ ...out, data: { ...out.data, reporter } } as Outgoing);
      assert.equal(mentions.size, 0, JSON.stringify(reporter));
    }
  });

  it('a long list is shown a page at a time, with the page buttons carrying what was typed', () => {
    const items = Array.from({ length: 23 }, (_, i) => ({
      id: `M-2026-${i}`,
      title: `Zaak ${i}`,
      subtitle: 's',
      show: 'Bekijken',
    }));
    const out: Outgoing = {
      kind: 'card',
      template: 'case-list',
      summary: 'Open meldingen',
      data: { title: 'Open meldingen', empty: '', items },
    };
    assert.deepEqual(
      [0, 1, 2, 9].map((p) => listPage(out, p).page),
      [0, 1, 2, 2],
      'pages beyond the last show the last',
    );
    assert.equal(
      (listPage(out, 0).out as { data: Record<string, unknown[]> }).data.items?.length,
      LIST_PAGE_SIZE,
    );
    const [middle, ...more] = renderer.messages(out, { query: 'open meldingen', page: 1 });
    assert.equal(more.length, 0);
    assert.ok((middle?.blocks ?? []).length <= 50);
    assert.match(blockTexts(middle?.blocks), /Pagina 2 van 3/);
    const next = findButton(middle?.blocks, 'Volgende');
    assert.deepEqual(JSON.parse(next?.value), { verb: 'slack.page', q: 'open meldingen', page: 2 });
    assert.ok(findButton(middle?.blocks, 'Vorige'));
    // Without what was typed the list cannot be made again: every page is its own message.
    assert.equal(renderer.messages(out).length, 3);
  });

  it('choice lists over 100 become searchable selects in modals, and are cut (and reported) elsewhere', () => {
    const choices = Array.from({ length: 150 }, (_, i) => ({ title: `Persoon ${i}`, value: `p${i}` }));
    const card = {
      type: 'AdaptiveCard',
      body: [{ type: 'Input.ChoiceSet', id: 'target', label: 'Aan', choices }],
    };
    const modal = adaptiveCardToBlocks(card, { externalSelects: true });
    assert.deepEqual(modal.blocks[0]?.element, {
      type: 'external_select',
      action_id: 'target',
      min_query_length: 0,
      placeholder: { type: 'plain_text', text: 'Aan', emoji: true },
    });
    const message = adaptiveCardToBlocks(card);
    assert.equal((message.blocks[0]?.element as { options?: unknown[] } | undefined)?.options?.length, 100);
    assert.deepEqual(message.truncatedChoices, ['target']);
    const options = choices.map((c) => ({ text: { type: 'plain_text', text: c.title }, value: c.value }));
    assert.deepEqual(
      matchingOptions(options, 'persoon 142').map((o) => o.value),
      ['p142'],
    );
    assert.equal(matchingOptions(options, '').length, 100, 'at most Block Kit’s 100');
    assert.equal(matchingOptions([{ text: { text: 'Zoë Çelik' }, value: 'z' }], 'zoe celik').length, 1);
  });

  it('identifies one delivery across Slack retries', () => {
    assert.equal(deliveryKey({ type: 'event_callback', event_id: 'Ev1' }), 'slack:event:Ev1');
    assert.equal(
      deliveryKey({ type: 'block_actions', trigger_id: 't1', actions: [{ action_ts: '1.2' }] }),
      'slack:action:t1:1.2',
    );
    assert.equal(deliveryKey({ type: 'view_submission', trigger_id: 't2' }), 'slack:view:t2');
    assert.equal(deliveryKey({ command: '/vangnet', trigger_id: 't3' }), 'slack:command:t3');
    assert.equal(deliveryKey({ type: 'block_suggestion', trigger_id: 't4' }), undefined, 'options only read');
    assert.equal(deliveryKey({ type: 'event_callback' }), undefined);
  });

  it('backs off doubling with jitter up to the maximum, and logs a code as the reason', () => {
    const backoff = { firstMs: 1000, maxMs: 60_000 };
    assert.deepEqual(
      [0, 1, 2, 10].map((n) => backoffDelay(n, backoff, () => 0.5)),
      [1000, 2000, 4000, 60_000],
    );
    assert.equal(
      backoffDelay(0, backoff, () => 0),
      800,
    );
    assert.equal(
      backoffDelay(0, backoff, () => 1),
      1200,
    );
    assert.equal(
      unavailableReason({ code: 'slack_webapi_platform_error', data: { error: 'invalid_auth' } }),
      'invalid_auth',
    );
    assert.equal(
      unavailableReason(Object.assign(new Error('x'), { code: 'slack_webapi_request_error' })),
      'slack_webapi_request_error',
    );
  });
});
