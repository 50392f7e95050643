import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERB_CASE_ANSWER } from '../../src/core/actions.js';
import { answerCard, choicesCard } from '../../src/core/answers/answer-views.js';
import { Bot } from '../../src/core/bot.js';
import type { CaseRecord } from '../../src/core/cases/model.js';
import { caseCard, caseListCard, settingsCard } from '../../src/core/cases/views.js';
import type { IncidentCatalog } from '../../src/core/escalation/catalog.js';
import { startFlow } from '../../src/core/escalation/flow.js';
import { FlowHandler } from '../../src/core/escalation/flow-handler.js';
import { flowStepCard, noticeCard, redirectCard } from '../../src/core/escalation/views.js';
import { translator } from '../../src/core/i18n/index.js';
import type { KnowledgeBase } from '../../src/core/knowledge/model.js';
import { silentLogger } from '../../src/core/logger.js';
import { SchoolDirectory } from '../../src/core/school/directory.js';
import { localDemoSchool } from '../../src/core/school/school.js';
import { MemoryStore } from '../../src/core/storage/memory-store.js';
import { TipService } from '../../src/core/tips/service.js';
import type { Outgoing, TurnContext } from '../../src/core/types.js';
import { knowledgeDir } from '../../src/paths.js';
import { linkCard } from '../../src/workspace/links.js';
import { sharedKnowledge } from './test-app.js';

export function sampleCase(): CaseRecord {
  return {
    id: 'M-2026-0001',
    version: 1,
    status: 'open',
    type: 'naaktbeelden',
    involved: 'staff',
    urgent: true,
    danger: false,
    meldplicht: true,
    description: 'Beschrijving met *opmaak* en [link](https://x)',
    checked: ['do-0'],
    reporter: { platform: 'teams', userId: 'u', name: 'T. Docent' },
    roles: ['bevoegd-gezag', 'schoolleiding'],
    recipients: ['lokaal'],
    createdAt: '2026-11-23T09:00:00Z',
    deadlineAt: '2026-11-23T09:15:00Z',
    escalation: 0,
    timeline: [{ at: '2026-11-23T09:00:00Z', by: 'reporter', action: 'created' }],
    cards: [],
  };
}

/** Realistic data for every card template, produced by the same code the bot uses. */
export async function cardSamples(): Promise<Record<string, Outgoing & { kind: 'card' }>> {
  const { kb, index } = await sharedKnowledge();
  const bot = new Bot({ kb, index, store: new MemoryStore(), logger: silentLogger, lang: 'nl' });
  const t = translator('nl');
  const a = kb.bySlug.get('naaktbeelden-verspreid');
  const b = kb.bySlug.get('wet-en-regelgeving-online');
  assert.ok(a && b);
  const out: Record<string, Outgoing> = {
    help: bot.helpCard(t),
    answer: await answerCard(
      { article: a, acute: kb.acute[0], roles: ['vertrouwenspersoon'] },
      { t, kb, directory: new SchoolDirectory(localDemoSchool('u'), new MemoryStore()), dutchNote: true },
    ),
    choices: choicesCard([a, b], 'naaktfoto of wet?', { t, kb }),
    article: bot.articleCard(b, t),
  };
  const asked = localTurn('er vliegt een zwerm spreeuwen over het plein');
  await bot.handle(asked.ctx);
  out.unknown = asked.replies[0] as Outgoing;

  // Escalation: one sample per template, built by the same views the bot uses.
  const catalog = (await import('../../src/core/escalation/catalog.js')).parseCatalog(
    readFileSync(join(knowledgeDir, 'incidents.yml'), 'utf8'),
    (slug) => kb.bySlug.has(slug),
  ).catalog;
  const school = localDemoSchool('u');
  const view = { catalog, school, kb, t, lang: 'nl' as const };
  const flow = {
    ...startFlow({ id: 'f', platform: 'teams', reporterId: 'u', now: new Date() }),
    step: 'review' as const,
    type: 'naaktbeelden',
    involved: 'pupil' as const,
    description: 'x',
  };
  out['flow-step'] = flowStepCard(flow, view, 'let op');
  out.redirect = redirectCard(t);
  out.notice = noticeCard('Titel', ['regel'], {
    input: 'answer',
    placeholder: 'p',
    actions: [{ title: 'OK', style: 'positive', data: { verb: VERB_CASE_ANSWER, caseId: 'M-2026-0001' } }],
  });
  const ctx = { catalog, school, t, lang: 'nl' as const };
  const c = sampleCase();
  out.case = caseCard(c, ctx);
  out['case-list'] = caseListCard('Lijst', [c], ctx, true);
  out.settings = settingsCard(ctx, { schoolleiding: { holders: ['lokaal'] } });
  out['expert-question'] = await expertQuestionForm(catalog, kb);
  const tips = new TipService({
    store: new MemoryStore(),
    kb,
    logger: silentLogger,
    t,
    now: () => new Date(),
    poster: { post: async () => {} },
  });
  const tip = kb.tips[0];
  assert.ok(tip);
  out.tip = tips.tipCard(tip);
  out.link = linkCard(
    'Dossierbestand (PDF) voor M-2026-0001',
    'Vertrouwelijk. De link werkt één keer en 10 minuten.',
    'PDF downloaden',
    'https://vangnet.example.org/app/download/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
  );
  return out as Record<string, Outgoing & { kind: 'card' }>;
}

/** A message from the local user in a private chat, and the replies it gets. */
function localTurn(text: string): { ctx: TurnContext; replies: Outgoing[] } {
  const replies: Outgoing[] = [];
  const ctx: TurnContext = {
    incoming: {
      type: 'message',
      text,
      addressed: true,
      actor: { id: 'u' },
      conversation: { platform: 'local', id: 'c', kind: 'personal' },
    },
    reply: async (o) => {
      replies.push(o);
    },
  };
  return { ctx, replies };
}

/**
 * A flow handler for the demo school (where `localUserId` holds every role) that can open the "ask an expert"
 * form; it has no case service, so nothing can be sent.
 */
export function demoSchoolFlows(kb: KnowledgeBase, catalog: IncidentCatalog, localUserId: string) {
  const store = new MemoryStore();
  const directory = new SchoolDirectory(localDemoSchool(localUserId), store);
  const flows = new FlowHandler({
    store,
    catalog,
    directory,
    cases: {} as never,
    notifier: {} as never,
    kb,
    logger: silentLogger,
    now: () => new Date(),
  });
  return { store, directory, flows };
}

/** The "ask an expert" form as the flow handler sends it, for the card and Block Kit tests. */
async function expertQuestionForm(catalog: IncidentCatalog, kb: KnowledgeBase): Promise<Outgoing> {
  const { flows } = demoSchoolFlows(kb, catalog, 'u');
  const { ctx, replies } = localTurn('');
  await flows.startQuestion(ctx, translator('nl'), {
    slug: 'gehackt-account',
    question: 'Mag ik een telefoon innemen?',
  });
  const form = replies[0];
  assert.ok(form?.kind === 'card');
  // A fixed form id keeps the golden file stable (the bot makes a random one per form).
  return { ...form, data: { ...form.data, formId: '00000000-0000-4000-8000-000000000001' } };
}
