import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { buildTeamsPackage, settingsFromEnv, validateManifest } from '../../src/tools/teams-package.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const BOT = '11111111-2222-3333-4444-555555555555';

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
  it('builds a zip with the bot id filled in, the manifest valid and both icons', async () => {
    const out = join(await tempDir('pkg-'), 'vangnet.zip');
    const problems = await buildTeamsPackage(settingsFromEnv({ MicrosoftAppId: BOT }, '1.2.3'), out);
    assert.deepEqual(problems, []);
    const files = unzip(await readFile(out));
    assert.deepEqual([...files.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')?.toString() ?? '');
    assert.equal(manifest.bots[0].botId, BOT);
    assert.equal(manifest.id, BOT);
    assert.equal(manifest.version, '1.2.3');
    assert.deepEqual(manifest.bots[0].scopes, ['personal', 'team', 'groupChat']);
    assert.ok(
      manifest.bots[0].commandLists[0].commands.some((c: { title: string }) => c.title === 'melding'),
    );
  });

  it('the zip opens with a standard unzip tool', async () => {
    const out = join(await tempDir('pkg-'), 'vangnet.zip');
    await buildTeamsPackage(settingsFromEnv({ MicrosoftAppId: BOT }, '1.0.0'), out);
    const listing = execFileSync('python3', [
      '-c',
      `import zipfile,sys;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(' '.join(z.namelist()))`,
      out,
    ]).toString();
    assert.equal(listing.trim(), 'manifest.json color.png outline.png');
  });

  it('refuses an invalid manifest with clear problems', async () => {
    const out = join(await tempDir('pkg-'), 'x.zip');
    const problems = await buildTeamsPackage(
      settingsFromEnv({ MicrosoftAppId: 'not-a-guid', VANGNET_WEBSITE_URL: 'http://insecure' }, 'v1'),
      out,
    );
    assert.ok(problems.some((p) => /botId must be a GUID/.test(p)));
    assert.ok(problems.some((p) => /websiteUrl must be an https URL/.test(p)));
    assert.ok(problems.some((p) => /version must be/.test(p)));
    assert.ok(
      validateManifest({ manifestVersion: '1.22', id: '{{TEAMS_APP_ID}}' }).some((p) =>
        /unfilled placeholders/.test(p),
      ),
    );
  });
});
