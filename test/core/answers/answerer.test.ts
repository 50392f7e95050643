import assert from 'node:assert/strict';
import { Answerer } from '../../../src/core/answers/answerer.js';
import { sharedKnowledge } from '../../helpers/test-app.js';

async function answerer() {
  const { kb, index } = await sharedKnowledge();
  return new Answerer({ kb, index });
}

describe('Answerer (shipped knowledge base)', () => {
  it('answers the brief’s own example, a nude photo going round, without asking about deepfakes', async () => {
    const a = await answerer();
    const plan = a.plan('er gaat een naaktfoto rond van een meisje uit 2b');
    assert.equal(plan.kind === 'answer' && plan.article.slug, 'naaktbeelden-verspreid');
    const fake = a.plan('er gaat een deepfake naaktfoto rond van een meisje uit 2b');
    assert.equal(fake.kind === 'answer' && fake.article.slug, 'deepfake-naaktbeelden');
  });

  it('answers the issue’s acute questions with the right article and the emergency lines', async () => {
    const a = await answerer();
    const suicide = a.plan('een leerling post op tiktok dat ze zichzelf iets wil aandoen, wat moet ik doen');
    assert.ok(suicide.kind === 'answer' && suicide.acute, suicide.kind);
    assert.equal(suicide.article.slug, 'zelfdoding-en-zelfbeschadiging');
    assert.deepEqual(suicide.acute.lines, ['113', '112']);
    const threat = a.plan('er is een schietdreiging op insta voor onze school morgen');
    assert.ok(threat.kind === 'answer' && threat.acute, threat.kind);
    assert.equal(threat.article.slug, 'dreiging-tegen-de-school');
    assert.ok(threat.acute.lines.includes('112'));
  });

  it('a name, a phone number or an e-mail address in the question does not change the answer', async () => {
    const a = await answerer();
    for (const q of [
      'account van een leerling gehackt, wat nu',
      'er gaat een naaktfoto rond in de klassenapp',
      'iemand heeft een nepaccount van mij gemaakt op tiktok',
    ]) {
      const plain = a.plan(q);
      assert.equal(plain.kind, 'answer', q);
      for (const noisy of [
        `${q}, het gaat om Sanne de Vries`,
        `Fatima El Amrani zegt: ${q}`,
        `${q} (moeder: 06-12345678, fatima.elamrani@gmail.com, @fatima_2011)`,
      ]) {
        const p = a.plan(noisy);
        assert.equal(p.kind, 'answer', noisy);
        assert.equal(
          p.kind === 'answer' && p.article.slug,
          plain.kind === 'answer' && plain.article.slug,
          noisy,
        );
      }
    }
  });

  it('clearly off-topic questions are off-topic, whatever the wording', async () => {
    const a = await answerer();
    for (const q of [
      'mijn printer print alleen nog maar lege vellen',
      'waar kan ik het rooster van volgende week zien',
      'ik wil me ziekmelden, hoe werkt dat hier',
      'hoe kan ik de cijfers van mijn klas inzien',
    ])
      assert.equal(a.plan(q).kind, 'off-topic', q);
  });

  it('thanks and "stop" are small talk, greetings are not (they get the help card)', async () => {
    const a = await answerer();
    assert.equal(a.plan('bedankt!').kind, 'small-talk');
    assert.equal(a.plan('stop').kind, 'small-talk');
  });

  it('"wie is de vertrouwenspersoon" is answered with the roles article and that role', async () => {
    const a = await answerer();
    const p = a.plan('wie is de vertrouwenspersoon');
    assert.ok(p.kind === 'answer' && p.article.slug === 'rollen-op-school');
    assert.deepEqual(p.roles, ['vertrouwenspersoon']);
  });

  it('an English question is matched and marked English', async () => {
    const a = await answerer();
    const p = a.plan('someone hacked the instagram account of one of my students, what should I do');
    assert.equal(p.lang, 'en');
    assert.ok(p.kind === 'answer' || p.kind === 'choices');
    const slugs =
      p.kind === 'answer' ? [p.article.slug] : p.kind === 'choices' ? p.choices.map((c) => c.slug) : [];
    assert.ok(slugs.includes('gehackt-account'), slugs.join());
  });
});
