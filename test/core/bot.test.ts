import assert from 'node:assert/strict';
import { VERB_ARTICLE, VERB_FEEDBACK } from '../../src/core/actions.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/core/logger.js';
import { scrubPersonalData } from '../../src/core/privacy.js';
import { MemoryStore } from '../../src/core/storage/memory-store.js';
import type { Incoming, Outgoing } from '../../src/core/types.js';
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

  it('says it does not know, and records the gap without personal data', async () => {
    const { say, store } = await setup();
    const [r] = await say('hoeveel vakantiedagen heb ik nog, vraagt Pieter Jansen');
    assert.ok(r?.kind === 'card' && r.template === 'unknown');
    const gaps = await store.gaps.list();
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0]?.reason, 'unanswered');
    assert.ok(!gaps[0]?.query.includes('Pieter'), gaps[0]?.query);
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

describe('scrubPersonalData', () => {
  it('removes e-mail, phone numbers, links, handles and names', () => {
    const s = scrubPersonalData(
      'leerling Fatima El Amrani (fatima@school.nl, 06-12345678) zie https://x.nl/a en @jan_de_boer',
    );
    for (const leaked of ['Fatima', 'Amrani', 'fatima@', '12345678', 'https://', 'jan_de_boer']) {
      assert.ok(!s.includes(leaked), `${leaked} in ${s}`);
    }
    assert.match(s, /^leerling \[naam\]/);
  });
});
