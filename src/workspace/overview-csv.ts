import type { Overview, OverviewRange } from '../core/cases/stats.js';
import type { Strings } from './web/strings.js';

/**
 * One CSV cell. Semicolons because Dutch spreadsheets read `;` (the comma is the decimal separator); a cell that
 * starts like a formula is prefixed so a spreadsheet never runs it.
 */
function cell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (...cells: (string | number)[]) => cells.map(cell).join(';');

/**
 * The overview as a CSV file for the annual report: incidents per month and type, then the key figures, then
 * questions by topic. UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it as it should.
 */
export function overviewCsv(
  o: Overview,
  range: OverviewRange,
  school: string,
  s: Strings,
  labels: { type: (id: string) => string; topic: (role: string) => string },
): string {
  const minutes = (n: number | undefined) => (n === undefined ? '' : Math.round(n));
  const lines = [
    row(s('csv.title'), school, `${range.from} – ${range.to}`),
    '',
    row(s('csv.month'), s('csv.type'), s('csv.count')),
    ...o.months.flatMap((m) => o.types.map((type) => row(m, labels.type(type), o.counts[m]?.[type] ?? 0))),
    '',
    row(s('csv.figure'), s('csv.value')),
    row(s('csv.incidents'), o.incidents),
    row(s('csv.urgent'), o.urgent),
    row(s('csv.medianTakeUp'), minutes(o.takeUp.medianMinutes)),
    row(s('csv.slowestTakeUp'), minutes(o.takeUp.slowestMinutes)),
    row(s('csv.waiting'), o.takeUp.waiting),
    row(s('csv.overdue'), o.overdue),
    row(s('csv.overdueNow'), o.overdueNow),
    row(s('csv.escalated'), o.escalated),
    row(s('csv.questions'), o.questions),
    '',
    row(s('csv.topic'), s('csv.count')),
    ...o.questionsByTopic.map((q) => row(labels.topic(q.topic), q.count)),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
