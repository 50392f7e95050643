import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type Knowledge, loadKnowledgeAndIndex, startApp } from '../../src/app.js';
import type { BotFrameworkEndpoints } from '../../src/channels/teams/authentication.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/core/logger.js';
import type { FanOutOptions } from '../../src/core/tips/fanout.js';
import type { HttpTimeouts } from '../../src/http/timeouts.js';
import { CallLog } from './call-log.js';

let knowledge: Promise<Knowledge> | undefined;
/** The shipped knowledge base, loaded once per test run. */
export function sharedKnowledge(): Promise<Knowledge> {
  knowledge ??= loadKnowledgeAndIndex();
  return knowledge;
}

export interface TestApp extends App {
  readonly logs: string[];
  /** Resolves with the first log line (already written or to come) with this event name. */
  waitForLog(event: string, ms?: number): Promise<Record<string, unknown>>;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

export interface TestAppOptions {
  /** Reuse a data folder (restart tests); it is not deleted on cleanup. */
  readonly dataDir?: string;
  readonly now?: () => Date;
  readonly fanOut?: FanOutOptions;
  readonly httpTimeouts?: HttpTimeouts;
  readonly botFramework?: BotFrameworkEndpoints;
}

/** A real app (restify, CloudAdapter, lowdb in a temp dir) on an ephemeral loopback port. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'vangnet-test-')));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    VANGNET_TICK_SECONDS: '3600',
    ...env,
  });
  const log = new CallLog<string>('a log line');
  const app = await startApp(config, {
    logger: createLogger('debug', (l) => log.record(l)),
    knowledge: await sharedKnowledge(),
    now: opts.now,
    fanOut: opts.fanOut,
    httpTimeouts: opts.httpTimeouts,
    botFramework: opts.botFramework,
  });
  return {
    ...app,
    logs: log.calls,
    async waitForLog(event, ms) {
      const line = await log.waitFor((l) => (JSON.parse(l) as { event?: string }).event === event, ms);
      return JSON.parse(line) as Record<string, unknown>;
    },
    dataDir,
    async cleanup() {
      await app.stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

let seq = 0;
/** A Teams message activity as the Bot Framework service would post it. */
export function teamsActivity(
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  seq += 1;
  return {
    type: 'message',
    id: `in-${seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:teacher-1', name: 'Docent', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    recipient: { id: '28:vangnet-bot', name: 'Vangnet' },
    conversation: { id: 'a:personal-chat-1', conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'nl-NL',
    text: '',
    ...overrides,
  };
}

export async function postActivity(appUrl: string, activity: unknown): Promise<Response> {
  return fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
}
