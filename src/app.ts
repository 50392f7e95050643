import { join } from 'node:path';
import { TeamsChannel } from './channels/teams/teams-channel.js';
import type { Config } from './config.js';
import { Bot } from './core/bot.js';
import { loadKnowledge } from './core/knowledge/loader.js';
import type { KnowledgeBase } from './core/knowledge/model.js';
import { KnowledgeIndex } from './core/knowledge/search.js';
import { loadSynonyms } from './core/knowledge/synonyms.js';
import { createLogger, type Logger } from './core/logger.js';
import type { Store } from './core/storage/store.js';
import { cardsDir, knowledgeDir } from './paths.js';
import { CardRenderer } from './render/cards.js';
import { createServer, listen, type RunningServer } from './server.js';
import { LowdbStore } from './storage/lowdb-store.js';

/** The loaded knowledge base with its search index. */
export interface Knowledge {
  readonly kb: KnowledgeBase;
  readonly index: KnowledgeIndex;
}

export async function loadKnowledgeAndIndex(dir = knowledgeDir): Promise<Knowledge> {
  const [kb, synonyms] = await Promise.all([loadKnowledge(dir), loadSynonyms(join(dir, 'synonyms.yml'))]);
  return { kb, index: KnowledgeIndex.build(kb.articles, synonyms) };
}

export interface App {
  readonly url: string;
  readonly store: Store;
  readonly bot: Bot;
  stop(): Promise<void>;
}

export interface AppOverrides {
  readonly store?: Store;
  readonly logger?: Logger;
  readonly knowledge?: Knowledge;
}

/** Composition root: config → store → knowledge → core → channels → server. */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? (await LowdbStore.open(config.dataDir));
  const { kb, index } = overrides.knowledge ?? (await loadKnowledgeAndIndex());
  const cards = new CardRenderer(cardsDir);
  const bot = new Bot({ kb, index, store, logger, lang: config.lang });
  const teams = new TeamsChannel({
    bot,
    store,
    cards,
    logger,
    lang: config.lang,
    credentials: config.microsoft,
  });
  const server = createServer({ config, teams, logger });
  let running: RunningServer;
  try {
    running = await listen(server, config);
  } catch (err) {
    await store.close();
    throw err;
  }
  logger.info('server.listening', {
    url: running.url,
    localMode: config.localMode,
    articles: kb.articles.length,
  });
  return {
    url: running.url,
    store,
    bot,
    async stop() {
      await running.close();
      await store.close();
    },
  };
}
