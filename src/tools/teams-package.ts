import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { commandOf } from '../core/commands/specs.js';
import { manifestDir, projectRoot } from '../paths.js';
import { workspaceTab, workspaceTabProblems } from '../workspace/teams-tab.js';
import {
  commandLists,
  generatedStrings,
  messageActionCommands,
  TEAMS_SCOPES,
  type TeamsScope,
} from './teams-manifest.js';
import { zip } from './zip.js';

/**
 * Builds the installable Teams app package (`manifest.json`, its English localisation `en.json` and the icons in a
 * zip) with the bot id and publisher filled in from configuration and the command lists made from the registry,
 * after validating the manifest. `npm run teams:package` (add `-- --dev` for a development package).
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The Teams manifest schema version the package is built for (the newest published, June 2026). */
export const MANIFEST_VERSION = '1.29';
const SEMVER = /^\d+\.\d+\.\d+$/;

export interface PackageSettings {
  readonly botId: string;
  readonly appId: string;
  readonly version: string;
  readonly developerName: string;
  readonly websiteUrl: string;
  readonly privacyUrl: string;
  readonly termsUrl: string;
  readonly validDomains: readonly string[];
  /** A development package: placeholders for the publisher's name and links are allowed (never for the store). */
  readonly dev?: boolean;
  /** VANGNET_PUBLIC_URL: with it, the package has the workspace as a personal tab with SSO. */
  readonly publicUrl?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** What a development package (`--dev`) uses where the publisher's details are not set. */
export const DEV_PUBLISHER = {
  developerName: 'Vangnet (ontwikkelversie)',
  websiteUrl: 'https://example.org/vangnet',
  privacyUrl: 'https://example.org/vangnet/privacy',
  termsUrl: 'https://example.org/vangnet/voorwaarden',
} as const;

/**
 * Package settings from the environment. Nothing about the publisher is made up: without `VANGNET_DEVELOPER_NAME`,
 * `VANGNET_WEBSITE_URL`, `VANGNET_PRIVACY_URL` and `VANGNET_TERMS_URL` the build is refused (see `publisherProblems`),
 * unless it is a development package.
 */
export function settingsFromEnv(env: Env, version: string, opts: { dev?: boolean } = {}): PackageSettings {
  const botId = env.MicrosoftAppId?.trim() ?? '';
  const dev = opts.dev ?? false;
  const pick = (value: string | undefined, fallback: string) => value?.trim() || (dev ? fallback : '');
  return {
    botId,
    // The Teams app id may differ from the bot id; by default they are the same, which is what most tenants do.
    appId: env.TEAMS_APP_ID?.trim() || botId,
    version: env.TEAMS_APP_VERSION?.trim() || version,
    developerName: pick(env.VANGNET_DEVELOPER_NAME, DEV_PUBLISHER.developerName),
    websiteUrl: pick(env.VANGNET_WEBSITE_URL, DEV_PUBLISHER.websiteUrl),
    privacyUrl: pick(env.VANGNET_PRIVACY_URL, DEV_PUBLISHER.privacyUrl),
    termsUrl: pick(env.VANGNET_TERMS_URL, DEV_PUBLISHER.termsUrl),
    validDomains: (env.VANGNET_VALID_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean),
    dev,
    publicUrl: env.VANGNET_PUBLIC_URL?.trim() || undefined,
  };
}

/** Hosts that are placeholders, never a publisher's real page. */
const PLACEHOLDER_HOST = /(^|\.)(example\.(org|com|net)|localhost|invalid|test|example|local)$/i;

/**
 * What keeps a package from being published: a missing publisher name, or a privacy or terms link that is not a real
 * https page. Teams admins and the store show these; a school must never ship someone else's or a placeholder's.
 */
export function publisherProblems(s: PackageSettings): string[] {
  const problems: string[] = [];
  if (!s.developerName) problems.push('set VANGNET_DEVELOPER_NAME: the publisher (school board or supplier)');
  else if (s.developerName.length > 32) problems.push('VANGNET_DEVELOPER_NAME is at most 32 characters');
  const links: [string, string][] = [
    ['VANGNET_WEBSITE_URL', s.websiteUrl],
    ['VANGNET_PRIVACY_URL', s.privacyUrl],
    ['VANGNET_TERMS_URL', s.termsUrl],
  ];
  for (const [name, value] of links) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!value) problems.push(`set ${name}: an https link to the publisher's page`);
    else if (url?.protocol !== 'https:') problems.push(`${name} must be an https URL`);
    else if (PLACEHOLDER_HOST.test(url.hostname) || /^[\d.]+$/.test(url.hostname))
      problems.push(`${name} must be the publisher's real page, not ${url.hostname}`);
  }
  return problems;
}

