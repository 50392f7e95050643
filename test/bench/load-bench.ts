import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { FakeConnector } from '../helpers/fake-connector.js';
import { FakeSlackApi, signedPost } from '../helpers/fake-slack.js';
import { teamsActivity } from '../helpers/test-app.js';

export interface LoadResult {
  readonly name: string;
  readonly requests: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** Sends `total` requests with `concurrency` in flight; each request's latency is timed alone. */
async function drive(
  name: string,
  total: number,
  concurrency: number,
  send: (i: number) => Promise<Response>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = process.hrtime.bigint();
        const res = await send(i).catch(() => undefined);
        if (!res || res.status >= 400) errors++;
        await res?.arrayBuffer().catch(() => undefined);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    name,
    requests: total,
    seconds,
    throughput: total / seconds,
    p50Ms: pct(50),
    p99Ms: pct(99),
    errors,
  };
}

/** The ceiling: the same stack (restify + CloudAdapter) with a bot that only echoes. */
async function echoBot(): Promise<{ url: string; close: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === ActivityTypes.Message)
        await context.sendActivity(`echo: ${context.activity.text}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export async function runLoadBench(opts = { requests: 2000, concurrency: 20 }): Promise<LoadResult[]> {
  const connector = await new FakeConnector().start();
  const slackApi = await new FakeSlackApi().start();
  const dir = await mkdtemp(join(tmpdir(), 'load-'));
  const questions = [
    'naaktfoto in de klassenapp',
    'account van een leerling gehackt',
    'bedreiging op tiktok',
    'wat is sextortion',
    'nep profiel van een docent',
  ];
  const results: LoadResult[] = [];
  try {
    const echo = await echoBot();
    const activity = (i: number) =>
      JSON.stringify(
        teamsActivity(connector.url, {
          text: questions[i % questions.length],
          conversation: { id: `a:load-${i % 50}`, conversationType: 'personal' },
        }),
      );
    const post = (url: string) => (i: number) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: activity(i),
      });
    // Warm up both, then measure.
    await drive('warm-up', 200, opts.concurrency, post(echo.url));
    results.push(await drive('echo bot (ceiling)', opts.requests, opts.concurrency, post(echo.url)));
    await echo.close();

    const app = await startApp(
      loadConfig({
        PORT: '0',
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        SLACK_BOT_TOKEN: 'xoxb-load',
        SLACK_SIGNING_SECRET: 'load',
        SLACK_API_URL: slackApi.url,
        HOST: '127.0.0.1',
        MicrosoftAppId: '',
        VANGNET_TICK_SECONDS: '3600',
      }),
      { logger: silentLogger },
    );
    // With Slack configured the server is not in local mode, so the Bot Framework endpoint needs credentials;
    // measure Bot Framework on a local-mode instance and Slack on this one.
    const local = await startApp(
      loadConfig({
        PORT: '0',
        DATA_DIR: join(dir, 'local'),
        LOG_LEVEL: 'silent',
        VANGNET_TICK_SECONDS: '3600',
      }),
      { logger: silentLogger },
    );
    await drive('warm-up', 200, opts.concurrency, post(local.url));
    results.push(await drive('Vangnet, Bot Framework', opts.requests, opts.concurrency, post(local.url)));
    const slackEvent = (i: number) =>
      signedPost(
        app.url,
        'load',
        JSON.stringify({
          type: 'event_callback',
          team_id: 'T1',
          event_id: `Ev${i}`,
          event: {
            type: 'app_mention',
            user: `U${i % 50}`,
            text: `<@UBOT> ${questions[i % questions.length]}`,
            channel: 'C1',
            ts: `${i}.1`,
          },
        }),
        'application/json',
      );
    await drive('warm-up', 200, opts.concurrency, slackEvent);
    results.push(await drive('Vangnet, Slack events', opts.requests, opts.concurrency, slackEvent));
    await local.stop();
    await app.stop();
  } finally {
    await connector.stop();
    await slackApi.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
  return results;
}

/**
 * Soak: the full core under steady load (concurrency 20) for `minutes`, heap sampled after GC every 30 s.
 * Memory growth beyond noise means a leak (caches and logs are bounded by design).
 */
export async function runSoak(
  minutes: number,
  report: (line: string) => void,
): Promise<{ samplesMB: number[]; growthMB: number }> {
  const connector = await new FakeConnector().start();
  const dir = await mkdtemp(join(tmpdir(), 'soak-'));
  const samplesMB: number[] = [];
  try {
    const app = await startApp(
      loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', VANGNET_TICK_SECONDS: '5' }),
      { logger: silentLogger },
    );
    const questions = [
      'naaktfoto in de klassenapp',
      'hoeveel vakantiedagen heb ik nog',
      'bedreiging op tiktok',
      'help',
    ];
    const until = Date.now() + minutes * 60_000;
    let i = 0;
    const sample = () => {
      global.gc?.();
      samplesMB.push(process.memoryUsage().heapUsed / (1024 * 1024));
      report(
        `  ${new Date().toISOString().slice(11, 19)} heap ${samplesMB.at(-1)?.toFixed(1)} MB after ${i} requests`,
      );
    };
    sample();
    let lastSample = Date.now();
    while (Date.now() < until) {
      await drive('soak', 400, 20, (n) =>
        fetch(`${app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            teamsActivity(connector.url, {
              text: questions[(i + n) % questions.length],
              conversation: { id: `a:soak-${(i + n) % 200}`, conversationType: 'personal' },
            }),
          ),
        }),
      );
      i += 400;
      connector.calls.length = 0; // the fake's own record is not the bot's memory
      if (Date.now() - lastSample >= 30_000) {
        sample();
        lastSample = Date.now();
      }
    }
    sample();
    await app.stop();
  } finally {
    await connector.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
  const third = Math.max(1, Math.floor(samplesMB.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  // Early samples include warm-up (JIT, caches filling): compare the middle third with the last third.
  const growthMB = avg(samplesMB.slice(-third)) - avg(samplesMB.slice(third, 2 * third));
  return { samplesMB, growthMB };
}

if (process.argv[1] && /load-bench\.ts$/.test(process.argv[1])) {
  for (const r of await runLoadBench()) {
    process.stdout.write(
      `${r.name.padEnd(24)} ${r.throughput.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  errors ${r.errors}\n`,
    );
  }
}
