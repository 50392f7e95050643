import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { caseDossier, initials } from '../../src/core/cases/dossier.js';
import { projectRoot } from '../../src/paths.js';
import { dossierToPdf, pdfSafeText } from '../../src/render/dossier-pdf.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { fixtureContext, PEOPLE, TEACHERS, TEXTS, workedCase } from './fixtures.js';

/** The text of a PDF as `pdftotext` (poppler-utils) reads it, with line breaks made spaces. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('the dossier file (PDF)', () => {
  const temp = tempDirs();

  it('opens with pdftotext and holds the facts, the checklist, the full timeline with its texts and the closing note', async () => {
    const pdf = await dossierToPdf(
      caseDossier(workedCase(), fixtureContext(), new Date('2026-03-13T09:00:00Z')),
    );
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const file = join(await temp('vangnet-pdf-'), 'dossier.pdf');
    await writeFile(file, pdf);
    // Kept for a person to look at (pdftoppm turns it into pictures).
    await mkdir(join(projectRoot, 'test', 'output'), { recursive: true });
    await writeFile(join(projectRoot, 'test', 'output', 'dossier-M-2026-0007.pdf'), pdf);
    const text = flat(pdfText(file));

    for (const expected of [
      'VERTROUWELIJK',
      'Dossierexport melding M-2026-0007',
      'Het Baken College',
      'Online pesten',
      // Dates in the school's time zone.
      '09-03-2026, 09:05',
      'Klas 2B: S. wordt in de groepsapp belachelijk gemaakt met een bewerkte foto.',
      // The checklist with what was done.
      'Eerste stappen van de melder',
      '[x] Leg bewijs vast',
      'nog niet',
      // Every text of the timeline: the question, the reporter's answer, the note, the hand-over reason.
      TEXTS.question,
      TEXTS.answer,
      TEXTS.note,
      TEXTS.handover,
      // And the closing note with the outcome.
      TEXTS.closing,
      'Uitkomst: opgelost',
      'pagina 1 van',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" in the PDF text:\n${text}`);
    }
    // Staff and the reporter by initials only: no full names anywhere in the file.
    for (const name of [PEOPLE.jan.name, PEOPLE.meryem.name, TEACHERS.anna.name])
      assert.ok(!text.includes(name), `"${name}" is not in the PDF`);
    assert.match(text, /A\.V\. — melder/);
    assert.match(text, /E\.A\.|M\.E\.A\./);
    assert.match(text, /overgedragen aan: M\.E\.A\./);
  });

  it('breaks long texts over lines and pages instead of cutting them off', async () => {
    const long = `${'Een heel lang verslag van wat er gebeurde. '.repeat(60)}EINDE-VAN-DE-TEKST`;
    const c = workedCase({
      timeline: [
        ...workedCase().timeline,
        ...Array.from({ length: 25 }, (_, i) => ({
          at: `2026-03-12T1${i % 10}:00:00Z`,
          by: PEOPLE.meryem.id,
          action: 'note' as const,
          text: `Notitie ${i + 1}: ${long.slice(0, 300)}`,
        })),
        { at: '2026-03-12T15:00:00Z', by: PEOPLE.meryem.id, action: 'note' as const, text: long },
      ],
    });
    const file = join(await temp('vangnet-pdf-'), 'long.pdf');
    await writeFile(file, await dossierToPdf(caseDossier(c, fixtureContext(), new Date())));
    const text = pdfText(file);
    assert.ok(flat(text).includes('EINDE-VAN-DE-TEKST'));
    const pages = Number(/pagina 1 van (\d+)/.exec(text)?.[1]);
    assert.ok(pages >= 3, `several pages, got ${pages}`);
    // Every page is marked confidential.
    assert.equal(text.match(/VERTROUWELIJK/g)?.length, pages);
    // No line is wider than the page: pdftotext -layout keeps lines as laid out.
    assert.ok(Math.max(...text.split('\n').map((l) => l.trimEnd().length)) < 140);
  });

  it('names people by their initials, Dutch particles in lower case', () => {
    assert.equal(initials('Jan de Vries'), 'J.d.V.');
    assert.equal(initials('Meryem El Amrani'), 'M.E.A.');
    assert.equal(initials('Anna van der Berg-Visser'), 'A.v.d.B.V.');
    assert.equal(initials(''), '?');
  });

  it('keeps accented letters the standard fonts have and strips accents they lack', () => {
    assert.equal(pdfSafeText('geëxporteerd – “café” €'), 'geëxporteerd – “café” €');
    assert.equal(pdfSafeText('Şenol Yılmaz'), 'Senol Y?lmaz');
    assert.equal(pdfSafeText('boos 😡'), 'boos ?');
  });
});