/** Every placeholder filled and the rules Teams enforces on upload checked; returns the problems found. */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const text = JSON.stringify(manifest);
  const left = text.match(/\{\{[A-Z_]+\}\}/g);
  if (left) problems.push(`unfilled placeholders: ${[...new Set(left)].join(', ')}`);
  if (manifest.manifestVersion !== MANIFEST_VERSION)
    problems.push(`manifestVersion must be "${MANIFEST_VERSION}"`);
  if ('permissions' in manifest) problems.push('"permissions" is a legacy field: leave it out');
  if (!GUID.test(String(manifest.id))) problems.push('id must be a GUID');
  if (!SEMVER.test(String(manifest.version))) problems.push('version must be major.minor.patch');
  const name = manifest.name as { short?: string; full?: string } | undefined;
  if (!name?.short || name.short.length > 30) problems.push('name.short is required, at most 30 characters');
  if (name?.full && name.full.length > 100) problems.push('name.full is at most 100 characters');
  const desc = manifest.description as { short?: string; full?: string } | undefined;
  if (!desc?.short || desc.short.length > 80)
    problems.push('description.short is required, at most 80 characters');
  if (!desc?.full || desc.full.length > 4000)
    problems.push('description.full is required, at most 4000 characters');
  const dev = manifest.developer as Record<string, string> | undefined;
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    if (!dev?.[k]?.startsWith('https://')) problems.push(`developer.${k} must be an https URL`);
  }
  if (!/^#[0-9A-Fa-f]{6}$/.test(String(manifest.accentColor))) problems.push('accentColor must be #RRGGBB');
  const bots = manifest.bots as {
    botId?: string;
    scopes?: string[];
    commandLists?: { commands: unknown[] }[];
  }[];
  if (!Array.isArray(bots) || bots.length !== 1) problems.push('exactly one bot is expected');
  for (const bot of bots ?? []) {
    if (!GUID.test(String(bot.botId))) problems.push('bots[0].botId must be a GUID (MicrosoftAppId)');
    const scopes = new Set(bot.scopes);
    for (const s of ['personal', 'team', 'groupChat'])
      if (!scopes.has(s)) problems.push(`bot scope "${s}" missing`);
    const lists = (bot.commandLists ?? []) as { scopes: string[]; commands: unknown[] }[];
    if (lists.length > 3) problems.push('at most three command lists, one per scope');
    for (const list of lists) {
      if (list.commands.length > 10) problems.push('a command list has at most 10 commands');
      const kinds = list.scopes.map((sc) => TEAMS_SCOPES[sc as TeamsScope]);
      for (const c of list.commands as { title?: string; description?: string }[]) {
        if (!c.title || c.title.length > 32)
          problems.push(`command title "${c.title}" must be 1–32 characters`);
        if (!c.description || c.description.length > 128)
          problems.push(`command "${c.title}" description is 1–128 characters`);
        // No dead ends: a listed command does what it says in every scope of its list.
        const spec = commandOf(c.title ?? '');
        for (const kind of kinds)
          if (spec?.where[kind] !== 'here')
            problems.push(
              `command "${c.title}" is listed for ${list.scopes.join(', ')} but does not work there`,
            );
      }
    }
  }
  return problems;
}

/** Checks a PNG's size and whether it has an alpha channel, from its header. */
export function pngInfo(data: Buffer): { width: number; height: number; alpha: boolean } | undefined {
  if (data.length < 33 || data.readUInt32BE(0) !== 0x89504e47) return undefined;
  const colorType = data[25];
  return {
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    alpha: colorType === 6 || colorType === 4,
  };
}

