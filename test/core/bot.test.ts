import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERB_ANSWER, VERB_ARTICLE, VERB_ASK_EXPERT, VERB_FEEDBACK } from '../../src/core/actions.js';
import { Bot } from '../../src/core/bot.js';
import { parseCatalog } from '../../src/core/escalation/catalog.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryStore } from '../../src/core/storage/memory-store.js';
import type { Incoming, Outgoing } from '../../src/core/types.js';
import { knowledgeDir } from '../../src/paths.js';
import { demoSchoolFlows } from '../helpers/card-samples.js';
import { sharedKnowledge } from '../helpers/test-app.js';

const base = {
  actor: { id: 'u1' },
  conversation: { platform: 'local' as const, id: 'c1', kind: 'personal' as const },
};

async function setup() {
  const { kb, index } = await sharedKnowledge();
  const store = new MemoryStore();
  const bot = new Bot({
    kb,
    index,
    store,
    logger: silentLogger,
    lang: 'nl',
    now: () => new Date('2026-11-21T09:00:00Z'),
  });
  const send = async (incoming: Incoming) => {
    const replies: Outgoing[] = [];
    await bot.handle({ incoming, reply: async (o) => void replies.push(o) });
    return replies;
  };
  const say = (text: string) => send({ type: 'message', text, addressed: true, ...base });
  const click = (
    verb: string,
    data: Record<string, unknown> = {},
    actor = base.actor,
    sourceMessageId?: string,
  ) => send({ type: 'action', verb, data, ...base, actor, sourceMessageId });
  return { bot, store, say, click };
}

describe('Bot', () => {
  it('greets with the help card on "hoi", "help" and an empty message', async () => {
    const { say } = await setup();
    for (const text of ['hoi', 'Help!', '', 'wat kan je']) {
      const [r] = await say(text);
      assert.equal(r?.kind === 'card' && r.template, 'help', text);
    }
  });

  it('answers a question with the answer card of the best article', async () => {
    const { say } = await setup();
    const [r] = await say('iemand heeft een nepaccount van mij gemaakt op tiktok');
    assert.ok(r?.kind === 'card' && r.template === 'answer');
    assert.equal(r.data.slug, 'nepaccount');
  });

  it('says it does not know with the emergency lines and "Melding maken" first, and keeps only known words', async () => {
    const { say, store } = await setup();
    const [r] = await say('sanne de vries uit 3b heeft het over een zwerm spreeuwen, zegt jan_de_boer');
    assert.ok(r?.kind === 'card' && r.template === 'unknown', JSON.stringify(r));
    assert.match(String(r.data.emergency), /112/);
    assert.match(String(r.data.emergency), /113/);
    assert.match(String(r.data.emergency), /0800-2000/);
    assert.match(String(r.data.body), /alleen de woorden/);
    const gaps = await store.gaps.list();
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0]?.reason, 'unanswered');
    for (const leaked of ['sanne', 'vries', 'jan', 'boer', '3b'])
      assert.ok(!gaps[0]?.query.includes(leaked), `${leaked} in ${gaps[0]?.query}`);
  });

  it('small talk gets a short friendly reply and is not stored as a gap', async () => {
    const { say, store } = await setup();
    const [thanks] = await say('Bedankt!');
    const [stop] = await say('stop');
    assert.ok(thanks?.kind === 'text' && /graag gedaan/i.test(thanks.text));
    assert.ok(stop?.kind === 'text' && /stop/i.test(stop.text));
    assert.deepEqual(await store.gaps.list(), []);
  });

  it('off-topic questions get "Daar help ik niet mee" and what Vangnet is for, and are not stored', async () => {
    const { say, store } = await setup();
    for (const q of [
      'de printer doet het niet',
      'wanneer komt het nieuwe rooster',
      'hoe meld ik me ziek voor morgen',
      'hoe voer ik de cijfers in',
    ]) {
      const [r] = await say(q);
      assert.ok(r?.kind === 'card' && r.data.title === 'Daar help ik niet mee', `${q}: ${JSON.stringify(r)}`);
      assert.match(String(r.data.body), /online incidenten en sociale veiligheid/);
    }
    assert.deepEqual(await store.gaps.list(), []);
  });

  it('asks "Bedoel je …?" with close articles as buttons; a button opens that answer card', async () => {
    const { say, click } = await setup();
    const [r] = await say('afspraken');
    assert.ok(r?.kind === 'card' && r.template === 'choices', JSON.stringify(r));
    const choices = r.data.choices as { slug: string; title: string }[];
    assert.ok(choices.length >= 2 && choices.length <= 3, JSON.stringify(choices));
    const [answer] = await click(VERB_ANSWER, { slug: choices[1]?.slug });
    assert.ok(
      answer?.kind === 'card' && answer.template === 'answer' && answer.data.slug === choices[1]?.slug,
    );
  });

  it('refuses oversized messages politely', async () => {
    const { say } = await setup();
    const [r] = await say('x'.repeat(100_000));
    assert.ok(r?.kind === 'text' && /te lang/.test(r.text));
  });

  it('opens an article from a button, and refuses forged or unknown slugs', async () => {
    const { click } = await setup();
    const [ok] = await click(VERB_ARTICLE, { slug: 'grooming' });
    assert.ok(ok?.kind === 'card' && ok.template === 'article' && ok.data.slug === 'grooming');
    for (const slug of ['../../etc/passwd', 'bestaat-niet', 42, 'x'.repeat(500)]) {
      const [r] = await click(VERB_ARTICLE, { slug });
      assert.ok(r?.kind === 'text' && /bestaat niet/.test(r.text), String(slug));
    }
  });

  it('records feedback once per person per card; "niet geholpen" becomes a gap for editors', async () => {
    const { click, store } = await setup();
    const [yes] = await click(VERB_FEEDBACK, { slug: 'sextortion', helpful: true }, base.actor, 'card-1');
    const [again] = await click(VERB_FEEDBACK, { slug: 'sextortion', helpful: false }, base.actor, 'card-1');
    const [no] = await click(VERB_FEEDBACK, { slug: 'sextortion', helpful: false }, { id: 'u2' }, 'card-2');
    assert.ok(yes?.kind === 'text' && /fijn/.test(yes.text));
    assert.ok(again?.kind === 'text' && /telt één keer/.test(again.text), 'a second press on the same card');
    assert.ok(no?.kind === 'text' && /genoteerd/.test(no.text));
    assert.deepEqual(
      (await store.feedback.list()).map((f) => f.helpful),
      [true, false],
    );
    const gaps = await store.gaps.list();
    assert.deepEqual(
      gaps.map((g) => [g.reason, g.slug]),
      [['not-helpful', 'sextortion']],
    );
  });

  it('answers unknown verbs and malformed feedback with a clear message', async () => {
    const { click } = await setup();
    for (const [verb, data] of [
      ['bogus.verb', {}],
      [VERB_FEEDBACK, { slug: 'sextortion', helpful: 'yes' }],
    ] as const) {
      const [r] = await click(verb, data);
      assert.ok(r?.kind === 'text' && /werkt niet meer/.test(r.text), verb);
    }
  });

  it('answers in English when the user writes in an English client', async () => {
    const { bot } = await setup();
    const replies: Outgoing[] = [];
    await bot.handle({
      incoming: { type: 'message', text: 'help', addressed: true, lang: 'en', ...base },
      reply: async (o) => void replies.push(o),
    });
    assert.ok(replies[0]?.kind === 'card' && replies[0].data.title === 'Hi, I am Vangnet');
  });
});

