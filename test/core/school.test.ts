import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSchoolTime, nextSchoolDayAt, takeUpDeadline, zonedTime } from '../../src/core/school/calendar.js';
import { localDemoSchool, parseSchoolConfig, personOf } from '../../src/core/school/school.js';
import { manifestDir } from '../../src/paths.js';

const TYPES = new Set(['online-pesten', 'discriminatie', 'anders']);

describe('school config', () => {
  it('the documented example in manifest/school.example.yml is valid', () => {
    const { config, problems } = parseSchoolConfig(
      readFileSync(join(manifestDir, 'school.example.yml'), 'utf8'),
      TYPES,
    );
    assert.deepEqual(problems, []);
    assert.ok(config);
    assert.ok(config.roles.schoolleiding?.holders.length);
    assert.ok(config.roles['aanspreekpunt-pesten']?.backup.length);
    assert.deepEqual(config.escalation, {
      steps: ['reminder', 'backups', 'schoolleiding'],
      urgentIntervalMinutes: 15,
      normalIntervalMinutes: 120,
    });
  });

  it('names every problem with its path', () => {
    const { config, problems } = parseSchoolConfig(
      [
        'school: { name: X, level: hbo, timezone: Mars/Olympus }',
        'people:',
        '  - { id: a, name: A, teams: not-a-guid }',
        '  - { id: a, name: B, slack: U123 }',
        'roles:',
        '  koning: { holders: [a] }',
        '  vertrouwenspersoon: { holders: [nobody] }',
        'routing: { onbekend: [ict] }',
        'hours: { start: "25:00" }',
        'escalation: { steps: [reminder, bellen, reminder], normalIntervalMinutes: 0 }',
      ].join('\n'),
      TYPES,
    );
    assert.equal(config, undefined);
    const all = problems.join('\n');
    for (const re of [
      /school\.level must be one of po, vo, mbo/,
      /school\.timezone "Mars\/Olympus"/,
      /school\.crisisContact is required/,
      /people\[0\]\.teams must be the person's Entra ID object id/,
      /people\[1\]\.id "a" is used twice/,
      /roles\.koning is not a role/,
      /roles\.vertrouwenspersoon\.holders: "nobody" is not a person/,
      /roles\.schoolleiding needs at least one holder/,
      /admins needs at least one person/,
      /routing\.onbekend is not an incident type/,
      /hours\.start must be a time HH:MM/,
      /escalation\.steps must be a list of distinct steps from: reminder, backups, schoolleiding/,
      /escalation\.normalIntervalMinutes must be a whole number of minutes/,
    ]) {
      assert.match(all, re);
    }
  });

  it('finds the person behind a chat user per platform', () => {
    const school = localDemoSchool('local-user');
    assert.equal(personOf(school, 'local', { id: 'local-user' })?.id, 'lokaal');
    assert.equal(personOf(school, 'teams', { id: 'local-user' }), undefined);
  });
});

describe('school calendar (Europe/Amsterdam)', () => {
  const school = localDemoSchool('u');

  it('converts local wall-clock times across DST', () => {
    assert.equal(
      zonedTime(2026, 1, 15, 12 * 60, 'Europe/Amsterdam').toISOString(),
      '2026-01-15T11:00:00.000Z',
    );
    assert.equal(
      zonedTime(2026, 7, 15, 12 * 60, 'Europe/Amsterdam').toISOString(),
      '2026-07-15T10:00:00.000Z',
    );
  });

  it('urgent: 15 minutes; normal: the next school day at 12:00, skipping weekends and closed dates', () => {
    const friday = new Date('2026-11-20T14:00:00Z');
    assert.equal(takeUpDeadline(school, friday, true).toISOString(), '2026-11-20T14:15:00.000Z');
    assert.equal(
      takeUpDeadline(school, friday, false).toISOString(),
      '2026-11-23T11:00:00.000Z',
      'Monday 12:00 local',
    );
    const closed = new Set(['2026-11-23']);
    assert.equal(nextSchoolDayAt(school, friday, 12 * 60, closed).toISOString(), '2026-11-24T11:00:00.000Z');
  });

  it('takes an optional e-mail address per person, one plain address only', () => {
    const people = (email: string) =>
      parseSchoolConfig(
        [
          'school: { name: X, level: vo, crisisContact: "010" }',
          'people:',
          `  - { id: a, name: A, slack: UAAA0001, email: ${JSON.stringify(email)} }`,
          '  - { id: b, name: B, slack: UBBB0001 }',
          'roles: { schoolleiding: { holders: [a] } }',
          'admins: [a]',
        ].join('\n'),
        TYPES,
      );
    const ok = people(' a.holder@school.example ');
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.config?.people.get('a')?.email, 'a.holder@school.example');
    assert.equal(ok.config?.people.get('b')?.email, undefined);
    for (const bad of [
      'a@b',
      'A <a@school.example>',
      'a@school.example, b@school.example',
      'a@school.example\nBcc: x@y.z',
    ])
      assert.match(people(bad).problems.join('\n'), /people\[0\]\.email must be one e-mail address/, bad);
  });

  it('knows school time', () => {
    assert.equal(isSchoolTime(school, new Date('2026-11-23T09:00:00Z')), true);
    assert.equal(isSchoolTime(school, new Date('2026-11-22T09:00:00Z')), false, 'Sunday');
    assert.equal(isSchoolTime(school, new Date('2026-11-23T17:30:00Z')), false, 'evening');
  });
});
