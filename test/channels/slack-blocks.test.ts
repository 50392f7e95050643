import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adaptiveCardToBlocks, type Block, LIMITS, submittedData } from '../../src/channels/slack/blocks.js';
import { escapeMrkdwn, markdownToMrkdwn, truncate } from '../../src/channels/slack/mrkdwn.js';
import { cardsDir, projectRoot } from '../../src/paths.js';
import { CardRenderer } from '../../src/render/cards.js';
import { cardSamples } from '../helpers/card-samples.js';
import { blockTexts } from '../helpers/fake-slack.js';

const GOLDEN = join(projectRoot, 'test', 'fixtures', 'blockkit');

/** Every Block Kit limit Slack enforces on what we send. */
function limitProblems(blocks: Block[]): string[] {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks`);
  for (const b of blocks) {
    const text = (b.text as { text?: string } | undefined)?.text;
    if (text && text.length > LIMITS.sectionText) problems.push('section text too long');
    const fields = b.fields as { text: string }[] | undefined;
    if (fields && fields.length > LIMITS.fields) problems.push('too many fields');
    for (const f of fields ?? []) if (f.text.length > LIMITS.field) problems.push('field too long');
    const elements = (b.elements as Record<string, unknown>[] | undefined) ?? [];
    if (b.type === 'actions' && elements.length > LIMITS.actionsPerBlock) problems.push('too many actions');
    for (const e of [...elements, ...(b.element ? [b.element as Record<string, unknown>] : [])]) {
      const label = (e.text as { text?: string } | undefined)?.text ?? '';
      if (label.length > LIMITS.buttonText) problems.push(`button text "${label}"`);
      if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue)
        problems.push('button value too long');
      if (typeof e.action_id === 'string' && e.action_id.length > LIMITS.actionId)
        problems.push('action id too long');
      const options = (e.options as unknown[] | undefined) ?? [];
      if (options.length > LIMITS.options) problems.push('too many options');
    }
  }
  return problems;
}

/** What a person reads on a card: TextBlocks, facts, choice titles, button titles (not machine values). */
function displayTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) displayTexts(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet')
      for (const f of (o.facts as { title: string; value: string }[]) ?? []) out.push(f.title, f.value);
    if (o.type === 'Input.ChoiceSet')
      for (const c of (o.choices as { title: string }[]) ?? []) out.push(c.title);
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string')
      out.push(o.title);
    for (const [k, v] of Object.entries(o))
      if (k !== 'facts' && k !== 'choices' && typeof v === 'object') displayTexts(v, out);
  }
  return out.filter((x) => x.trim());
}

describe('Adaptive Card → Block Kit', () => {
  const renderer = new CardRenderer(cardsDir);

  it('translates every template: golden output, within Block Kit limits, without losing text or buttons', async () => {
    const samples = await cardSamples();
    assert.deepEqual(Object.keys(samples).sort(), renderer.names(), 'a sample for every template');
    for (const [name, out] of Object.entries(samples)) {
      const card = renderer.render(name, out.data);
      const t = adaptiveCardToBlocks(card);
      assert.deepEqual(limitProblems(t.blocks), [], `${name}: limits`);
      // No loss of meaning: every text and button label of the card is in the blocks (as mrkdwn).
      // Action.ShowCard sub-cards become modals: their texts count as present too.
      const modals = [...t.actions.values()].flatMap((a) =>
        a.showCard ? [blockTexts(adaptiveCardToBlocks(a.showCard).blocks)] : [],
      );
      const blocks = [blockTexts(t.blocks), ...modals].join(' | ');
      for (const text of displayTexts(card)) {
        const first = markdownToMrkdwn(text).split('\n')[0]?.replace(/\*\*/g, '').slice(0, 40) ?? '';
        assert.ok(
          blocks.includes(first.replace(/\*/g, '')) || blocks.includes(first),
          `${name}: "${first}" is missing`,
        );
      }
      const file = join(GOLDEN, `${name}.json`);
      const json = `${JSON.stringify(t.blocks, null, 2)}\n`;
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, json);
      assert.equal(
        json,
        readFileSync(file, 'utf8'),
        `${name}: differs from the reviewed golden file (UPDATE_GOLDEN=1 to accept)`,
      );
    }
  });

  it('maps elements: text, facts as fields, buttons with data, choice sets, text inputs, show-card buttons', () => {
    const t = adaptiveCardToBlocks({
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Titel', weight: 'Bolder' },
        { type: 'FactSet', facts: [{ title: 'A', value: '1' }] },
        {
          type: 'Input.ChoiceSet',
          id: 'kies',
          isMultiSelect: true,
          value: 'b',
          choices: [
            { title: 'A', value: 'a' },
            { title: 'B', value: 'b' },
          ],
        },
        { type: 'Input.Text', id: 'tekst', isMultiline: true, maxLength: 500, label: 'Vertel' },
      ],
      actions: [
        { type: 'Action.Submit', title: 'OK', style: 'positive', data: { verb: 'x.y', id: 1 } },
        { type: 'Action.ShowCard', title: 'Meer', card: { type: 'AdaptiveCard', body: [] } },
      ],
    });
    assert.deepEqual(t.blocks[0], { type: 'section', text: { type: 'mrkdwn', text: '*Titel*' } });
    assert.equal(t.blocks[1]?.type, 'section');
    assert.equal((t.blocks[2]?.element as { type: string } | undefined)?.type, 'checkboxes');
    assert.deepEqual(
      (t.blocks[2]?.element as { initial_options: unknown[] } | undefined)?.initial_options.length,
      1,
    );
    assert.equal((t.blocks[3]?.element as { multiline: boolean } | undefined)?.multiline, true);
    const buttons = t.blocks[4]?.elements as Record<string, unknown>[];
    assert.equal(buttons[0]?.value, JSON.stringify({ verb: 'x.y', id: 1 }));
    assert.equal(buttons[0]?.style, 'primary');
    assert.match(String(buttons[1]?.action_id), /^showcard#/);
    assert.ok(t.actions.get(String(buttons[1]?.action_id))?.showCard);
    assert.equal(t.hasInputs, true);
  });

  it('truncates gracefully at the limits', () => {
    const t = adaptiveCardToBlocks({
      type: 'AdaptiveCard',
      body: Array.from({ length: 80 }, (_, i) => ({ type: 'TextBlock', text: `${'x'.repeat(4000)} ${i}` })),
      actions: [
        { type: 'Action.Submit', title: 'y'.repeat(200), data: { verb: 'v', big: 'z'.repeat(3000) } },
      ],
    });
    assert.deepEqual(limitProblems(t.blocks), []);
    assert.equal(t.blocks.length, LIMITS.blocks);
    assert.equal(t.blocks.at(-1)?.type, 'actions', 'the buttons survive truncation');
    const button = (t.blocks.at(-1)?.elements as Record<string, unknown>[] | undefined)?.[0];
    assert.equal(button?.value, undefined, 'oversized data stays out of the value (looked up by action id)');
    assert.equal(truncate('😀😀😀', 2), '😀…');
  });

  it('merges input values into the pressed button data, as Adaptive Cards do', () => {
    const data = submittedData(JSON.stringify({ verb: 'flow.step', event: 'type' }), {
      b1: { value: { type: 'radio_buttons', selected_option: { value: 'grooming' } } },
      b2: { checked: { type: 'checkboxes', selected_options: [{ value: 'do-0' }, { value: 'dont-1' }] } },
      b3: { verb: { type: 'plain_text_input', value: 'forged' } },
    });
    assert.deepEqual(data, { verb: 'flow.step', event: 'type', value: 'grooming', checked: 'do-0,dont-1' });
    assert.equal(submittedData('not json', {}), undefined);
    assert.equal(submittedData('[1,2]', {}), undefined);
  });

  it('neutralises mentions and links users write; keeps the article links the cards make', () => {
    assert.equal(
      escapeMrkdwn('<!channel> <@U1> <https://x|y> & co'),
      '&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; &amp; co',
    );
    assert.equal(
      markdownToMrkdwn('**Let op** [Helpwanted](https://www.helpwanted.nl)'),
      '*Let op* <https://www.helpwanted.nl|Helpwanted>',
    );
    assert.equal(markdownToMrkdwn('<!here> \\*niet vet\\*'), '&lt;!here&gt; *niet vet*');
  });
});
