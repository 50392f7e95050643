import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformNotifier, PlatformPoster, SlackChannel } from './channels/slack/slack-channel.js';
import { BotFrameworkNotifier } from './channels/teams/notifier.js';
import { TeamsChannel } from './channels/teams/teams-channel.js';
import type { Config } from './config.js';
import { Bot } from './core/bot.js';
import { CaseHandler } from './core/cases/case-handler.js';
import type { Notifier } from './core/cases/notifier.js';
import { CaseService } from './core/cases/service.js';
import { ConfigError } from './core/errors.js';
import { type IncidentCatalog, loadCatalog } from './core/escalation/catalog.js';
import { FlowHandler } from './core/escalation/flow-handler.js';
import { translator } from './core/i18n/index.js';
import { loadKnowledge } from './core/knowledge/loader.js';
import type { KnowledgeBase } from './core/knowledge/model.js';
import { KnowledgeIndex } from './core/knowledge/search.js';
import { loadSynonyms } from './core/knowledge/synonyms.js';
import { createLogger, errorFields, type Logger } from './core/logger.js';
import { SchoolDirectory } from './core/school/directory.js';
import { localDemoSchool, parseSchoolConfig, type SchoolConfig } from './core/school/school.js';
import type { Store } from './core/storage/store.js';
import type { FanOutOptions } from './core/tips/fanout.js';
import { holidayDates, loadHolidays } from './core/tips/holidays.js';
import { TipService } from './core/tips/service.js';
import type { Actor, Platform } from './core/types.js';
import { cardsDir, knowledgeDir } from './paths.js';
import { CardRenderer } from './render/cards.js';
import { createServer, listen, type RunningServer } from './server.js';
import { LowdbStore } from './storage/lowdb-store.js';
import { Workspace } from './workspace/workspace.js';

/** The loaded knowledge base with its search index. */
export interface Knowledge {
  readonly kb: KnowledgeBase;
  readonly index: KnowledgeIndex;
}

export async function loadKnowledgeAndIndex(dir = knowledgeDir): Promise<Knowledge> {
  const [kb, synonyms] = await Promise.all([loadKnowledge(dir), loadSynonyms(join(dir, 'synonyms.yml'))]);
  return { kb, index: KnowledgeIndex.build(kb.articles, synonyms) };
}

/** The user id of the local chat page; the demo school gives this one person every role. */
export const LOCAL_USER_ID = 'local-user';

export async function loadSchool(
  config: Config,
  catalog: IncidentCatalog,
): Promise<SchoolConfig | undefined> {
  if (!config.schoolConfigPath) return config.localMode ? localDemoSchool(LOCAL_USER_ID) : undefined;
  let source: string;
  try {
    source = await readFile(config.schoolConfigPath, 'utf8');
  } catch {
    throw new ConfigError(`VANGNET_SCHOOL_CONFIG: cannot read ${config.schoolConfigPath}`);
  }
  const { config: school, problems } = parseSchoolConfig(source, new Set(catalog.types.keys()));
  if (!school)
    throw new ConfigError(
      `Invalid school config ${config.schoolConfigPath}:\n  - ${problems.join('\n  - ')}`,
      problems,
    );
  return school;
}

export interface App {
  readonly url: string;
  readonly store: Store;
  readonly bot: Bot;
  readonly cases?: CaseService;
  readonly tips: TipService;
  stop(): Promise<void>;
}

export interface AppOverrides {
  readonly store?: Store;
  readonly logger?: Logger;
  readonly knowledge?: Knowledge;
  /** Injected clock (tests); the scheduler interval still runs on real time unless `tickSeconds` is large. */
  readonly now?: () => Date;
  /** Fan-out settings for weekly tips (tests and benchmarks use an instant sleep). */
  readonly fanOut?: FanOutOptions;
}

