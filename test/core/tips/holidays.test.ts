import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { holidayStatus } from '../../../src/cli.js';
import { startFlow } from '../../../src/core/escalation/flow.js';
import { translator } from '../../../src/core/i18n/index.js';
import { createLogger } from '../../../src/core/logger.js';
import { localDemoSchool, type SchoolConfig } from '../../../src/core/school/school.js';
import { MemoryStore } from '../../../src/core/storage/memory-store.js';
import {
  holidaysKnown,
  loadHolidays,
  NO_REGIONAL_HOLIDAYS,
  parseHolidays,
  type RegionalHolidays,
} from '../../../src/core/tips/holidays.js';
import { TipService } from '../../../src/core/tips/service.js';
import type { Outgoing, Platform } from '../../../src/core/types.js';
import { knowledgeDir } from '../../../src/paths.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { sharedKnowledge, startTestApp } from '../../helpers/test-app.js';

const shippedFile = join(knowledgeDir, 'holidays.yml');

/** A valid school year in the file's format; `edit` changes its text before parsing. */
const YEAR = `schoolYears:
  - schoolYear: "2027-2028"
    source: https://www.rijksoverheid.nl/x
    holidays:
      herfstvakantie: { noord: ["2027-10-16", "2027-10-24"], midden: ["2027-10-16", "2027-10-24"], zuid: ["2027-10-23", "2027-10-31"] }
      kerstvakantie: { all: ["2027-12-25", "2028-01-09"] }
      voorjaarsvakantie: { noord: ["2028-02-19", "2028-02-27"], midden: ["2028-02-26", "2028-03-05"], zuid: ["2028-02-26", "2028-03-05"] }
      meivakantie: { all: ["2028-04-29", "2028-05-07"] }
      zomervakantie: { noord: ["2028-07-15", "2028-08-27"], midden: ["2028-07-08", "2028-08-20"], zuid: ["2028-07-22", "2028-09-03"] }
`;
const problemsOf = (source: string) => parseHolidays(source).problems;

/** The national holiday a date falls in for a region, from the shipped table. */
async function shippedHolidayOn() {
  const h = await loadHolidays(shippedFile);
  return (region: 'noord' | 'midden' | 'zuid', date: string) =>
    h[region].find((r) => r.from <= date && date <= r.to)?.name;
}

