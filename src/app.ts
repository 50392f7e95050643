import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformNotifier, PlatformPoster } from './channels/platforms.js';
import { SlackChannel } from './channels/slack/slack-channel.js';
import { channelKey } from './channels/teams/activity-mapping.js';
import type { BotFrameworkEndpoints } from './channels/teams/authentication.js';
import { BotFrameworkNotifier } from './channels/teams/notifier.js';
import { TeamsChannel } from './channels/teams/teams-channel.js';
import type { Config } from './config.js';
import { Bot } from './core/bot.js';
import { peopleWithoutEmail } from './core/cases/alerts.js';
import { CaseHandler } from './core/cases/case-handler.js';
import type { Notifier } from './core/cases/notifier.js';
import { CaseService } from './core/cases/service.js';
import type { Audience } from './core/commands/types.js';
import { ConfigError } from './core/errors.js';
import { type IncidentCatalog, loadCatalog } from './core/escalation/catalog.js';
import { DRAFT_FLOW_DAYS } from './core/escalation/flow.js';
import { FlowHandler } from './core/escalation/flow-handler.js';
import { translator } from './core/i18n/index.js';
import { Scheduler } from './core/jobs/scheduler.js';
import { loadKnowledge } from './core/knowledge/loader.js';
import type { KnowledgeBase } from './core/knowledge/model.js';
import { DEFAULT_TUNING, KnowledgeIndex } from './core/knowledge/search.js';
import { loadSynonyms } from './core/knowledge/synonyms.js';
import { createLogger, errorFields, type Logger } from './core/logger.js';
import { gapText } from './core/privacy.js';
import { SchoolDirectory } from './core/school/directory.js';
import { localDemoSchool, parseSchoolConfig, type SchoolConfig } from './core/school/school.js';
import type { Store } from './core/storage/store.js';
import type { FanOutOptions } from './core/tips/fanout.js';
import { holidayDates, loadHolidays } from './core/tips/holidays.js';
import { migrateSubscriptionKeys } from './core/tips/migrate.js';
import { TipService } from './core/tips/service.js';
import type { Incoming } from './core/types.js';
import type { HttpTimeouts } from './http/timeouts.js';
import { ConfiguredAlerts } from './notify/alert-senders.js';
import { cardsDir, knowledgeDir } from './paths.js';
import { CardRenderer } from './render/cards.js';
import { createServer, listen, type RunningServer } from './server.js';
import { LowdbStore } from './storage/lowdb-store.js';
import { PgStore } from './storage/postgres/pg-store.js';
import { Workspace } from './workspace/workspace.js';

/** The loaded knowledge base with its search index. */
export interface Knowledge {
  readonly kb: KnowledgeBase;
  readonly index: KnowledgeIndex;
}

export async function loadKnowledgeAndIndex(dir = knowledgeDir): Promise<Knowledge> {
  const [kb, synonyms] = await Promise.all([loadKnowledge(dir), loadSynonyms(join(dir, 'synonyms.yml'))]);
  return { kb, index: KnowledgeIndex.build(kb.articles, synonyms, DEFAULT_TUNING, kb.outOfScope) };
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
  readonly scheduler: Scheduler;
  stop(): Promise<void>;
}

/** How long finished report flows (already without their text) and idle drafts are kept. */
const FINISHED_FLOW_DAYS = 7;

/** Retention: closed cases anonymised after the school's period; old flows (and their drafts' text) deleted. */
async function retention(cases: CaseService, store: Store, now: () => Date): Promise<void> {
  await cases.applyRetention();
  const day = 86_400_000;
  const t = now().getTime();
  await store.flows.prune(
    new Date(t - FINISHED_FLOW_DAYS * day).toISOString(),
    new Date(t - DRAFT_FLOW_DAYS * day).toISOString(),
  );
}

export interface AppOverrides {
  readonly store?: Store;
  readonly logger?: Logger;
  readonly knowledge?: Knowledge;
  /** Injected clock (tests); the scheduler interval still runs on real time unless `tickSeconds` is large. */
  readonly now?: () => Date;
  /** Fan-out settings for weekly tips (tests and benchmarks use an instant sleep). */
  readonly fanOut?: FanOutOptions;
  /** HTTP client timeouts (tests shorten them). */
  readonly httpTimeouts?: HttpTimeouts;
  /** Bot Framework token endpoints other than Microsoft's (tests: a fake key server on loopback). */
  readonly botFramework?: BotFrameworkEndpoints;
}