describe('Bot answers with the school in mind', () => {
  async function schoolSetup() {
    const { kb, index } = await sharedKnowledge();
    const { catalog } = parseCatalog(readFileSync(join(knowledgeDir, 'incidents.yml'), 'utf8'), (s) =>
      kb.bySlug.has(s),
    );
    const { store, directory, flows } = demoSchoolFlows(kb, catalog, 'u1');
    const bot = new Bot({ kb, index, store, logger: silentLogger, lang: 'nl', flows, directory });
    const send = async (incoming: Incoming) => {
      const replies: Outgoing[] = [];
      await bot.handle({ incoming, reply: async (o) => void replies.push(o) });
      return replies;
    };
    return {
      say: (text: string, lang?: 'en') => send({ type: 'message', text, addressed: true, lang, ...base }),
      click: (verb: string, data: Record<string, unknown>) => send({ type: 'action', verb, data, ...base }),
    };
  }

  it('"wie is de vertrouwenspersoon" names who it is here, and "Vraag een expert" is addressed to that role', async () => {
    const { say, click } = await schoolSetup();
    const [r] = await say('wie is de vertrouwenspersoon?');
    assert.ok(r?.kind === 'card' && r.template === 'answer' && r.data.slug === 'rollen-op-school');
    assert.equal(r.data.who, 'Bij jullie: Lokale gebruiker, vertrouwenspersoon');
    assert.equal(r.data.role, 'vertrouwenspersoon');
    const [form] = await click(VERB_ASK_EXPERT, { slug: 'rollen-op-school', role: 'vertrouwenspersoon' });
    assert.ok(form?.kind === 'card' && form.template === 'expert-question');
    assert.equal(form.data.role, 'vertrouwenspersoon', 'the form has the role preselected');
  });

  it('an answer shows what to do, the most important "niet doen" and whom to involve, by name', async () => {
    const { say } = await schoolSetup();
    const [r] = await say('er gaat een naaktfoto van een leerling rond in de klassenapp');
    assert.ok(r?.kind === 'card' && r.data.slug === 'naaktbeelden-verspreid');
    assert.match(String(r.data.steps), /^1\. /);
    assert.match(String(r.data.donts), /^- Niet /);
    assert.equal(String(r.data.donts).split('\n').length, 2);
    assert.match(String(r.data.who), /^Bij jullie: Lokale gebruiker, /);
  });

  it('an English question gets English labels and says the guidance is in Dutch', async () => {
    const { say } = await schoolSetup();
    const [r] = await say('someone hacked the instagram account of one of my students, what should I do');
    assert.ok(r?.kind === 'card', JSON.stringify(r));
    const labels = r.data.labels as Record<string, string>;
    assert.equal(labels.askExpert, 'Ask an expert');
    if (r.template === 'answer') assert.match(String(r.data.note), /guidance is in Dutch/);
  });
});
