import assert from 'node:assert/strict';
import { acuteConcern, parseAcute } from '../../src/core/knowledge/acute.js';

const TABLE = parseAcute(`
zelfdoding:
  article: zelfdoding-en-zelfbeschadiging
  lines: ['113', '112']
  terms: [zelfmoord, zichzelf iets aandoen]
  signals: [er niet meer zijn]
dreiging:
  article: dreiging-tegen-de-school
  lines: ['112']
  terms: [schietdreiging, bom op school]
`);

describe('acute danger terms', () => {
  const concerns = TABLE.value ?? [];

  it('parses concerns with their article, emergency lines and terms', () => {
    assert.deepEqual(TABLE.problems, []);
    assert.deepEqual(
      concerns.map((c) => [c.id, c.article, c.lines]),
      [
        ['zelfdoding', 'zelfdoding-en-zelfbeschadiging', ['113', '112']],
        ['dreiging', 'dreiging-tegen-de-school', ['112']],
      ],
    );
  });

  it('finds a term with words in between, inflected, or with one typo in a long word', () => {
    const id = (q: string) => acuteConcern(q, concerns)?.concern.id;
    assert.equal(id('een leerling post dat ze zichzelf iets wil aandoen'), 'zelfdoding');
    assert.equal(id('Zelfmoordgedachten? nee: hij praat over zelfmoord'), 'zelfdoding');
    assert.equal(id('er is een schietdreigng voor morgen'), 'dreiging');
    assert.equal(id('iemand zet een bom op de school zegt hij'), 'dreiging');
  });

  it('tells an explicit term from a softer signal', () => {
    assert.equal(acuteConcern('ze praat over zelfmoord', concerns)?.explicit, true);
    const signal = acuteConcern('ze zegt dat ze er straks niet meer zal zijn', concerns);
    assert.equal(signal?.concern.id, 'zelfdoding');
    assert.equal(signal?.explicit, false);
  });

  it('leaves ordinary questions alone', () => {
    for (const q of ['een leerling wordt bedreigd op tiktok', 'iemand doet zichzelf voor als docent', 'bom'])
      assert.equal(acuteConcern(q, concerns), undefined, q);
  });

  it('reports unknown emergency lines and missing terms', () => {
    const { problems } = parseAcute('x:\n  article: a\n  lines: ["999"]\n  terms: []\n');
    assert.ok(problems.some((p) => /lines/.test(p)));
    assert.ok(problems.some((p) => /terms/.test(p)));
  });
});
