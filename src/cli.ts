#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadKnowledgeAndIndex, loadSchool, openStore, startApp } from './app.js';
import { loadConfig } from './config.js';
import { Answerer, type AnswerPlan } from './core/answers/answerer.js';
import { peopleWithoutEmail } from './core/cases/alerts.js';
import { ErrorCode, StoreError } from './core/errors.js';
import { type IncidentCatalog, loadCatalog, parseCatalog } from './core/escalation/catalog.js';
import { translator } from './core/i18n/index.js';
import { summarizeGaps } from './core/knowledge/gaps.js';
import { checkKnowledge } from './core/knowledge/loader.js';
import { loadSynonyms, synonymProblems } from './core/knowledge/synonyms.js';
import { createLogger, silentLogger } from './core/logger.js';
import { isoDate, localParts } from './core/school/calendar.js';
import { parseSchoolConfig, type SchoolConfig } from './core/school/school.js';
import { loadHolidays, parseHolidays, type RegionalHolidays } from './core/tips/holidays.js';
import { TipService } from './core/tips/service.js';
import { knowledgeDir } from './paths.js';

const USAGE = `Usage: vangnet <command>

  ask "<vraag>"          print the best knowledge answers
  ask --json "<vraag>"   one JSON object: {"query","answered","results":[{"slug","title","score"}],"choices":[slug]}
  ask --json             read questions from standard input, one per line; write JSON Lines
  kb check               validate every article, tip and the synonym table
  kb gaps                unanswered questions, "niet geholpen" feedback and questions sent to experts (DATA_DIR)
  school check <file>    validate a school configuration (people, roles, deadlines)
  tips preview           the next tip per subscribed conversation (from DATA_DIR)
  tips send --now        post this week's tip to every subscription now (at most once a week each)
  help                   this text
`;

type Out = (s: string) => void;

/**
 * The JSON contract of `ask --json` (fixed: other tools depend on it). `answered` is true only when the bot
 * answers with one article; `choices` lists what "Bedoel je …?" offers (empty when it answers or has nothing).
 */
export function toJson(plan: AnswerPlan) {
  return {
    query: plan.search.query,
    answered: plan.kind === 'answer',
    results: plan.search.results.map((x) => ({ slug: x.slug, title: x.title, score: x.score })),
    choices: plan.kind === 'choices' ? plan.choices.map((a) => a.slug) : [],
  };
}

function printReadable(plan: AnswerPlan, out: Out) {
  if (plan.kind === 'answer') {
    const a = plan.article;
    out(`${a.title}  [${a.slug}]${plan.acute ? `  (acuut: ${plan.acute.lines.join(', ')})` : ''}\n`);
    out(`   ${a.summary}\n`);
    a.firstSteps.slice(0, 3).forEach((s, n) => {
      out(`   ${n + 1}) ${s}\n`);
    });
  } else if (plan.kind === 'choices') {
    out('Bedoel je … / Did you mean …\n');
    for (const a of plan.choices) out(`   - ${a.title}  [${a.slug}]\n`);
  } else if (plan.kind === 'off-topic') {
    out('Buiten Vangnets onderwerp. / Not what Vangnet is for.\n');
  } else if (plan.kind === 'small-talk') {
    out(`(${plan.talk})\n`);
  } else {
    out('Geen zeker antwoord gevonden. / No confident answer.\n');
  }
  if (plan.search.results.length) out('Zoekresultaten / Search results:\n');
  plan.search.results.forEach((x, i) => {
    out(`${i + 1}. ${x.title}  [${x.slug}]  score ${x.score.toFixed(2)}\n`);
  });
}

async function ask(args: string[], out: Out, input: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const question = positionals.join(' ').trim();
  if (!values.json && !question) {
    out(USAGE);
    return 2;
  }
  const { kb, index } = await loadKnowledgeAndIndex();
  const answerer = new Answerer({ kb, index });
  if (question) {
    const plan = answerer.plan(question);
    if (values.json) out(`${JSON.stringify(toJson(plan))}\n`);
    else printReadable(plan, out);
    return 0;
  }
  await askLines(answerer, input, out);
  return 0;
}

async function askLines(answerer: Answerer, input: NodeJS.ReadableStream, out: Out) {
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    const q = line.trim();
    if (!q) continue;
    out(`${JSON.stringify(toJson(answerer.plan(q)))}\n`);
  }
}

