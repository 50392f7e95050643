import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { loadKnowledgeAndIndex } from '../../src/app.js';
import { PlatformPoster } from '../../src/channels/platforms.js';
import { SlackChannel } from '../../src/channels/slack/slack-channel.js';
import { BotFrameworkNotifier } from '../../src/channels/teams/notifier.js';
import { Bot } from '../../src/core/bot.js';
import { translator } from '../../src/core/i18n/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryStore } from '../../src/core/storage/memory-store.js';
import { TipService } from '../../src/core/tips/service.js';
import { cardsDir } from '../../src/paths.js';
import { CardRenderer } from '../../src/render/cards.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { FakeSlackApi } from '../helpers/fake-slack.js';

export interface FanOutBenchResult {
  readonly channels: { readonly teams: number; readonly slack: number };
  readonly ratePerSecond: number;
  readonly concurrency: number;
  readonly idealSeconds: number;
  readonly totalSeconds: number;
  readonly sent: number;
  readonly failed: number;
  readonly peakRssMB: number;
  readonly heapGrowthMB: number;
}

/**
 * The weekly tip run against 5,000 subscribed conversations: half Teams channels (Bot Framework connector fake on
 * loopback), half Slack channels (Web API fake on loopback), through the real posters, cards and fan-out queue.
 * The ideal is the configured rate limit: with both platforms paced in parallel, max(n_platform / rate).
 */
export async function runFanOutBench(
  opts = { teams: 2500, slack: 2500, rate: 500, concurrency: 32 },
): Promise<FanOutBenchResult> {
  const connector = await new FakeConnector().start();
  const slackApi = await new FakeSlackApi().start();
  try {
    const { kb, index } = await loadKnowledgeAndIndex();
    const store = new MemoryStore();
    const subscribe = (platform: 'teams' | 'slack', conversationId: string) =>
      store.subscriptions.save({
        id: `${platform}:${conversationId}`,
        platform,
        conversationId,
        kind: 'channel',
        subscribedBy: 'u',
        createdAt: now().toISOString(),
        active: true,
        used: [],
        weeks: {},
        version: 0,
      });
    const cards = new CardRenderer(cardsDir);
    const now = () => new Date('2026-11-23T07:31:00Z');
    for (let i = 0; i < opts.teams; i++) {
      const conversationId = `19:bench-${i}@thread.tacv2`;
      await store.conversations.save({
        platform: 'teams',
        conversationId,
        kind: 'channel',
        reference: {
          serviceUrl: connector.url,
          channelId: 'msteams',
          conversation: { id: conversationId },
          bot: { id: '28:bot', name: 'Vangnet' },
        },
        updatedAt: now().toISOString(),
      });
      await subscribe('teams', conversationId);
    }
    for (let i = 0; i < opts.slack; i++) {
      const conversationId = `CBENCH${i}`;
      await subscribe('slack', conversationId);
    }
    const bot = new Bot({ kb, index, store, logger: silentLogger, lang: 'nl' });
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const teams = new BotFrameworkNotifier(adapter, store, cards, '', silentLogger);
    const slack = new SlackChannel({
      bot,
      store,
      cards,
      logger: silentLogger,
      lang: 'nl',
      botToken: 'xoxb-bench',
      signingSecret: 's',
      apiUrl: slackApi.url,
    });
    const tips = new TipService({
      store,
      kb,
      logger: silentLogger,
      t: translator('nl'),
      now,
      poster: new PlatformPoster(teams, slack),
      fanOut: {
        concurrency: opts.concurrency,
        ratePerSecond: { teams: opts.rate, slack: opts.rate },
        maxAttempts: 3,
        baseDelayMs: 200,
      },
    });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    const r = await tips.run();
    const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const heapAfter = process.memoryUsage().heapUsed;
    return {
      channels: { teams: opts.teams, slack: opts.slack },
      ratePerSecond: opts.rate,
      concurrency: opts.concurrency,
      idealSeconds: Math.max(opts.teams, opts.slack) / opts.rate,
      totalSeconds,
      sent: r.sent,
      failed: r.failed,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      heapGrowthMB: (heapAfter - heapBefore) / (1024 * 1024),
    };
  } finally {
    await connector.stop();
    await slackApi.stop();
  }
}

if (process.argv[1] && /fanout-bench\.ts$/.test(process.argv[1])) {
  const r = await runFanOutBench();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