/** The store the configuration asks for: PostgreSQL with `DATABASE_URL`, else the embedded file in `DATA_DIR`. */
export async function openStore(
  config: Config,
  logger: Logger,
  options: { readOnly?: boolean } = {},
): Promise<Store> {
  if (config.databaseUrl) return PgStore.open(config.databaseUrl, { logger, readOnly: options.readOnly });
  return LowdbStore.open(config.dataDir, {
    readOnly: options.readOnly,
    onLockLost: (err) => logger.error('store.lock_lost', errorFields(err)),
  });
}

/** Composition root: config → store → knowledge → core → channels → server. */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? (await openStore(config, logger));
  try {
    return await compose(config, overrides, logger, store);
  } catch (err) {
    if (!overrides.store) await store.close();
    throw err;
  }
}

async function compose(config: Config, overrides: AppOverrides, logger: Logger, store: Store): Promise<App> {
  // One id per process: the owner of outbox claims and job leases.
  const instanceId = randomUUID();
  // Teams channel subscriptions were once keyed on one thread; they move to the channel's own id.
  await migrateSubscriptionKeys(store, (p, id) => (p === 'teams' ? channelKey(id) : id), logger);
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
  // Urgent cases by e-mail and webhook too, when configured.
  const alerts = school ? ConfiguredAlerts.fromConfig(config.alerts) : undefined;
  if (school && alerts) {
    logger.info('alerts.configured', { ...alerts.channels });
    const missing = alerts.channels.email ? peopleWithoutEmail(school, catalog) : [];
    if (missing.length) logger.warn('alerts.email_missing', { people: missing.length });
  }
  if (school) {
    const directory = new SchoolDirectory(school, store);
    // Holidays are not school days: a normal case reported before a holiday is due after it.
    const closed = holidayDates(school, regional);
    cases = new CaseService({
      store,
      notifier: lazyNotifier,
      catalog,
      directory,
      logger,
      lang: config.lang,
      now,
      closedDates: () => closed,
      instanceId,
      gapText: (question) => gapText(question, index.knownWords),
      alerts: alerts && { channels: alerts.channels, sender: alerts, publicUrl: config.workspace.publicUrl },
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
  // Everyone named in the school configuration is an expert to Vangnet; admins may do more.
  const access = (incoming: Incoming): Audience => {
    const p = directory?.personOf(incoming.conversation.platform, incoming.actor);
    return !p ? 'everyone' : directory?.isAdmin(p.id) ? 'admin' : 'expert';
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
    access,
    notifier: school ? lazyNotifier : undefined,
    directory,
  });
  const teams = new TeamsChannel({
    bot,
    store,
    cards,
    logger,
    lang: config.lang,
    credentials: config.microsoft,
    endpoints: overrides.botFramework,
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
  // Slack unreachable at start leaves Slack off (logged) and retried with backoff; Teams starts regardless.
  await slack?.start();
  const server = createServer({
    config,
    teams,
    slack: slack?.receiver,
    logger,
    health: () => store.health(),
    timeouts: overrides.httpTimeouts,
  });
  workspace?.mount(server);
  let running: RunningServer;
  try {
    running = await listen(server, config);
  } catch (err) {
    await slack?.stop();
    throw err;
  }
  workspace?.listening(running.url);
  // The scheduler: queued notifications, deadlines, retention and tips, each under a lease so several instances
  // run each job once. Deadlines live in the store, so a restart picks up where the last process stopped.
  const tick = config.tickSeconds * 1000;
  const scheduler = new Scheduler({
    store,
    logger,
    owner: instanceId,
    now,
    tickMs: tick,
    jobs: [
      ...(cases
        ? [
            { name: 'outbox', everyMs: tick, run: () => (cases as CaseService).deliverDue() },
            { name: 'deadlines', everyMs: tick, run: () => (cases as CaseService).checkDeadlines() },
            {
              name: 'retention',
              everyMs: Math.max(tick, 3600_000),
              run: () => retention(cases as CaseService, store, now),
            },
          ]
        : []),
      { name: 'tips', everyMs: tick, run: () => tips.run() },
    ],
  });
  scheduler.start();
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
    scheduler,
    async stop() {
      await scheduler.stop();
      await cases?.dispatcher.stop();
      alerts?.close();
      await slack?.stop();
      await running.close();
      if (!overrides.store) await store.close();
    },
  };
}
