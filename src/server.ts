import { createReadStream, existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import restify, { type Request, type Response, type Server } from 'restify';
import { DirectLineError, LocalDirectLine } from './channels/local/direct-line.js';
import { chatPage } from './channels/local/page.js';
import type { RestifySlackReceiver } from './channels/slack/receiver.js';
import type { TeamsChannel } from './channels/teams/teams-channel.js';
import type { Config } from './config.js';
import { errorFields, type Logger } from './core/logger.js';
import type { StoreHealth } from './core/storage/store.js';
import { bodyReader } from './http/body-reader.js';
import { loopbackHostGuard } from './http/loopback-host.js';
import { applyTimeouts, DEFAULT_TIMEOUTS, type HttpTimeouts } from './http/timeouts.js';
import { manifestDir } from './paths.js';

export interface ServerDeps {
  readonly config: Config;
  readonly teams: TeamsChannel;
  /** Slack's HTTP mode receiver, when Slack is configured without Socket Mode. */
  readonly slack?: RestifySlackReceiver;
  readonly logger: Logger;
  /** Whether the bot can do its work (the store can write). */
  readonly health?: () => Promise<StoreHealth>;
  /** Client timeouts (tests shorten them). */
  readonly timeouts?: HttpTimeouts;
}

/** Slack posts slash commands and interactions form-encoded; every other endpoint takes JSON only. */
const SLACK_EVENTS_PATH = '/slack/events';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/** The Web Chat browser bundle; the package exports no subpath for it, so find it beside the main entry. */
function webChatBundlePath(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('botframework-webchat'));
  while (!existsSync(join(dir, 'dist', 'webchat.js')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'webchat.js');
}
const webChatBundle = webChatBundlePath();

/** One restify server on one port: Teams/Bot Framework, health, and (local mode only) the local chat. */
export function createServer({ config, teams, slack, logger, health, timeouts }: ServerDeps): Server {
  const server = restify.createServer({ name: 'vangnet', handleUncaughtExceptions: false });
  const limits = timeouts ?? DEFAULT_TIMEOUTS;
  applyTimeouts(server.server, limits);
  // Local mode serves unauthenticated endpoints on loopback: only for requests that name loopback as their host.
  if (config.localMode) server.pre(loopbackHostGuard(() => (server.address() as AddressInfo).port));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    bodyReader({
      maxBytes: config.maxBodyBytes,
      timeoutMs: limits.bodyMs,
      formPaths: new Set(slack ? [SLACK_EVENTS_PATH] : []),
    }),
  );

  server.on(
    'restifyError',
    (req: Request, _res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
      // Never echo the request (restify's messages name the path or quote the body) nor a stack trace.
      const status = err.statusCode ?? 500;
      logger.warn('http.error', { method: req.method, status, ...errorFields(err) });
      (err as { toJSON?: () => unknown }).toJSON = () => ({
        code: err.name.replace(/Error$/, '') || 'Error',
        message: status < 500 ? (STATUS_CODES[status] ?? 'Bad request') : 'Internal error',
      });
      cb();
    },
  );

  // 503 with a reason code while the store cannot write: a load balancer then stops sending users here.
  server.get('/healthz', async (_req: Request, res: Response) => {
    const h = health ? await health() : { ok: true as const };
    if (h.ok) res.json(200, { status: 'ok' });
    else res.json(503, { status: 'unavailable', code: h.code });
  });

  if (slack) {
    server.post(SLACK_EVENTS_PATH, async (req: Request, res: Response) => {
      try {
        await slack.handle(req, res);
      } catch (err) {
        logger.error('http.slack_failed', errorFields(err));
        if (!res.headersSent) res.json(500, { error: 'internal' });
      }
    });
  }

  // Bot Framework traffic is accepted only authenticated (with credentials) or on loopback in local mode.
  if (config.localMode || config.microsoft) {
    server.post('/api/messages', async (req: Request, res: Response) => {
      if (!req.is('json')) {
        res.json(415, { code: 'UnsupportedMediaType', message: 'Expected application/json' });
        return;
      }
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
        res.json(400, { code: 'BadRequest', message: 'Expected a JSON activity' });
        return;
      }
      try {
        await teams.process(req, res);
      } catch (err) {
        logger.error('http.messages_failed', errorFields(err));
        if (!res.headersSent) res.json(500, { code: 'Internal', message: 'Internal error' });
      }
    });
  }

  if (config.localMode) mountLocalChat(server, config, logger);
  return server;
}

