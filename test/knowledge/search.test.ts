import assert from 'node:assert/strict';
import { editDistance, KnowledgeIndex } from '../../src/core/knowledge/search.js';
import { compileSynonyms, normalize, STOPWORDS, stemVariants, words } from '../../src/core/knowledge/text.js';
import { sharedKnowledge } from '../helpers/test-app.js';

describe('Dutch text analysis', () => {
  it('normalises case, diacritics, punctuation and apostrophes', () => {
    assert.equal(normalize("Naaktfoto's in de KLAS-app, één keer!"), 'naaktfotos in de klas app een keer');
  });

  it('applies phrase and word synonyms, also to inflected forms', () => {
    const syn = compileSynonyms({ groepsapp: ['klassenapp', 'class app'], bedreiging: ['doodsbedreiging'] });
    assert.deepEqual(words('De klassenapp en de class app', syn), [
      'de',
      'groepsapp',
      'en',
      'de',
      'groepsapp',
    ]);
    assert.deepEqual(words('doodsbedreigingen', syn), ['bedreiging']);
  });

  it('offers stems the Snowball stemmer misses: participles, present tense, diminutives, f/v and s/z', () => {
    assert.ok(stemVariants('gepest').includes('pest'));
    assert.ok(stemVariants('gehackt').includes('hack'));
    assert.ok(stemVariants('bedreigd').includes('bedreig'));
    assert.ok(stemVariants('controleert').includes('controler'));
    assert.ok(stemVariants('leest').includes('lez'));
    assert.ok(stemVariants('blijft').includes('blijv'));
    assert.ok(stemVariants('cadeautjes').includes('cadeau'));
    assert.ok(stemVariants('berichtje').includes('bericht'));
  });

  it('drops question words and fillers but keeps "niet"', () => {
    for (const w of ['wat', 'moet', 'ik', 'hoeveel', 'what', 'should']) assert.ok(STOPWORDS.has(w), w);
    assert.ok(!STOPWORDS.has('niet'));
  });

  it('edit distance (with transpositions) gives up above the bound', () => {
    assert.equal(editDistance('bedrieging', 'bedreiging', 2), 1);
    assert.equal(editDistance('pieter', 'pester', 1), 2);
    assert.equal(editDistance('abc', 'abcdefg', 2), 3);
  });
});

describe('knowledge search', () => {
  it('finds the right article through typos, colloquial words and English', async () => {
    const { index } = await sharedKnowledge();
    const cases: [string, string][] = [
      ['naaktfto van leerling in de klassenapp', 'naaktbeelden-verspreid'],
      ['insta van collega gehakt', 'gehackt-account'],
      ['someone made a fake account pretending to be our principal', 'nepaccount'],
      ['leerling wordt gechanteerd met nudes', 'sextortion'],
      [
        'moet ik melden bij het bestuur als een docent seks appjes stuurt naar een leerling',
        'meldplicht-seksueel-misbruik',
      ],
    ];
    for (const [q, slug] of cases) assert.equal(index.search(q).results[0]?.slug, slug, q);
  });

  it('repairs typos the way people make them: swapped letters, two extra letters in a long word, a typo in a two-word term', async () => {
    const { index } = await sharedKnowledge();
    const same = (typo: string, plain: string) =>
      assert.equal(index.search(typo).results[0]?.slug, index.search(plain).results[0]?.slug, typo);
    same('disscrimminatie op insta', 'discriminatie op insta');
    same('nep acount, iemand gebruikt mijn naan', 'nep account, iemand gebruikt mijn naam');
    same('grooming via de caht', 'grooming via de chat');
    same('schaduwkanten van socale media', 'schaduwkanten van sociale media');
    // A slip in a function word stays a function word: "ovre" (over) and "latem" (laten) are no topic words.
    assert.deepEqual(index.search('ovre latem').results, []);
  });

  it('words it cannot place (a name, a chat word, gibberish) do not lower the score of a good match', async () => {
    const { index } = await sharedKnowledge();
    const plain = index.search('naaktfoto rondgestuurd in de klassenapp').results[0];
    const noisy = index.search('naaktfoto rondgestuurd in de klassenapp xqzv brrrt zwoebel').results[0];
    assert.equal(noisy?.slug, plain?.slug);
    assert.equal(noisy?.score, plain?.score);
    assert.equal(index.search('wat moet ik doen').results.length, 0, 'only stopwords');
    assert.equal(index.search('').results.length, 0);
  });

  it('a name from the example phrasings is never a search term, not even in lower case', async () => {
    const { index } = await sharedKnowledge();
    // "Sanne" is a pupil in some phrasings of the question bank.
    for (const q of ['Sanne', 'sanne', 'SANNE']) assert.deepEqual(index.search(q).results, [], q);
    assert.equal(index.knows('Sanne'), false);
  });

  it('school, klas, online and andere are words that count', async () => {
    const { index } = await sharedKnowledge();
    assert.equal(
      index.search('ruzie online met leerlingen van een andere school').results[0]?.slug,
      'schooloverstijgend-incident',
    );
    for (const w of ['school', 'klas', 'online', 'andere']) assert.ok(!STOPWORDS.has(w), w);
  });

  it('scores are in 0..1 and fall down the list', async () => {
    const { index } = await sharedKnowledge();
    const r = index.search('bedreiging op tiktok tegen school', 5);
    let prev = 1;
    for (const x of r.results) {
      assert.ok(x.score >= 0 && x.score <= prev);
      prev = x.score;
    }
  });

  it('a query touches only the posting lists of its own terms (an empty index answers nothing)', () => {
    const empty = KnowledgeIndex.build([]);
    assert.deepEqual(empty.search('naaktfoto').results, []);
  });

  it('bounds pasted text: very long queries are cut, not slow', async () => {
    const { index } = await sharedKnowledge();
    const r = index.search('pesten '.repeat(20_000));
    assert.equal(r.results[0]?.slug, 'online-pesten');
  });
});
