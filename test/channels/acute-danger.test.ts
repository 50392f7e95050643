import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { postActivity, startTestApp, type TestApp, teamsActivity } from '../helpers/test-app.js';

/**
 * Acute danger through the real Teams path: every phrasing, the two and five more per concern written
 * blind (`test/fixtures/acute-phrasings.json`), gets the concern's article with its emergency number on the card.
 */
const fixtures = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/acute-phrasings.json', import.meta.url)), 'utf8'),
) as { suicide: string[]; threat: string[] };

const CONCERNS = [
  {
    name: 'suicide or self-harm',
    title: /zelfdoding|zelfbeschadiging/i,
    number: /\b113\b/,
    phrasings: [
      'een leerling post op tiktok dat ze zichzelf iets wil aandoen, wat moet ik doen',
      ...fixtures.suicide,
    ],
  },
  {
    name: 'a threat of violence against the school',
    title: /dreiging|geweld/i,
    number: /\b112\b/,
    phrasings: ['er is een schietdreiging op insta voor onze school morgen', ...fixtures.threat],
  },
];

describe('acute danger in Teams: the right article and the emergency number, however it is put', () => {
  let app: TestApp;
  let connector: FakeConnector;

  before(async () => {
    connector = await new FakeConnector().start();
    app = await startTestApp();
  });
  after(async () => {
    await app.cleanup();
    await connector.stop();
  });

  for (const concern of CONCERNS) {
    it(`${concern.name}: ${concern.phrasings.length} phrasings`, async () => {
      assert.ok(concern.phrasings.length >= 6);
      for (const text of concern.phrasings) {
        const activity = teamsActivity(connector.url, { text });
        assert.equal((await postActivity(app.url, activity)).status, 200);
        const call = await connector.waitFor((c) => c.activityId === activity.id);
        const card = FakeConnector.card(call);
        const texts = cardTexts(card);
        assert.ok(concern.title.test(texts[0] ?? ''), `"${text}": answered with "${texts[0]}"`);
        assert.ok(
          texts.some((t) => concern.number.test(t)),
          `"${text}": no ${concern.number} on the card`,
        );
        assert.ok(
          JSON.stringify(card).includes('"attention"'),
          `"${text}": the emergency block is styled attention`,
        );
        const actions = (card?.actions ?? []) as { title?: string }[];
        assert.equal(actions[0]?.title, 'Melding maken', `"${text}": offers "Melding maken" first`);
      }
    });
  }

  it('a question Vangnet cannot answer still shows the emergency lines and offers a report first', async () => {
    const activity = teamsActivity(connector.url, { text: 'wat moet ik doen met die situatie van gisteren' });
    assert.equal((await postActivity(app.url, activity)).status, 200);
    const card = FakeConnector.card(await connector.waitFor((c) => c.activityId === activity.id));
    const texts = cardTexts(card).join(' | ');
    assert.match(texts, /geen goed antwoord/);
    for (const line of [/\*\*112\*\*/, /\*\*113\*\*/, /Veilig Thuis: 0800-2000/])
      assert.match(texts, line, `${line} on the "don't know" card`);
    assert.ok(JSON.stringify(card).includes('"attention"'), 'styled as a warning');
    const actions = (card?.actions ?? []) as { title?: string }[];
    assert.equal(actions[0]?.title, 'Melding maken');
  });
});
