import assert from 'node:assert/strict';
import { monthsBetween, overview, schoolYearOf } from '../../src/core/cases/stats.js';
import { overviewCsv } from '../../src/workspace/overview-csv.js';
import { workspaceStrings } from '../../src/workspace/web/strings.js';
import { schoolYearCases } from './fixtures.js';

const NOW = new Date('2026-05-20T10:00:00Z');
const TZ = 'Europe/Amsterdam';

describe('the overview for schoolleiding (pure)', () => {
  const o = overview(schoolYearCases(NOW), { from: '2025-08', to: '2026-07' }, TZ, NOW);

  it('counts incidents per type per month in the school time zone, questions apart', () => {
    assert.equal(o.months.length, 12);
    assert.equal(o.months[0], '2025-08');
    assert.equal(o.incidents, 6);
    assert.equal(o.questions, 1);
    assert.deepEqual(o.counts['2026-01'], { 'online-pesten': 2 });
    assert.deepEqual(o.counts['2026-03'], { 'gehackt-account': 1, 'online-pesten': 1 });
    assert.deepEqual(o.counts['2026-05'], { bedreiging: 1 });
    assert.equal(o.types[0], 'online-pesten', 'most frequent type first');
    assert.equal(o.urgent, 2);
  });

  it('gives the median and slowest time to take-up, and what is still waiting', () => {
    // Taken after 30, 90, 10, 26 h (1560 min) and 95 min (the worked case: 09:05 → 09:40 is 95).
    assert.equal(o.takeUp.count, 5);
    assert.equal(o.takeUp.medianMinutes, 90);
    assert.equal(o.takeUp.slowestMinutes, 26 * 60);
    assert.equal(o.takeUp.waiting, 1);
  });

  it('counts overdue (reminder sent or open past the deadline) and escalated incidents', () => {
    assert.equal(o.overdue, 2);
    assert.equal(o.overdueNow, 1);
    assert.equal(o.escalated, 1);
  });

  it('counts questions to experts by topic', () => {
    assert.deepEqual(o.questionsByTopic, [{ topic: 'ict', count: 1 }]);
  });

  it('leaves out cases outside the range, and an empty range gives zeros', () => {
    const jan = overview(schoolYearCases(NOW), { from: '2026-01', to: '2026-01' }, TZ, NOW);
    assert.equal(jan.incidents, 2);
    assert.deepEqual(jan.months, ['2026-01']);
    const none = overview([], { from: '2026-01', to: '2026-02' }, TZ, NOW);
    assert.equal(none.incidents, 0);
    assert.equal(none.takeUp.medianMinutes, undefined);
  });

  it('holds no descriptions, names or case numbers', () => {
    const json = JSON.stringify(o);
    for (const c of schoolYearCases(NOW)) {
      assert.ok(!json.includes(c.id));
      assert.ok(!json.includes(c.description));
      assert.ok(!json.includes(c.reporter.name ?? '§'));
    }
  });

  it('still counts anonymised cases (type and times are kept)', () => {
    const anonymised = schoolYearCases(NOW).map((c) => ({
      ...c,
      anonymised: true,
      description: '',
      timeline: c.timeline.map(({ at, action }) => ({ at, action, by: 'system' })),
    }));
    const a = overview(anonymised, { from: '2025-08', to: '2026-07' }, TZ, NOW);
    assert.equal(a.incidents, o.incidents);
    assert.equal(a.takeUp.medianMinutes, o.takeUp.medianMinutes);
  });

  it('knows the school year and the months between two months', () => {
    assert.deepEqual(schoolYearOf(NOW, TZ), { from: '2025-08', to: '2026-07' });
    assert.deepEqual(schoolYearOf(new Date('2026-08-01T08:00:00Z'), TZ), { from: '2026-08', to: '2027-07' });
    assert.deepEqual(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('exports a CSV for the annual report that a Dutch spreadsheet opens', () => {
    const csv = overviewCsv(
      o,
      { from: '2025-08', to: '2026-07' },
      'Het Baken College',
      workspaceStrings('nl'),
      {
        type: (t) => (t === 'online-pesten' ? 'Online pesten' : t),
        topic: (r) => (r === 'ict' ? 'ICT' : r),
      },
    );
    assert.ok(csv.startsWith('\uFEFFVangnet-overzicht;Het Baken College;2025-08 – 2026-07\r\n'));
    const lines = csv.slice(1).split('\r\n');
    assert.ok(lines.includes('maand;soort;aantal'));
    assert.ok(lines.includes('2026-01;Online pesten;2'));
    assert.ok(lines.includes('mediaan tijd tot oppakken (minuten);90'));
    assert.ok(lines.includes('doorgezet (escalatie);1'));
    assert.ok(lines.includes('ICT;1'));
    // A label that looks like a formula is never run by the spreadsheet.
    const hostile = overviewCsv(
      o,
      { from: '2026-01', to: '2026-01' },
      '=HYPERLINK("x")',
      workspaceStrings('nl'),
      {
        type: () => '+cmd',
        topic: String,
      },
    );
    assert.ok(hostile.includes(`"'=HYPERLINK(""x"")"`));
    assert.ok(hostile.includes("'+cmd"));
  });
});