/** Composition root: config → store → knowledge → core → channels → server. */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? (await LowdbStore.open(config.dataDir));
  const { kb, index } = overrides.knowledge ?? (await loadKnowledgeAndIndex());
  const now = overrides.now ?? (() => new Date());
  const cards = new CardRenderer(cardsDir);
  const catalog = await loadCatalog(join(knowledgeDir, 'incidents.yml'), (slug) => kb.bySlug.has(slug));
  const school = await loadSchool(config, catalog);
  if (!school) logger.warn('school.not_configured', { hint: 'set VANGNET_SCHOOL_CONFIG to enable reports' });

  // The Teams channel needs the bot and the bot needs the notifier, which needs the channel's adapter.
  let notifier: Notifier | undefined;
  const lazyNotifier: Notifier = {
    send: (...a) => (notifier as Notifier).send(...a),
    update: (...a) => (notifier as Notifier).update(...a),
  };
  let cases: CaseService | undefined;
  let flows: FlowHandler | undefined;
  let caseHandler: CaseHandler | undefined;
  let workspace: Workspace | undefined;
  const regional = await loadHolidays(join(knowledgeDir, 'holidays.yml'));
  if (school) {
    const directory = new SchoolDirectory(school, store);
    const t = translator(config.lang);
    // Holidays are not school days: a normal case reported before a holiday is due after it.
    const closed = holidayDates(school, regional);
    cases = new CaseService({
      store,
      notifier: lazyNotifier,
      catalog,
      directory,
      logger,
      t,
      lang: config.lang,
      now,
      closedDates: () => closed,
    });
    flows = new FlowHandler({ store, catalog, directory, cases, notifier: lazyNotifier, kb, logger, now });
    workspace = new Workspace({
      config,
      store,
      cases,
      directory,
      kb,
      logger,
      now,
      localUserId: LOCAL_USER_ID,
    });
    const links = workspace.links;
    caseHandler = new CaseHandler({
      store,
      cases,
      directory,
      logger,
      dossierLink: (caseId, who) => links.exportCard(caseId, who),
    });
  }
  let poster: PlatformPoster | undefined;
  const tips = new TipService({
    store,
    kb,
    logger,
    now,
    school,
    t: translator(config.lang),
    poster: { post: (...a) => (poster as PlatformPoster).post(...a) },
    fanOut: overrides.fanOut,
    regional,
  });
  const directory = school ? new SchoolDirectory(school, store) : undefined;
  const isAdmin = (platform: Platform, actor: Actor) => {
    const p = directory?.personOf(platform, actor);
    return Boolean(p && directory?.isAdmin(p.id));
  };
  const bot = new Bot({
    kb,
    index,
    store,
    logger,
    lang: config.lang,
    now,
    flows,
    cases: caseHandler,
    tips,
    isAdmin,
  });
  const teams = new TeamsChannel({
    bot,
    store,
    cards,
    logger,
    lang: config.lang,
    credentials: config.microsoft,
  });
  const botFramework = new BotFrameworkNotifier(
    teams.adapter,
    store,
    cards,
    config.microsoft?.appId ?? '',
    logger,
  );
  const slack = config.slack
    ? new SlackChannel({
        bot,
        store,
        cards,
        logger,
        lang: config.lang,
        now,
        ...config.slack,
        workspaceSignIn:
          workspace && ((userId) => (workspace as Workspace).links.signInCard('slack', userId)),
      })
    : undefined;
  notifier = new PlatformNotifier({ teams: botFramework, local: botFramework, slack });
  poster = new PlatformPoster(botFramework, slack);
  if (slack && config.slack?.appToken) await slack.app.start();
  const server = createServer({ config, teams, slack: slack?.receiver, logger });
  workspace?.mount(server);
  let running: RunningServer;
  try {
    running = await listen(server, config);
  } catch (err) {
    await store.close();
    throw err;
  }
  workspace?.listening(running.url);
  // The scheduler: queued notifications, deadlines and retention. Deadlines live in the store, so a restart
  // picks up where the last process stopped.
  let ticking = false;
  const timer = setInterval(async () => {
    if (ticking) return;
    ticking = true;
    try {
      await cases?.tick();
      await tips.run();
    } catch (err) {
      logger.error('scheduler.failed', errorFields(err));
    } finally {
      ticking = false;
    }
  }, config.tickSeconds * 1000);
  timer.unref();
  logger.info('server.listening', {
    url: running.url,
    localMode: config.localMode,
    articles: kb.articles.length,
  });
  return {
    url: running.url,
    store,
    bot,
    cases,
    tips,
    async stop() {
      clearInterval(timer);
      if (slack && config.slack?.appToken) await slack.app.stop();
      await running.close();
      await store.close();
    },
  };
}
