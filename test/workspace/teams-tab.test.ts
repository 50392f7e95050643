import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildTeamsPackage, settingsFromEnv } from '../../src/tools/teams-package.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const BOT = '11111111-2222-3333-4444-555555555555';

describe('the workspace as a Teams personal tab (app package)', () => {
  const temp = tempDirs();
  const manifestOf = (zip: string) =>
    JSON.parse(
      execFileSync(
        'python3',
        ['-c', 'import zipfile,sys;print(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())', zip],
        {
          encoding: 'utf8',
        },
      ),
    );

  it('with VANGNET_PUBLIC_URL: a static tab on /app/?host=teams, tab SSO for the bot app, and the domain valid', async () => {
    const out = join(await temp('pkg-'), 'vangnet.zip');
    const settings = settingsFromEnv(
      {
        MicrosoftAppId: BOT,
        VANGNET_PUBLIC_URL: 'https://vangnet.school.nl',
        VANGNET_VALID_DOMAINS: 'example.org',
      },
      '1.0.0',
      { dev: true },
    );
    assert.deepEqual(await buildTeamsPackage(settings, out), []);
    const m = manifestOf(out);
    assert.deepEqual(m.staticTabs[0], {
      entityId: 'vangnet-workspace',
      name: 'Werkruimte',
      contentUrl: 'https://vangnet.school.nl/app/?host=teams',
      websiteUrl: 'https://vangnet.school.nl/app/',
      scopes: ['personal'],
    });
    assert.deepEqual(m.webApplicationInfo, { id: BOT, resource: `api://vangnet.school.nl/${BOT}` });
    assert.deepEqual(m.validDomains, ['example.org', 'vangnet.school.nl']);
  });

  it('without a public URL the package has no tab', async () => {
    const out = join(await temp('pkg-'), 'vangnet.zip');
    assert.deepEqual(
      await buildTeamsPackage(settingsFromEnv({ MicrosoftAppId: BOT }, '1.0.0', { dev: true }), out),
      [],
    );
    const m = manifestOf(out);
    assert.equal(m.staticTabs, undefined);
    assert.equal(m.webApplicationInfo, undefined);
  });
});
