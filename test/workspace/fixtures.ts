import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord, TimelineEntry } from '../../src/core/cases/model.js';
import { type IncidentCatalog, parseCatalog } from '../../src/core/escalation/catalog.js';
import { parseSchoolConfig, type SchoolConfig } from '../../src/core/school/school.js';
import { knowledgeDir } from '../../src/paths.js';

/** Entra object ids and Slack ids of the fixture school's people. */
export const PEOPLE = {
  // Aanspreekpunt pesten.
  jan: {
    id: 'jdevries',
    name: 'Jan de Vries',
    teams: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01',
    slack: 'U0JAN0001',
  },
  // Vertrouwenspersoon.
  meryem: {
    id: 'mel-amrani',
    name: 'Meryem El Amrani',
    teams: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a03',
    slack: 'U0MER0001',
  },
  // Schoolleiding and admin.
  petra: {
    id: 'pjansen',
    name: 'Petra Jansen',
    teams: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a04',
    slack: 'U0PET0001',
  },
  // ICT: an expert, but not for bullying cases.
  ict: { id: 'ict', name: 'Ilse Claes', teams: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a08', slack: 'U0ICT0001' },
} as const;

/** Two teachers who are not in the school configuration: reporters only. */
export const TEACHERS = {
  anna: {
    slack: 'U0ANNA001',
    teams: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b01',
    botId: '29:anna',
    name: 'Anna Visser',
  },
  bram: {
    slack: 'U0BRAM001',
    teams: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1b02',
    botId: '29:bram',
    name: 'Bram Mulder',
  },
} as const;

export const SCHOOL_YAML = `
school: { name: Het Baken College, level: vo, timezone: Europe/Amsterdam, crisisContact: "Schoolleiding 010-1234567" }
people:
${Object.values(PEOPLE)
  .map((p) => `  - { id: ${p.id}, name: "${p.name}", teams: "${p.teams}", slack: ${p.slack} }`)
  .join('\n')}
roles:
  aanspreekpunt-pesten: { holders: [jdevries] }
  vertrouwenspersoon: { holders: [mel-amrani] }
  aandachtsfunctionaris: { holders: [mel-amrani] }
  schoolleiding: { holders: [pjansen] }
  bevoegd-gezag: { holders: [pjansen] }
  ict: { holders: [ict] }
  fg: { holders: [ict] }
admins: [pjansen]
`;

let loaded: { catalog: IncidentCatalog; school: SchoolConfig } | undefined;
/** The shipped incident catalog and the fixture school. */
export function fixtureContext(): { catalog: IncidentCatalog; school: SchoolConfig } {
  if (loaded) return loaded;
  const { catalog } = parseCatalog(readFileSync(join(knowledgeDir, 'incidents.yml'), 'utf8'), () => true);
  const { config, problems } = parseSchoolConfig(SCHOOL_YAML, new Set(catalog.types.keys()));
  assert.ok(config, problems.join('; '));
  loaded = { catalog, school: config };
  return loaded;
}

const at = (iso: string) => new Date(iso).toISOString();
const e = (iso: string, by: string, action: TimelineEntry['action'], more: Partial<TimelineEntry> = {}) => ({
  at: at(iso),
  by,
  action,
  ...more,
});

/** Texts in the worked case's timeline, for assertions. */
export const TEXTS = {
  question: 'Welke leerlingen zaten in de groepsapp toen de foto werd gedeeld?',
  answer: 'Vooral klas 2B; de mentor heeft de namen, ik stuur ze niet via de chat.',
  note: 'Gesprek met ouders van S. gepland op donderdag 10:00, samen met de mentor.',
  handover: 'Meryem kent het gezin al uit eerdere gesprekken; zij neemt het over.',
  closing: 'Afspraken vastgelegd, groepsapp opgeschoond, nazorg via de mentor.',
} as const;

/** A bullying case worked from start to close, with every kind of text in its timeline. */
export function workedCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'M-2026-0007',
    version: 1,
    status: 'closed',
    type: 'online-pesten',
    involved: 'pupil',
    urgent: false,
    danger: false,
    meldplicht: false,
    description: 'Klas 2B: S. wordt in de groepsapp belachelijk gemaakt met een bewerkte foto.',
    checked: ['do-0'],
    reporter: { platform: 'slack', userId: TEACHERS.anna.slack, name: TEACHERS.anna.name },
    roles: ['vertrouwenspersoon'],
    recipients: [PEOPLE.jan.id, PEOPLE.meryem.id],
    assignee: PEOPLE.meryem.id,
    createdAt: at('2026-03-09T08:05:00Z'),
    escalation: 0,
    closedAt: at('2026-03-12T14:30:00Z'),
    outcome: 'opgelost',
    timeline: [
      e('2026-03-09T08:05:00Z', 'reporter', 'created'),
      e('2026-03-09T08:05:02Z', 'system', 'delivered', { note: PEOPLE.jan.name }),
      e('2026-03-09T09:40:00Z', PEOPLE.jan.id, 'taken'),
      e('2026-03-09T09:45:00Z', PEOPLE.jan.id, 'question', { text: TEXTS.question }),
      e('2026-03-09T11:10:00Z', 'reporter', 'answer', { text: TEXTS.answer }),
      e('2026-03-10T07:55:00Z', PEOPLE.jan.id, 'note', { text: TEXTS.note }),
      e('2026-03-10T08:00:00Z', PEOPLE.jan.id, 'handed-over', {
        note: PEOPLE.meryem.name,
        text: TEXTS.handover,
      }),
      e('2026-03-12T14:30:00Z', PEOPLE.meryem.id, 'closed', { text: TEXTS.closing }),
    ],
    cards: [],
    ...overrides,
  };
}

