import PDFDocument from 'pdfkit';
import type { Dossier } from '../core/cases/dossier.js';

/** Characters of Windows-1252 above Latin-1's printable range: what the PDF standard fonts can show. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard PDF fonts can show. Names and words with letters outside Windows-1252 lose their accents
 * ("Şenol" → "Senol") rather than turning into garbage; anything else becomes "?". Standard fonts keep the file
 * small and need no font shipped with Vangnet.
 */
export function pdfSafeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (
      ch === '\n' ||
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff) ||
      CP1252_EXTRA.has(ch)
    ) {
      out += ch;
      continue;
    }
    if (ch === '\t' || ch === '\r') {
      out += ' ';
      continue;
    }
    const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += [...bare].every((c) => (c.codePointAt(0) ?? 0) <= 0xff) && bare ? bare : '?';
  }
  return out;
}

const MARGIN = 56;
const INK = '#1b1b1b';
const MUTED = '#555555';
const MARK = '#a4262c';

/** Lays out a dossier as an A4 PDF: a confidential mark and a footer with page numbers on every page. */
export function dossierToPdf(d: Dossier): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + 16, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: pdfSafeText(d.title), Author: 'Vangnet', Subject: pdfSafeText(d.mark) },
    lang: 'nl-NL',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(pdfSafeText(s), { width, ...opts });
  const heading = (s: string) => {
    doc.moveDown(0.8);
    // Keep a heading with at least a few lines of what follows.
    if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12.5).fillColor(INK);
    text(s);
    doc.moveDown(0.3);
    doc.font('Helvetica').fontSize(10.5).fillColor(INK);
  };

  doc.font('Helvetica-Bold').fontSize(18).fillColor(INK);
  text(d.title);
  doc.moveDown(0.4);
  doc.font('Helvetica-Oblique').fontSize(9.5).fillColor(MARK);
  text(d.notice);
  doc.moveDown(0.8);

  doc.fontSize(10.5);
  for (const f of d.facts) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fillColor(MUTED);
    doc.text(pdfSafeText(f.label), MARGIN, y, { width: 130 });
    const labelBottom = doc.y;
    doc.font('Helvetica').fillColor(INK);
    doc.text(pdfSafeText(f.value), MARGIN + 140, y, { width: width - 140 });
    doc.y = Math.max(doc.y, labelBottom) + 2;
    doc.x = MARGIN;
  }

  heading(d.people.heading);
  for (const line of d.people.lines) text(line);

  heading(d.description.heading);
  text(d.description.text || '–');

  if (d.checklist.lines.length) {
    heading(d.checklist.heading);
    for (const line of d.checklist.lines) text(line, { paragraphGap: 2 });
  }

  heading(d.timeline.heading);
  for (const r of d.timeline.rows) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK);
    text(`${r.when}  ·  ${r.what}  ·  ${r.who}`);
    if (r.text) {
      doc.font('Helvetica').fontSize(10.5).fillColor(INK);
      doc.text(pdfSafeText(r.text), MARGIN + 14, doc.y + 1, { width: width - 14 });
      doc.x = MARGIN;
    }
    doc.moveDown(0.45);
  }

  heading(d.closing.heading);
  for (const line of d.closing.lines) text(line, { paragraphGap: 2 });

  // Mark and footer on every page, once the number of pages is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica-Bold').fontSize(10).fillColor(MARK);
    doc.text(pdfSafeText(d.mark.toUpperCase()), MARGIN, MARGIN - 24, { width, align: 'right' });
    doc.font('Helvetica').fontSize(8.5).fillColor(MUTED);
    const y = doc.page.height - MARGIN + 14;
    doc.text(pdfSafeText(d.footer), MARGIN, y, { width: width - 90, lineBreak: false });
    doc.text(pdfSafeText(d.pageLabel(i - range.start + 1, range.count)), MARGIN + width - 90, y, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
