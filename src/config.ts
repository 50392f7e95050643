import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './core/errors.js';
import type { LogLevel } from './core/logger.js';
import { EMAIL } from './core/school/school.js';
import type { Lang } from './core/types.js';
import type { SmtpSettings } from './notify/email-alerts.js';

/** Everything Vangnet reads from the environment. This file is the only reader of `process.env`. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Local mode: no Bot Framework credentials; unauthenticated traffic, loopback only, local chat on. */
  readonly localMode: boolean;
  readonly dataDir: string;
  /**
   * PostgreSQL (`postgres://…`): the store for several instances. Without it, the embedded store in `dataDir`
   * (one process per folder).
   */
  readonly databaseUrl?: string;
  readonly lang: Lang;
  readonly logLevel: LogLevel;
  readonly microsoft?: {
    readonly appId: string;
    readonly appPassword?: string;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId?: string;
  };
  /** Upper bound on a single HTTP request body, in bytes. */
  readonly maxBodyBytes: number;
  /** The school configuration file (people, roles, deadlines); local mode has a demo school without it. */
  readonly schoolConfigPath?: string;
  /** How often the scheduler delivers queued notifications and checks deadlines. */
  readonly tickSeconds: number;
  /** Slack, when SLACK_BOT_TOKEN is set: HTTP mode with a signing secret, or Socket Mode with an app token. */
  readonly slack?: {
    readonly botToken: string;
    readonly signingSecret?: string;
    readonly appToken?: string;
    readonly apiUrl?: string;
  };
  /** The workspace (`/app/`): its public address and how Teams tab sign-in is checked. */
  readonly workspace: WorkspaceConfig;
  /** Urgent-case alerts outside chat; each channel is off unless configured. */
  readonly alerts: AlertsConfig;
}

/** E-mail (SMTP) and a signed webhook for urgent cases. Secrets live here only: never log this object. */
export interface AlertsConfig {
  readonly email?: SmtpSettings;
  readonly webhook?: { readonly url: string; readonly secret: string };
}

export interface WorkspaceConfig {
  /** Where people reach this server (links in chat, the Teams tab); local mode uses its own loopback URL. */
  readonly publicUrl?: string;
  /** Teams tab single sign-on: tokens for the bot's Entra app, from its tenant (needs MicrosoftAppTenantId). */
  readonly entra?: {
    readonly appId: string;
    readonly tenantId: string;
    /** Microsoft's signing keys; overridable for tests only (VANGNET_ENTRA_JWKS_URL). */
    readonly jwksUrl: string;
    /** Accepted token issuers (v2 and v1 tokens); overridable for tests only (VANGNET_ENTRA_ISSUER). */
    readonly issuers: readonly string[];
  };
}

