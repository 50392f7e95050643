import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { commandOf, MESSAGE_ACTIONS } from '../../src/core/commands/specs.js';
import { TEAMS_SCOPES, type TeamsScope } from '../../src/tools/teams-manifest.js';
import {
  buildTeamsPackage,
  MANIFEST_VERSION,
  publisherProblems,
  settingsFromEnv,
  validateManifest,
} from '../../src/tools/teams-package.js';
import {
  localizationSchemaErrors,
  manifestSchemaErrors,
  TEAMS_SCHEMA_VERSION,
} from '../helpers/teams-schema.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const BOT = '11111111-2222-3333-4444-555555555555';
/** A real publisher: what a school board sets before building the package for its tenant. */
const PUBLISHER = {
  MicrosoftAppId: BOT,
  VANGNET_DEVELOPER_NAME: 'Stichting Voorbeeldscholen',
  VANGNET_WEBSITE_URL: 'https://www.voorbeeldscholen.nl/vangnet',
  VANGNET_PRIVACY_URL: 'https://www.voorbeeldscholen.nl/privacy',
  VANGNET_TERMS_URL: 'https://www.voorbeeldscholen.nl/voorwaarden',
};

/** Reads the entries of a zip written by our writer (central directory walk). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let p = 0;
  while (buf.readUInt32LE(p) === 0x04034b50) {
    const size = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const extra = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + 30, p + 30 + nameLen).toString();
    const data = buf.subarray(p + 30 + nameLen + extra, p + 30 + nameLen + extra + size);
    out.set(name, inflateRawSync(data));
    p += 30 + nameLen + extra + size;
  }
  return out;
}

describe('Teams app package', () => {
  const tempDir = tempDirs();
  const build = async (env: Record<string, string>, opts: { dev?: boolean } = {}) => {
    const out = join(await tempDir('pkg-'), 'vangnet.zip');
    const problems = await buildTeamsPackage(settingsFromEnv(env, '1.2.3', opts), out);
    return { out, problems };
  };

  it('the built package validates against the official Teams schema of its version, with an English localisation', async () => {
    const { out, problems } = await build(PUBLISHER);
    assert.deepEqual(problems, []);
    const files = unzip(await readFile(out));
    assert.deepEqual([...files.keys()].sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')?.toString() ?? '');
    assert.equal(manifest.manifestVersion, TEAMS_SCHEMA_VERSION);
    assert.equal(MANIFEST_VERSION, TEAMS_SCHEMA_VERSION);
    assert.match(manifest.$schema, new RegExp(`/v${TEAMS_SCHEMA_VERSION}/MicrosoftTeams\\.schema\\.json$`));
    assert.deepEqual(manifestSchemaErrors(manifest), []);
    assert.ok(!('permissions' in manifest), 'no legacy permissions field');
    assert.equal(manifest.bots[0].botId, BOT);
    assert.equal(manifest.id, BOT);
    assert.equal(manifest.version, '1.2.3');
    assert.equal(manifest.developer.name, 'Stichting Voorbeeldscholen');
    assert.equal(manifest.developer.privacyUrl, PUBLISHER.VANGNET_PRIVACY_URL);
    assert.deepEqual(manifest.localizationInfo, {
      defaultLanguageTag: 'nl',
      additionalLanguages: [{ languageTag: 'en', file: 'en.json' }],
    });

    const en = JSON.parse(files.get('en.json')?.toString() ?? '');
    assert.deepEqual(localizationSchemaErrors(en), []);
    assert.match(en['name.full'], /online incidents/);
    // Every generated string of the manifest has its English version, and nothing else is translated.
    for (const [i, list] of manifest.bots[0].commandLists.entries())
      for (const j of list.commands.keys()) {
        assert.ok(en[`bots[0].commandLists[${i}].commands[${j}].title`], `English title ${i}/${j}`);
        assert.ok(
          commandOf(en[`bots[0].commandLists[${i}].commands[${j}].title`]),
          'typed in English it works',
        );
      }
    assert.equal(en['composeExtensions[0].commands[0].title'], 'Report to Vangnet');
  });

  it('offers one command list per scope, each with only commands that work there; the message action on messages', async () => {
    const { out } = await build(PUBLISHER);
    const manifest = JSON.parse(
      unzip(await readFile(out))
        .get('manifest.json')
        ?.toString() ?? '',
    );
    const lists: { scopes: TeamsScope[]; commands: { title: string }[] }[] = manifest.bots[0].commandLists;
    assert.deepEqual(
      lists.map((l) => l.scopes),
      [['personal'], ['team'], ['groupChat']],
    );
    const titles = (scope: TeamsScope) =>
      lists.find((l) => l.scopes[0] === scope)?.commands.map((c) => c.title);
    assert.deepEqual(titles('personal'), [
      'help',
      'melding',
      'vraag een expert',
      'mijn meldingen',
      'open meldingen',
      'tip',
      'tips',
      'instellingen',
    ]);
    assert.deepEqual(titles('team'), ['help', 'melding', 'vraag een expert', 'tip', 'tips aan', 'tips uit']);
    assert.deepEqual(titles('groupChat'), titles('team'));
    for (const list of lists)
      for (const c of list.commands)
        assert.equal(commandOf(c.title)?.where[TEAMS_SCOPES[list.scopes[0] as TeamsScope]], 'here', c.title);
    assert.deepEqual(manifest.composeExtensions, [
      {
        botId: BOT,
        commands: [
          {
            id: MESSAGE_ACTIONS[0].id,
            type: 'action',
            title: 'Melden bij Vangnet',
            description: 'Meld dit bericht privé bij de juiste persoon op school',
            context: ['message'],
            fetchTask: true,
          },
        ],
      },
    ]);
  });

  it('refuses to build without a publisher name and real https privacy and terms pages, unless --dev', async () => {
    const missing = await build({ MicrosoftAppId: BOT });
    assert.ok(missing.problems.some((p) => /set VANGNET_DEVELOPER_NAME/.test(p)));
    assert.ok(missing.problems.some((p) => /set VANGNET_PRIVACY_URL/.test(p)));
    assert.ok(missing.problems.some((p) => /set VANGNET_TERMS_URL/.test(p)));

    const placeholders = await build({
      ...PUBLISHER,
      VANGNET_PRIVACY_URL: 'https://www.example.org/privacy',
      VANGNET_TERMS_URL: 'http://voorbeeldscholen.nl/voorwaarden',
    });
    assert.ok(
      placeholders.problems.some((p) => /VANGNET_PRIVACY_URL must be the publisher's real page/.test(p)),
    );
    assert.ok(placeholders.problems.some((p) => /VANGNET_TERMS_URL must be an https URL/.test(p)));

    // A development package says what it is, and builds.
    const dev = await build({ MicrosoftAppId: BOT }, { dev: true });
    assert.deepEqual(dev.problems, []);
    const manifest = JSON.parse(
      unzip(await readFile(dev.out))
        .get('manifest.json')
        ?.toString() ?? '',
    );
    assert.match(manifest.developer.name, /ontwikkelversie/);
    assert.deepEqual(manifestSchemaErrors(manifest), []);
    assert.ok(publisherProblems(settingsFromEnv({ MicrosoftAppId: BOT }, '1.0.0', { dev: true })).length > 0);
  });

  it('the zip opens with a standard unzip tool', async () => {
    const { out } = await build(PUBLISHER);
    const listing = execFileSync('python3', [
      '-c',
      `import zipfile,sys;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(' '.join(z.namelist()))`,
      out,
    ]).toString();
    assert.equal(listing.trim(), 'manifest.json en.json color.png outline.png');
  });

  it('refuses an invalid manifest with clear problems', async () => {
    const { problems } = await build({
      ...PUBLISHER,
      MicrosoftAppId: 'not-a-guid',
      VANGNET_WEBSITE_URL: 'http://insecure',
      TEAMS_APP_VERSION: 'v1',
    });
    assert.ok(problems.some((p) => /botId must be a GUID/.test(p)));
    assert.ok(problems.some((p) => /websiteUrl must be an https URL/.test(p)));
    assert.ok(problems.some((p) => /version must be/.test(p)));
    assert.ok(
      validateManifest({ manifestVersion: MANIFEST_VERSION, id: '{{TEAMS_APP_ID}}' }).some((p) =>
        /unfilled placeholders/.test(p),
      ),
    );
    assert.ok(validateManifest({ permissions: ['identity'] }).some((p) => /legacy/.test(p)));
    // A command listed where it does not work is a dead end.
    const deadEnd = validateManifest({
      bots: [
        {
          botId: BOT,
          scopes: ['personal', 'team', 'groupChat'],
          commandLists: [{ scopes: ['team'], commands: [{ title: 'mijn meldingen', description: 'x' }] }],
        },
      ],
    });
    assert.ok(deadEnd.some((p) => /"mijn meldingen" is listed for team but does not work there/.test(p)));
  });
});