function mountLocalChat(server: Server, config: Config, logger: Logger) {
  const base = () => {
    const addr = server.address() as AddressInfo | null;
    return `http://127.0.0.1:${addr?.port ?? config.port}`;
  };
  const directLine = new LocalDirectLine(
    async (activity) => {
      const res = await fetch(`${base()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      if (!res.ok) logger.warn('local.bot_status', { status: res.status });
    },
    () => `${base()}/local`,
    logger,
  );

  const guard =
    (fn: (req: Request) => unknown, status = 200) =>
    async (req: Request, res: Response) => {
      try {
        res.json(status, await fn(req));
      } catch (err) {
        if (err instanceof DirectLineError)
          res.json(err.status, { error: { code: 'BadArgument', message: err.message } });
        else {
          logger.error('local.directline_failed', errorFields(err));
          res.json(500, { error: { code: 'ServiceError', message: 'Internal error' } });
        }
      }
    };
  const auth = (req: Request) => req.header('authorization') || undefined;

  server.get('/', async (_req: Request, res: Response) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader(
      'content-security-policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'",
    );
    res.end(chatPage(config.lang));
  });
  server.get('/webchat/webchat.js', async (_req: Request, res: Response) => {
    res.setHeader('content-type', 'application/javascript; charset=utf-8');
    res.setHeader('cache-control', 'public, max-age=3600');
    res.writeHead(200);
    createReadStream(webChatBundle).pipe(res);
  });
  server.get('/assets/icon-color.png', async (_req: Request, res: Response) => {
    res.setHeader('content-type', 'image/png');
    res.writeHead(200);
    createReadStream(join(manifestDir, 'teams', 'color.png')).pipe(res);
  });

  // `?kind=channel`: the page's second tab, a stand-in for a Teams channel.
  server.post(
    '/v3/directline/conversations',
    guard((req) => directLine.startConversation(req.query?.kind === 'channel' ? 'channel' : 'personal'), 201),
  );
  server.get(
    '/v3/directline/conversations/:id',
    guard((req) => directLine.reconnect(req.params.id, auth(req))),
  );
  server.post(
    '/v3/directline/tokens/refresh',
    guard((req) => directLine.refreshToken(auth(req))),
  );
  server.post(
    '/v3/directline/conversations/:id/activities',
    guard((req) => directLine.postActivity(req.params.id, auth(req), req.body)),
  );
  server.get(
    '/v3/directline/conversations/:id/activities',
    guard((req) =>
      directLine.getActivities(
        req.params.id,
        auth(req),
        typeof req.query?.watermark === 'string' ? req.query.watermark : undefined,
      ),
    ),
  );

  // Connector emulation: where the bot's replies to the local chat arrive (its serviceUrl, with the conversation's
  // connector key: nothing else on this machine can put "bot" messages into a conversation).
  const reply = guard((req) =>
    directLine.botActivity(req.params.key, decodeURIComponent(req.params.cid), req.body),
  );
  server.post('/local/:key/v3/conversations/:cid/activities', reply);
  server.post('/local/:key/v3/conversations/:cid/activities/:aid', reply);
  server.put(
    '/local/:key/v3/conversations/:cid/activities/:aid',
    guard((req) =>
      directLine.updateBotActivity(
        req.params.key,
        decodeURIComponent(req.params.cid),
        decodeURIComponent(req.params.aid),
        req.body,
      ),
    ),
  );
}

export async function listen(server: Server, config: Config): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