type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads and validates the configuration. Collects every problem before failing, so an admin fixes them in one go.
 * @throws ConfigError naming each bad variable and what it expects.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const port = parseIntVar(get('PORT'), 'PORT', 3978, 0, 65535, problems);
  const maxBodyBytes = parseIntVar(
    get('MAX_BODY_BYTES'),
    'MAX_BODY_BYTES',
    256 * 1024,
    1024,
    16 * 1024 * 1024,
    problems,
  );

  const appId = get('MicrosoftAppId');
  const appPassword = get('MicrosoftAppPassword');
  const appTypeRaw = get('MicrosoftAppType') ?? 'SingleTenant';
  const tenantId = get('MicrosoftAppTenantId');
  const slackToken = get('SLACK_BOT_TOKEN');
  const slackSecret = get('SLACK_SIGNING_SECRET');
  const slackAppToken = get('SLACK_APP_TOKEN');
  const slackApiUrl = get('SLACK_API_URL');
  let slack: Config['slack'];
  if (slackToken) {
    if (!/^xox[bp]-/.test(slackToken)) problems.push('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
    if (!slackSecret && !slackAppToken) {
      problems.push(
        'Slack needs SLACK_SIGNING_SECRET (HTTP mode, /slack/events) or SLACK_APP_TOKEN (Socket Mode)',
      );
    }
    if (slackAppToken && !/^xapp-/.test(slackAppToken))
      problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-…)');
    if (slackApiUrl && !/^https?:\/\/.+\/$/.test(slackApiUrl))
      problems.push('SLACK_API_URL must be an http(s) URL ending in /');
    slack = {
      botToken: slackToken,
      signingSecret: slackSecret,
      appToken: slackAppToken,
      apiUrl: slackApiUrl,
    };
  } else if (slackSecret || slackAppToken) {
    problems.push('SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not');
  }
  // Local mode: no platform credentials at all. Only then is unauthenticated Bot Framework traffic accepted.
  const localMode = !appId && !slack;

  let microsoft: Config['microsoft'];
  if (appId) {
    if (!GUID.test(appId))
      problems.push(`MicrosoftAppId must be a GUID (the Azure Bot's app id), got "${appId}"`);
    if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appTypeRaw)) {
      problems.push(
        `MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, got "${appTypeRaw}"`,
      );
    }
    const appType = appTypeRaw as NonNullable<Config['microsoft']>['appType'];
    if (appType !== 'UserAssignedMSI' && !appPassword) {
      problems.push(
        'MicrosoftAppPassword is required when MicrosoftAppId is set (client secret of the app registration)',
      );
    }
    if (appType !== 'MultiTenant' && !tenantId) {
      problems.push(`MicrosoftAppTenantId is required for MicrosoftAppType=${appType}`);
    } else if (tenantId && !GUID.test(tenantId)) {
      problems.push(`MicrosoftAppTenantId must be a GUID, got "${tenantId}"`);
    }
    microsoft = { appId, appPassword, appType, tenantId };
  } else if (appPassword || tenantId) {
    problems.push(
      'MicrosoftAppPassword or MicrosoftAppTenantId is set but MicrosoftAppId is not: set all or none',
    );
  }

  const hostVar = get('HOST');
  let host: string;
  if (localMode) {
    host = hostVar ?? '127.0.0.1';
    if (!LOOPBACK.has(host)) {
      problems.push(
        `HOST=${host} is not allowed in local mode: without MicrosoftAppId the bot accepts unauthenticated traffic, so it only listens on 127.0.0.1`,
      );
    }
  } else {
    host = hostVar ?? '0.0.0.0';
  }

  const schoolVar = get('VANGNET_SCHOOL_CONFIG');
  const schoolConfigPath = schoolVar
    ? isAbsolute(schoolVar)
      ? schoolVar
      : resolve(cwd, schoolVar)
    : undefined;
  const tickSeconds = parseIntVar(get('VANGNET_TICK_SECONDS'), 'VANGNET_TICK_SECONDS', 30, 1, 3600, problems);

  const dataDirVar = get('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirVar) ? dataDirVar : resolve(cwd, dataDirVar);

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl))
    problems.push('DATABASE_URL must be a PostgreSQL connection URL (postgres://user@host:5432/database)');

  const langVar = (get('VANGNET_LANG') ?? 'nl').toLowerCase();
  if (langVar !== 'nl' && langVar !== 'en')
    problems.push(`VANGNET_LANG must be "nl" or "en", got "${langVar}"`);

  const logVar = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logVar)) {
    problems.push(`LOG_LEVEL must be one of debug, info, warn, error, silent, got "${logVar}"`);
  }

  const workspace = workspaceConfig(get, microsoft, problems);
  const alerts = alertsConfig(get, problems);

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return {
    port,
    host,
    localMode,
    dataDir,
    databaseUrl,
    lang: langVar as Lang,
    logLevel: logVar as LogLevel,
    microsoft,
    maxBodyBytes,
    schoolConfigPath,
    tickSeconds,
    slack,
    workspace,
    alerts,
  };
}

/** https, or plain http on loopback (local mode and tests). */
function webUrl(raw: string): URL | undefined {
  try {
    const u = new URL(raw);
    const loopback = LOOPBACK.has(u.hostname.replace(/^\[|\]$/g, ''));
    return u.protocol === 'https:' || (u.protocol === 'http:' && loopback) ? u : undefined;
  } catch {
    return undefined;
  }
}

