import assert from 'node:assert/strict';
import { gapText, withoutContactDetails, withoutNames } from '../../src/core/privacy.js';
import { sharedKnowledge } from '../helpers/test-app.js';

/** What `vangnet kb gaps` would show for a question, with the shipped knowledge base's words. */
async function stored(question: string): Promise<string> {
  const { index } = await sharedKnowledge();
  return gapText(question, index.knownWords);
}

function assertGone(text: string, leaked: readonly string[]) {
  for (const l of leaked) assert.ok(!text.toLowerCase().includes(l.toLowerCase()), `"${l}" in "${text}"`);
}

describe('the gaps log keeps only words the knowledge base knows', () => {
  it('drops lower-case names, names at the start of a sentence and after a full stop', async () => {
    const s = await stored(
      'sanne de vries wordt gepest in de groepsapp. Daan zegt dat milan el amrani erachter zit. Fatima weet het ook',
    );
    assertGone(s, ['sanne', 'vries', 'daan', 'milan', 'amrani', 'fatima']);
    assert.match(s, /gepest/);
    assert.match(s, /groepsapp/);
    assert.match(s, /\[\+\d+\]$/, 'says how many words were left out');
  });

  it('drops handles with and without @, e-mail addresses, phone numbers, links and any number', async () => {
    const s = await stored(
      'account @lisa.2011 en jan_de_boer en xx.noor.xx sturen naar fatima@school.nl, bel 06-12345678 of +31 6 1234 5678, zie https://x.nl/a en www.voorbeeld.nl, klas 3b, lln 4567',
    );
    assertGone(s, [
      'lisa',
      '2011',
      'jan',
      'boer',
      'noor',
      'fatima',
      'school.nl',
      '1234',
      '5678',
      'x.nl',
      'voorbeeld',
      '3b',
      '4567',
    ]);
    assert.match(s, /account/);
  });

  it('keeps the platform names teachers need (Insta, TikTok, Snapchat, WhatsApp, Magister …)', async () => {
    const s = await stored(
      'Naaktfoto via Insta, TikTok, Snapchat en WhatsApp; cijfers stonden in Magister en op Discord',
    );
    for (const kept of ['insta', 'tiktok', 'snapchat', 'whatsapp', 'magister', 'discord', 'naaktfoto'])
      assert.match(s, new RegExp(`\\b${kept}\\b`), `${kept} kept in "${s}"`);
  });

  it('collapses every run of dropped words into one mark and caps the length', async () => {
    assert.equal(gapText('pesten xq zv pesten', new Set(['pesten'])), 'pesten … pesten [+2]');
    assert.equal(gapText('pesten', new Set(['pesten'])), 'pesten');
    assert.ok(gapText('pesten '.repeat(200), new Set(['pesten'])).length <= 200);
  });
});

describe('questions are searched without contact details and names', () => {
  it('blanks contact details but keeps ordinary words and class names with a space', () => {
    const t = withoutContactDetails(
      'mail j.jansen@school.nl of bel 0612345678, groep 7 heeft @sanne_x gezien',
    );
    assert.ok(!/jansen|0612345678|sanne/.test(t), t);
    assert.match(t, /groep 7 heeft/);
  });

  it('drops capitalised words the index does not know, wherever they stand, and keeps known ones', () => {
    const knows = (w: string) => ['Insta', 'Een', 'Leerling'].includes(w);
    const t = withoutNames('Sanne zegt: Een leerling van Milan staat op Insta. Leerling huilt', knows);
    assert.ok(!/Sanne|Milan/.test(t), t);
    assert.match(t, /Een leerling van/);
    assert.match(t, /Insta/);
  });

  it('keeps sites and numbers the knowledge base knows ("meldknop.nl", "0900-8844"), never an address, another site or number', () => {
    const knows = (w: string) => ['meldknop', 'school', '0900-8844'].includes(w.toLowerCase());
    const t = withoutNames(
      'wat is meldknop.nl of 0900-8844, mail lisa@school.nl, bel 06-12345678 of kijk op lisavlogt.nl',
      knows,
    );
    assert.match(t, /wat is meldknop of 0900-8844\b/);
    assert.ok(!/lisa|school|vlogt|12345678/.test(t), t);
  });

  it('keeps every word of a shouted message', () => {
    assert.equal(
      withoutNames('NAAKTFOTO IN DE APP', () => false),
      'NAAKTFOTO IN DE APP',
    );
  });
});