/**
 * Cases of a school year for the overview: several types over several months, some taken up late, one escalated,
 * one still open past its deadline, and a question to an expert.
 */
export function schoolYearCases(now = new Date('2026-05-20T10:00:00Z')): CaseRecord[] {
  const base = (id: string, type: string, created: string, extra: Partial<CaseRecord> = {}): CaseRecord => ({
    ...workedCase(),
    id,
    type,
    createdAt: at(created),
    closedAt: undefined,
    outcome: undefined,
    status: 'taken',
    roles: ['aanspreekpunt-pesten'],
    recipients: [PEOPLE.jan.id],
    assignee: PEOPLE.jan.id,
    timeline: [e(created, 'reporter', 'created')],
    ...extra,
  });
  const taken = (created: string, minutes: number) => [
    e(created, 'reporter', 'created'),
    e(new Date(new Date(created).getTime() + minutes * 60_000).toISOString(), PEOPLE.jan.id, 'taken'),
  ];
  return [
    base('M-2026-0001', 'online-pesten', '2026-01-12T09:00:00Z', {
      timeline: taken('2026-01-12T09:00:00Z', 30),
    }),
    base('M-2026-0002', 'online-pesten', '2026-01-20T10:00:00Z', {
      timeline: taken('2026-01-20T10:00:00Z', 90),
    }),
    base('M-2026-0003', 'naaktbeelden', '2026-02-03T08:30:00Z', {
      urgent: true,
      roles: ['schoolleiding', 'vertrouwenspersoon'],
      timeline: taken('2026-02-03T08:30:00Z', 10),
    }),
    base('M-2026-0004', 'gehackt-account', '2026-03-02T13:00:00Z', {
      roles: ['ict'],
      recipients: [PEOPLE.ict.id],
      assignee: PEOPLE.ict.id,
      escalation: 3,
      timeline: [
        e('2026-03-02T13:00:00Z', 'reporter', 'created'),
        e('2026-03-03T11:00:00Z', 'system', 'reminder'),
        e('2026-03-03T13:00:00Z', 'system', 'escalated', { note: 'schoolleiding' }),
        e('2026-03-03T15:00:00Z', PEOPLE.ict.id, 'taken'),
      ],
    }),
    workedCase(),
    base('M-2026-0008', 'bedreiging', now.toISOString().replace('10:00', '06:00'), {
      status: 'open',
      assignee: undefined,
      urgent: true,
      deadlineAt: now.toISOString().replace('10:00', '06:15'),
      escalation: 1,
      timeline: [
        e(now.toISOString().replace('10:00', '06:00'), 'reporter', 'created'),
        e(now.toISOString().replace('10:00', '06:15'), 'system', 'reminder'),
      ],
    }),
    base('V-2026-0001', 'vraag', '2026-04-14T12:00:00Z', {
      kind: 'question',
      roles: ['ict'],
      recipients: [PEOPLE.ict.id],
      assignee: PEOPLE.ict.id,
      timeline: taken('2026-04-14T12:00:00Z', 45),
    }),
  ];
}
