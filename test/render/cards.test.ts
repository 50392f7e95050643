import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEPS, startFlow } from '../../src/core/escalation/flow.js';
import { flowStepCard } from '../../src/core/escalation/views.js';
import { translator } from '../../src/core/i18n/index.js';
import { localDemoSchool } from '../../src/core/school/school.js';
import { cardsDir, knowledgeDir } from '../../src/paths.js';
import { CardRenderer } from '../../src/render/cards.js';
import { cardSamples as samples } from '../helpers/card-samples.js';
import { schemaErrors, sdkErrors } from '../helpers/card-schema.js';
import { cardTexts } from '../helpers/fake-connector.js';
import { sharedKnowledge } from '../helpers/test-app.js';

describe('card templates', () => {
  const renderer = new CardRenderer(cardsDir);

  it('every flow step renders a valid card', async () => {
    const { kb } = await sharedKnowledge();
    const { parseCatalog } = await import('../../src/core/escalation/catalog.js');
    const catalog = parseCatalog(readFileSync(join(knowledgeDir, 'incidents.yml'), 'utf8'), (slug) =>
      kb.bySlug.has(slug),
    ).catalog;
    const view = { catalog, school: localDemoSchool('u'), kb, t: translator('nl'), lang: 'nl' as const };
    for (const step of STEPS) {
      for (const danger of [false, true]) {
        const flow = {
          ...startFlow({ id: 'f', platform: 'teams', reporterId: 'u', now: new Date() }),
          step,
          danger,
          type: 'sextortion',
        };
        const out = flowStepCard(flow, view);
        assert.ok(out.kind === 'card');
        const card = renderer.render(out.template, out.data);
        assert.deepEqual(schemaErrors(card), [], `${step}: schema`);
        assert.deepEqual(sdkErrors(card), [], `${step}: SDK`);
      }
    }
  });

  it('has a sample for every template in cards/', async () => {
    const s = await samples();
    assert.deepEqual(Object.keys(s).sort(), renderer.names());
  });

  it('every template expands to a valid Adaptive Card 1.5 (public schema and the SDK)', async () => {
    for (const [name, out] of Object.entries(await samples())) {
      assert.equal(out.template, name);
      const card = renderer.render(name, out.data);
      assert.deepEqual(schemaErrors(card), [], `${name}: schema`);
      assert.deepEqual(sdkErrors(card), [], `${name}: adaptivecards SDK`);
      assert.ok(!JSON.stringify(card).includes('${'), `${name}: no unexpanded bindings`);
    }
  });

  it('keeps user text literal: template syntax in data is not expanded', () => {
    const card = renderer.render('unknown', {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax typed by a user, on purpose
      title: '${labels.askExpert} {{x}}',
      body: 'b',
      suggestions: [],
      labels: { askExpert: 'A', report: 'R', help: 'H', otherMatches: 'O' },
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal must survive expansion
    assert.ok(cardTexts(card).includes('${labels.askExpert} {{x}}'));
  });

  it('the answer card shows title, summary, first steps, related articles and feedback', async () => {
    const { answer } = await samples();
    assert.ok(answer);
    const texts = cardTexts(renderer.render('answer', answer.data));
    assert.ok(texts.includes('Naaktbeelden van een leerling gaan rond'));
    assert.ok(
      texts.some((t) => /^1\. /.test(t)),
      'numbered first steps',
    );
    assert.ok(texts.includes('Hielp dit?'));
    assert.ok(texts.includes('Zie ook'));
    assert.ok(texts.includes('Vraag een expert'));
  });
});

describe('card validation helpers', () => {
  it('catch an invalid card (so the template test can fail)', () => {
    const bad = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }, { type: 'Bogus' }] };
    assert.ok(schemaErrors(bad).length > 0);
    assert.ok(sdkErrors(bad).length > 0);
  });
});