async function kbCheck(out: Out): Promise<number> {
  const { kb, problems } = await checkKnowledge(knowledgeDir);
  const all = new Map(problems);
  let synonymsSource = '';
  try {
    synonymsSource = await readFile(join(knowledgeDir, 'synonyms.yml'), 'utf8');
  } catch {
    /* optional file */
  }
  const synProblems = synonymsSource ? synonymProblems(synonymsSource) : [];
  if (synProblems.length) all.set('synonyms.yml', synProblems);
  try {
    const { problems: catalogProblems } = parseCatalog(
      await readFile(join(knowledgeDir, 'incidents.yml'), 'utf8'),
      (slug) => kb.bySlug.has(slug),
    );
    if (catalogProblems.length) all.set('incidents.yml', catalogProblems);
    const { problems: holidayProblems } = parseHolidays(
      await readFile(join(knowledgeDir, 'holidays.yml'), 'utf8'),
    );
    if (holidayProblems.length) all.set('holidays.yml', holidayProblems);
  } catch {
    all.set('incidents.yml', ['missing: the incident types and routing table']);
  }
  if (!synProblems.length) await loadSynonyms(join(knowledgeDir, 'synonyms.yml'));
  for (const [file, msgs] of all) for (const m of msgs) out(`✗ ${file}: ${m}\n`);
  const count = [...all.values()].reduce((n, m) => n + m.length, 0);
  out(
    count === 0
      ? `✓ ${kb.articles.length} articles and ${kb.tips.length} tips are valid\n`
      : `${count} problem(s) in ${all.size} file(s)\n`,
  );
  return count === 0 ? 0 : 1;
}

async function kbGaps(out: Out): Promise<number> {
  const config = loadConfig();
  // Read-only: runs beside the bot and leaves the data folder byte-identical.
  const store = await openStore(config, silentLogger, { readOnly: true });
  const gaps = await store.gaps.list();
  await store.close();
  if (gaps.length === 0) {
    out('No gaps recorded.\n');
    return 0;
  }
  for (const g of summarizeGaps(gaps)) {
    out(`${String(g.count).padStart(4)}  ${g.reason.padEnd(12)}  ${g.last.slice(0, 10)}  ${g.what}\n`);
  }
  return 0;
}

async function schoolCheck(file: string | undefined, out: Out): Promise<number> {
  if (!file) {
    out(USAGE);
    return 2;
  }
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    out(`✗ cannot read ${file}\n`);
    return 1;
  }
  const { kb } = await checkKnowledge(knowledgeDir);
  const { catalog } = parseCatalog(await readFile(join(knowledgeDir, 'incidents.yml'), 'utf8'), (s) =>
    kb.bySlug.has(s),
  );
  const { config, problems } = parseSchoolConfig(source, new Set(catalog.types.keys()));
  for (const p of problems) out(`✗ ${p}\n`);
  if (!config) return 1;
  const roles = Object.entries(config.roles).map(
    ([r, a]) => `${r}: ${a?.holders.length ?? 0} holder(s), ${a?.backup.length ?? 0} backup`,
  );
  out(
    `✓ ${config.name} (${config.level}): ${config.people.size} people, ${config.admins.length} admin(s)\n  ${roles.join('\n  ')}\n`,
  );
  out(`${holidayStatus(config, await loadHolidays(join(knowledgeDir, 'holidays.yml')), new Date())}\n`);
  const alerts = emailAlertStatus(config, catalog);
  if (alerts) out(`${alerts}\n`);
  return 0;
}

/**
 * With e-mail alerts on (VANGNET_SMTP_URL in this environment): who could get an urgent case but has no address.
 * Undefined when e-mail alerts are off, or the environment is not a valid configuration (the file is what is checked).
 */
function emailAlertStatus(school: SchoolConfig, catalog: IncidentCatalog): string | undefined {
  let email: boolean;
  try {
    email = Boolean(loadConfig().alerts.email);
  } catch {
    return undefined;
  }
  if (!email) return undefined;
  const missing = peopleWithoutEmail(school, catalog);
  if (missing.length === 0) return '✓ e-mail alerts: everyone who can get an urgent case has an address';
  const who = missing.map(
    (m) => `${school.people.get(m.personId)?.name ?? m.personId} (${m.roles.join(', ')})`,
  );
  return `! e-mail alerts: no address for ${who.join('; ')}: they get urgent cases in chat only`;
}

