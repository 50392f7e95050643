import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/paths.js';

const FORBIDDEN = /^(botbuilder|botframework-|@slack\/|restify|lowdb|adaptivecards|@microsoft\/|nodemailer)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('core boundary', () => {
  it('src/core imports no platform SDK, HTTP server, storage engine or card library', () => {
    const core = join(projectRoot, 'src', 'core');
    const offenders: string[] = [];
    for (const file of files(core)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(
        /(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
      )) {
        const spec = m[1] ?? m[2] ?? '';
        if (FORBIDDEN.test(spec)) offenders.push(`${relative(projectRoot, file)}: ${spec}`);
        if (spec.startsWith('.') && !join(file, '..', spec).startsWith(core))
          offenders.push(`${relative(projectRoot, file)}: ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the check itself catches a forbidden import', () => {
    assert.ok(FORBIDDEN.test('botbuilder') && FORBIDDEN.test('@slack/bolt') && FORBIDDEN.test('lowdb/node'));
    assert.ok(!FORBIDDEN.test('fuse.js') && !FORBIDDEN.test('yaml'));
  });
});