describe('national holiday table (knowledge/holidays.yml)', () => {
  it('the shipped table is valid and reaches the summer of 2028 in every region', async () => {
    const { holidays, problems } = parseHolidays(await readFile(shippedFile, 'utf8'));
    assert.deepEqual(problems, []);
    for (const region of ['noord', 'midden', 'zuid'] as const) {
      assert.ok((holidays.coverage?.[region]?.to ?? '') >= '2028-08-20', region);
      assert.ok(holidays[region].length >= 5, region);
    }
    assert.ok(
      holidays.schoolYears?.every((y) => /^https:\/\/(www|opendata)\.rijksoverheid\.nl\//.test(y.source)),
    );
    // The current school year (2026-2027) and the next one (2027-2028).
    assert.deepEqual(
      holidays.schoolYears?.map((y) => y.schoolYear),
      ['2026-2027', '2027-2028'],
    );
  });

  it('knows the rest of the 2026-2027 school year', async () => {
    const on = await shippedHolidayOn();
    for (const r of ['noord', 'midden', 'zuid'] as const) {
      assert.equal(on(r, '2026-12-21'), 'kerstvakantie');
      assert.equal(on(r, '2026-12-28'), 'kerstvakantie');
      assert.equal(on(r, '2027-01-04'), undefined);
      assert.equal(on(r, '2027-04-26'), 'meivakantie');
    }
    assert.equal(on('zuid', '2027-02-15'), 'voorjaarsvakantie');
    assert.equal(on('noord', '2027-02-15'), undefined);
    assert.equal(on('noord', '2027-07-12'), 'zomervakantie');
    assert.equal(on('zuid', '2027-07-12'), undefined);
    assert.equal(on('zuid', '2027-08-30'), 'zomervakantie');
  });

  it('publishes the 2027-2028 dates of the Rijksoverheid table per region', async () => {
    const on = await shippedHolidayOn();
    // Autumn: zuid a week later than noord and midden.
    assert.equal(on('noord', '2027-10-18'), 'herfstvakantie');
    assert.equal(on('zuid', '2027-10-18'), undefined);
    assert.equal(on('zuid', '2027-10-25'), 'herfstvakantie');
    // Christmas and May: the whole country.
    for (const r of ['noord', 'midden', 'zuid'] as const) {
      assert.equal(on(r, '2028-01-03'), 'kerstvakantie');
      assert.equal(on(r, '2028-05-01'), 'meivakantie');
    }
    assert.equal(on('noord', '2028-02-21'), 'voorjaarsvakantie');
    assert.equal(on('midden', '2028-02-21'), undefined);
    // Summer 2028: midden first, zuid last.
    assert.equal(on('midden', '2028-07-10'), 'zomervakantie');
    assert.equal(on('zuid', '2028-07-10'), undefined);
    assert.equal(on('zuid', '2028-08-28'), 'zomervakantie');
    assert.equal(on('midden', '2028-08-21'), undefined);
  });

  it('accepts the model year and names every kind of mistake', () => {
    assert.deepEqual(problemsOf(YEAR), []);
    const wrong = (from: string, to: string) => problemsOf(YEAR.replace(from, to));
    // A typo in a day: no longer Saturday..Sunday, and the wrong length.
    assert.match(wrong('"2027-10-24"], midden', '"2027-10-25"], midden').join(), /Saturday to a Sunday/);
    assert.match(wrong('"2027-10-24"], midden', '"2027-10-31"], midden').join(), /lasts 9 days, not 16/);
    assert.match(wrong('"2028-08-27"', '"2028-02-30"').join(), /real YYYY-MM-DD/);
    assert.match(wrong('2027-2028', '2027-2029').join(), /must look like 2027-2028/);
    assert.match(wrong('https://www.rijksoverheid.nl/x', 'somewhere').join(), /source must be/);
    assert.match(
      wrong('      meivakantie: { all: ["2028-04-29", "2028-05-07"] }\n', '').join(),
      /meivakantie is missing/,
    );
    assert.match(wrong('meivakantie', 'paasvakantie').join(), /unknown holiday/);
    assert.match(
      wrong('{ all: ["2027-12-25"', '{ noord: ["2027-12-25"').join(),
      /either noord, midden and zuid, or all/,
    );
    assert.match(
      wrong('zuid: ["2027-10-23", "2027-10-31"]', 'zuid: "2027-10-23"').join(),
      /\[first day, last day\]/,
    );
    assert.match(
      wrong('herfstvakantie: { noord: ["2027-10-16"', 'herfstvakantie: { noord: ["2026-10-17"').join(),
      /not in school year 2027-2028/,
    );
    // School years follow each other without a gap.
    const next = YEAR.replace('schoolYears:\n', '').replaceAll('2028', '2030').replaceAll('2027', '2029');
    assert.match(problemsOf(YEAR + next).join(), /does not follow the previous school year/);
    assert.deepEqual(problemsOf('regions: {}'), ['schoolYears must be a list']);
    assert.match(problemsOf('schoolYears: [').join(), /not valid YAML/);
  });

  it('knows which dates it speaks for', () => {
    const h = parseHolidays(YEAR).holidays;
    assert.equal(holidaysKnown(h, 'zuid', '2027-10-23'), true);
    assert.equal(holidaysKnown(h, 'zuid', '2028-09-03'), true);
    assert.equal(holidaysKnown(h, 'zuid', '2028-09-04'), false);
    assert.equal(holidaysKnown(h, 'midden', '2028-08-21'), false);
    assert.equal(holidaysKnown(h, 'noord', '2026-11-23'), false);
    assert.equal(holidaysKnown(NO_REGIONAL_HOLIDAYS, 'noord', '2027-11-01'), false);
  });
});

class Poster {
  readonly posts: string[] = [];
  async post(_p: Platform, conversationId: string, _out: Outgoing) {
    this.posts.push(conversationId);
  }
}

describe('weekly tips and the national holidays', () => {
  const school = (over: Partial<SchoolConfig>): SchoolConfig => ({ ...localDemoSchool('u'), ...over });

  async function runAt(at: string, over: Partial<SchoolConfig>, regional: RegionalHolidays) {
    const { kb } = await sharedKnowledge();
    const logs: string[] = [];
    const poster = new Poster();
    const tips = new TipService({
      store: new MemoryStore(),
      kb,
      poster,
      logger: createLogger('debug', (l) => logs.push(l)),
      t: translator('nl'),
      school: school(over),
      now: () => new Date(at),
      fanOut: {
        concurrency: 2,
        ratePerSecond: { teams: 1000, slack: 1000, local: 1000 },
        maxAttempts: 2,
        baseDelayMs: 1,
        sleep: async () => {},
      },
      regional,
    });
    await tips.subscribe('teams', '19:c', 'channel', 'u');
    const first = await tips.run();
    await tips.run();
    return { first, poster, logs };
  }

  it('tips preview says when this week is a holiday', async () => {
    const { kb } = await sharedKnowledge();
    const shipped = await loadHolidays(shippedFile);
    const preview = async (at: string) => {
      const tips = new TipService({
        store: new MemoryStore(),
        kb,
        poster: new Poster(),
        logger: createLogger('silent'),
        t: translator('nl'),
        school: school({ region: 'noord' }),
        now: () => new Date(at),
        regional: shipped,
      });
      await tips.subscribe('teams', '19:c', 'channel', 'u');
      return (await tips.preview())[0];
    };
    assert.equal((await preview('2026-12-22T10:00:00Z'))?.holiday, true);
    assert.equal((await preview('2026-12-22T10:00:00Z'))?.week, '2026-W52');
    assert.equal((await preview('2027-01-05T10:00:00Z'))?.holiday, false);
  });

  it('skips the Christmas weeks of 2026 everywhere', async () => {
    const shipped = await loadHolidays(shippedFile);
    for (const monday of ['2026-12-21T07:31:00Z', '2026-12-28T07:31:00Z']) {
      const { first, poster, logs } = await runAt(monday, { region: 'midden' }, shipped);
      assert.equal(first.skipped, 1, monday);
      assert.deepEqual(poster.posts, []);
      assert.ok(!logs.some((l) => l.includes('tips.holidays_unknown')));
    }
    const back = await runAt('2027-01-04T07:31:00Z', { region: 'midden' }, shipped);
    assert.deepEqual(back.poster.posts, ['19:c']);
  });

  it("skips the autumn week of the school's own region from the shipped table", async () => {
    const shipped = await loadHolidays(shippedFile);
    const monday = '2027-10-25T06:31:00Z'; // 08:31 CEST: zuid is on holiday, noord is back at school
    const zuid = await runAt(monday, { region: 'zuid' }, shipped);
    assert.equal(zuid.first.skipped, 1);
    assert.deepEqual(zuid.poster.posts, []);
    const noord = await runAt(monday, { region: 'noord' }, shipped);
    assert.deepEqual(noord.poster.posts, ['19:c']);
    assert.ok(!noord.logs.some((l) => l.includes('tips.holidays_unknown')));
  });

  it('warns once when the table does not reach the week (and still posts)', async () => {
    const shipped = await loadHolidays(shippedFile);
    const after = '2028-09-11T06:31:00Z';
    const { poster, logs } = await runAt(after, { region: 'midden' }, shipped);
    assert.deepEqual(poster.posts, ['19:c']);
    const warnings = logs.filter((l) => l.includes('tips.holidays_unknown'));
    assert.equal(warnings.length, 1, 'two runs in the same week, one warning');
    assert.match(warnings[0] ?? '', /"knownUntil":"2028-08-20"/);
    // A school without a region relies on its own dates: nothing to warn about.
    const own = await runAt(after, {}, shipped);
    assert.ok(!own.logs.some((l) => l.includes('tips.holidays_unknown')));
  });

  it('school check says how far the national dates reach', () => {
    const h = parseHolidays(YEAR).holidays;
    const now = new Date('2027-11-01T10:00:00Z');
    assert.match(
      holidayStatus(school({ region: 'zuid' }), h, now),
      /✓ .*region zuid; national dates known until 2028-09-03/,
    );
    assert.match(
      holidayStatus(school({ region: 'zuid' }), h, new Date('2028-09-10T10:00:00Z')),
      /! .*end 2028-09-03: add the next school year/,
    );
    assert.match(
      holidayStatus(school({ region: 'noord' }), NO_REGIONAL_HOLIDAYS, now),
      /has no dates for it/,
    );
    assert.match(holidayStatus(school({ holidays: [] }), h, now), /none configured/);
    assert.match(
      holidayStatus(school({ holidays: [{ from: '2027-12-20', to: '2027-12-24' }] }), h, now),
      /1 own period\(s\), no national region/,
    );
  });
});

describe('case deadlines and the national holidays', () => {
  const tempDir = tempDirs();

  it('a normal case reported on the last day before Christmas is due on the first school day after it', async () => {
    const dir = await tempDir('holiday-case-');
    await writeFile(
      join(dir, 'school.yml'),
      `school: { name: Kerstschool, level: po, crisisContact: "010-1" }
people: [{ id: apc, name: "A. Pest", slack: UAPC }, { id: lead, name: "L. Eiding", slack: ULEAD }]
roles: { aanspreekpunt-pesten: { holders: [apc] }, schoolleiding: { holders: [lead] } }
admins: [lead]
region: zuid
`,
    );
    const friday = new Date('2026-12-18T10:00:00Z'); // 11:00 in Amsterdam, the last school day of 2026
    const app = await startTestApp({ VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml') }, { now: () => friday });
    try {
      const flow = {
        ...startFlow({ id: 'f', platform: 'local', reporterId: 'u', now: friday }),
        status: 'submitted' as const,
        type: 'online-pesten',
        involved: 'pupil' as const,
        description: 'x',
      };
      const stored = await app.store.flows.create({ ...flow, status: 'active', version: 0 });
      const c = (await app.cases?.createFromFlow({ ...flow, version: stored.version }))?.record;
      // Not Monday 21 December (holiday) but Monday 4 January, 12:00 in Amsterdam.
      assert.equal(c?.deadlineAt, '2027-01-04T11:00:00.000Z');
    } finally {
      await app.cleanup();
    }
  });
});