/** One line on where the school's holidays come from and how far the national table reaches. */
export function holidayStatus(config: SchoolConfig, regional: RegionalHolidays, now: Date): string {
  const own = config.holidays.length ? ` + ${config.holidays.length} own period(s)` : '';
  if (!config.region) {
    return config.holidays.length
      ? `✓ holidays: ${config.holidays.length} own period(s), no national region`
      : '! holidays: none configured (no region, no own dates): weekly tips also go out in holidays';
  }
  const span = regional.coverage?.[config.region];
  const today = isoDate(localParts(now, config.timezone));
  if (!span)
    return `! holidays: region ${config.region}${own}, but knowledge/holidays.yml has no dates for it`;
  if (today > span.to)
    return `! holidays: region ${config.region}${own}; the national dates end ${span.to}: add the next school year to knowledge/holidays.yml`;
  const gap = today < span.from ? ` (nothing known before ${span.from})` : '';
  return `✓ holidays: region ${config.region}${own}; national dates known until ${span.to}${gap}`;
}

async function tipsPreview(out: Out): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config, silentLogger, { readOnly: true });
  try {
    const { kb } = await loadKnowledgeAndIndex();
    const catalog = await loadCatalog(join(knowledgeDir, 'incidents.yml'), (s) => kb.bySlug.has(s));
    const school = await loadSchool(config, catalog);
    const tips = new TipService({
      store,
      kb,
      school,
      logger: silentLogger,
      t: translator(config.lang),
      now: () => new Date(),
      poster: { post: async () => {} },
      regional: await loadHolidays(join(knowledgeDir, 'holidays.yml')),
    });
    const rows = await tips.preview();
    if (rows.length === 0) out('No conversation has weekly tips switched on.\n');
    for (const r of rows) {
      out(
        `${r.sub.platform.padEnd(6)} ${r.sub.conversationId}  ${r.week} ${r.status ?? (r.holiday ? 'holiday' : 'due')}  next: ${r.tip ? `${r.tip.id} ${r.tip.title}` : '—'}\n`,
      );
    }
    out(`Weekly moment: ${tips.whenText()}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function tipsSendNow(out: Out): Promise<number> {
  const config = loadConfig();
  // A second instance on a free port: posting uses the platforms' APIs, not this server. With the embedded store
  // that is only possible while the bot is not running (the folder is locked); PostgreSQL allows both at once.
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(
      { ...config, port: 0, host: config.localMode ? '127.0.0.1' : config.host },
      { logger: createLogger('warn') },
    );
  } catch (err) {
    if (err instanceof StoreError && err.code === ErrorCode.StoreLocked) {
      out(
        `✗ ${err.message}\n` +
          "  The running bot posts the weekly tip itself at the school's moment. To post now, stop the bot and run " +
          'this again, or type "tip" in the channel for one tip.\n',
      );
      return 1;
    }
    throw err;
  }
  try {
    const r = await app.tips.run(true);
    out(
      `sent ${r.sent}, retried ${r.retried}, failed ${r.failed}, removed ${r.removed}, skipped ${r.skipped}\n`,
    );
    return r.failed > 0 ? 1 : 0;
  } finally {
    await app.stop();
  }
}

export async function run(
  argv: string[],
  out: Out = (s) => process.stdout.write(s),
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'ask') return ask(sub === undefined ? [] : [sub, ...rest], out, input);
  if (cmd === 'kb' && sub === 'check') return kbCheck(out);
  if (cmd === 'kb' && sub === 'gaps') return kbGaps(out);
  if (cmd === 'school' && sub === 'check') return schoolCheck(rest[0], out);
  if (cmd === 'tips' && sub === 'preview') return tipsPreview(out);
  if (cmd === 'tips' && sub === 'send' && rest.includes('--now')) return tipsSendNow(out);
  out(USAGE);
  return cmd === 'help' || cmd === '--help' || cmd === undefined ? 0 : 2;
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*[\\/]/, ''));
if (invokedDirectly || process.argv[1]?.endsWith('vangnet')) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`vangnet: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