/** The manifest with the settings filled in and the registry's command lists and message action added. */
export async function teamsManifest(settings: PackageSettings): Promise<Record<string, unknown>> {
  const template = await readFile(join(manifestDir, 'teams', 'manifest.json'), 'utf8');
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: settings.botId,
    TEAMS_APP_ID: settings.appId,
    APP_VERSION: settings.version,
    DEVELOPER_NAME: settings.developerName,
    WEBSITE_URL: settings.websiteUrl,
    PRIVACY_URL: settings.privacyUrl,
    TERMS_URL: settings.termsUrl,
  };
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (m, k: string) =>
    values[k] ? JSON.stringify(values[k]).slice(1, -1) : m,
  );
  const manifest = JSON.parse(filled) as Record<string, unknown> & {
    bots: Record<string, unknown>[];
    composeExtensions: Record<string, unknown>[];
  };
  manifest.validDomains = settings.validDomains;
  for (const bot of manifest.bots) bot.commandLists = commandLists('nl');
  for (const extension of manifest.composeExtensions) extension.commands = messageActionCommands('nl');
  // The workspace tab (staticTabs + webApplicationInfo), when the server has a public address.
  if (settings.publicUrl?.startsWith('https://')) {
    const tab = workspaceTab(settings.botId, settings.publicUrl);
    manifest.staticTabs = tab.staticTabs;
    manifest.webApplicationInfo = tab.webApplicationInfo;
    manifest.validDomains = [...new Set([...settings.validDomains, tab.validDomain])];
  }
  return manifest;
}

/** The English localisation file: the translated name and description, and the registry's English commands. */
export async function englishStrings(): Promise<Record<string, string>> {
  const base = JSON.parse(await readFile(join(manifestDir, 'teams', 'en.json'), 'utf8')) as Record<
    string,
    string
  >;
  return { ...base, ...generatedStrings('en') };
}

export async function buildTeamsPackage(settings: PackageSettings, outFile: string): Promise<string[]> {
  const manifest = await teamsManifest(settings);
  const problems = [
    ...(settings.dev ? [] : publisherProblems(settings)),
    ...validateManifest(manifest),
    ...workspaceTabProblems(manifest),
  ];
  const en = await englishStrings();
  const color = await readFile(join(manifestDir, 'teams', 'color.png'));
  const outline = await readFile(join(manifestDir, 'teams', 'outline.png'));
  const c = pngInfo(color);
  const o = pngInfo(outline);
  if (c?.width !== 192 || c.height !== 192) problems.push('color.png must be a 192×192 PNG');
  if (o?.width !== 32 || o.height !== 32 || !o.alpha)
    problems.push('outline.png must be a 32×32 PNG with transparency');
  if (problems.length) return problems;
  await mkdir(resolve(outFile, '..'), { recursive: true });
  await writeFile(
    outFile,
    zip([
      { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
      { name: 'en.json', data: Buffer.from(`${JSON.stringify(en, null, 2)}\n`) },
      { name: 'color.png', data: color },
      { name: 'outline.png', data: outline },
    ]),
  );
  return [];
}

async function main() {
  const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const args = process.argv.slice(2);
  const dev = args.includes('--dev');
  const settings = settingsFromEnv(process.env, pkg.version, { dev });
  const out = resolve(
    args.find((a) => !a.startsWith('--')) ?? join(projectRoot, 'dist', 'vangnet-teams.zip'),
  );
  if (!settings.botId) {
    process.stderr.write('teams:package: set MicrosoftAppId (the Azure Bot app id) first\n');
    return 2;
  }
  const problems = await buildTeamsPackage(settings, out);
  if (problems.length) {
    process.stderr.write(`teams:package: the manifest is not valid:\n  - ${problems.join('\n  - ')}\n`);
    return 1;
  }
  process.stdout.write(
    `Teams app package written to ${out}\nUpload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center.\n`,
  );
  const placeholders = publisherProblems(settings);
  if (dev && placeholders.length)
    process.stderr.write(
      `teams:package: DEVELOPMENT package, not for publishing — placeholders used:\n  - ${placeholders.join('\n  - ')}\n`,
    );
  return 0;
}

if (process.argv[1] && /teams-package\.(ts|js)$/.test(process.argv[1])) {
  main().then((code) => {
    process.exitCode = code;
  });
}