function workspaceConfig(
  get: (name: string) => string | undefined,
  microsoft: Config['microsoft'],
  problems: string[],
): WorkspaceConfig {
  const publicRaw = get('VANGNET_PUBLIC_URL');
  let publicUrl: string | undefined;
  if (publicRaw) {
    const u = webUrl(publicRaw);
    if (u?.pathname !== '/' || u.search || u.hash)
      problems.push(
        `VANGNET_PUBLIC_URL must be an https origin like https://vangnet.school.nl, got "${publicRaw}"`,
      );
    else publicUrl = u.origin;
  }
  const jwks = get('VANGNET_ENTRA_JWKS_URL');
  const issuer = get('VANGNET_ENTRA_ISSUER');
  if (jwks && !webUrl(jwks))
    problems.push('VANGNET_ENTRA_JWKS_URL must be an https URL (tests: loopback http)');
  if (issuer && !webUrl(issuer))
    problems.push('VANGNET_ENTRA_ISSUER must be an https URL (tests: loopback http)');
  const tenantId = microsoft?.tenantId;
  const entra =
    microsoft && tenantId
      ? {
          appId: microsoft.appId,
          tenantId,
          jwksUrl: jwks ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
          issuers: issuer
            ? [issuer]
            : [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
        }
      : undefined;
  return { publicUrl, entra };
}

/** The smallest webhook secret accepted: shorter ones can be guessed. */
export const MIN_WEBHOOK_SECRET = 16;

/** `vangnet@school.nl` or `Vangnet <vangnet@school.nl>`: one address, nothing that could add a header. */
function validFrom(raw: string): boolean {
  const m = /^(?:[^<>"\r\n]{1,64}?\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(raw);
  return Boolean(m && EMAIL.test(m[1] ?? m[2] ?? ''));
}

/** smtp://[user[:password]@]host[:port] or smtps://…; nothing else (no path, no options). */
function smtpServer(raw: string): Omit<NonNullable<AlertsConfig['email']>, 'from'> | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'smtp:' && u.protocol !== 'smtps:') || !u.hostname) return undefined;
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash) return undefined;
  const decode = (v: string) => (v ? decodeURIComponent(v) : undefined);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : undefined,
    secure: u.protocol === 'smtps:',
    user: decode(u.username),
    password: decode(u.password),
  };
}

/**
 * VANGNET_SMTP_URL + VANGNET_ALERT_FROM, VANGNET_ALERT_WEBHOOK_URL + VANGNET_ALERT_WEBHOOK_SECRET. Messages never
 * repeat a value that may hold a password or a token.
 */
function alertsConfig(get: (name: string) => string | undefined, problems: string[]): AlertsConfig {
  const smtpRaw = get('VANGNET_SMTP_URL');
  const from = get('VANGNET_ALERT_FROM');
  let email: AlertsConfig['email'];
  if (smtpRaw) {
    const server = smtpServer(smtpRaw);
    if (!server)
      problems.push(
        'VANGNET_SMTP_URL must be smtp://[user:password@]host[:port] (STARTTLS) or smtps://[user:password@]host[:port] (TLS), without a path or options (the value is not shown: it may hold a password)',
      );
    if (!from)
      problems.push(
        'VANGNET_ALERT_FROM is required when VANGNET_SMTP_URL is set: the sender, e.g. "Vangnet <vangnet@school.nl>"',
      );
    else if (!validFrom(from))
      problems.push(
        `VANGNET_ALERT_FROM must be one address like vangnet@school.nl or "Vangnet <vangnet@school.nl>", got "${from}"`,
      );
    if (server && from && validFrom(from)) email = { ...server, from };
  } else if (from) {
    problems.push('VANGNET_ALERT_FROM is set but VANGNET_SMTP_URL is not: set both or neither');
  }

  const hookRaw = get('VANGNET_ALERT_WEBHOOK_URL');
  const secret = get('VANGNET_ALERT_WEBHOOK_SECRET');
  let webhook: AlertsConfig['webhook'];
  if (hookRaw) {
    const parsed = webUrl(hookRaw);
    const url = parsed && !parsed.username && !parsed.password ? parsed : undefined;
    if (!url)
      problems.push(
        'VANGNET_ALERT_WEBHOOK_URL must be an https URL without user or password (tests: loopback http; the value is not shown: it may hold a token)',
      );
    if (!secret)
      problems.push(
        `VANGNET_ALERT_WEBHOOK_SECRET is required when VANGNET_ALERT_WEBHOOK_URL is set: a shared secret of at least ${MIN_WEBHOOK_SECRET} characters to sign each call`,
      );
    else if (secret.length < MIN_WEBHOOK_SECRET)
      problems.push(
        `VANGNET_ALERT_WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET} characters, got ${secret.length}`,
      );
    if (url && secret && secret.length >= MIN_WEBHOOK_SECRET) webhook = { url: url.href, secret };
  } else if (secret) {
    problems.push(
      'VANGNET_ALERT_WEBHOOK_SECRET is set but VANGNET_ALERT_WEBHOOK_URL is not: set both or neither',
    );
  }
  return { email, webhook };
}

function parseIntVar(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}
