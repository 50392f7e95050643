import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import { projectRoot } from '../../src/paths.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/** Runs the real CLI in a child process (tsx, as `vangnet` would run it). */
function cli(
  args: string[],
  stdin?: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'cli.ts'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

function assertContract(o: unknown, query: string) {
  const r = o as {
    query: unknown;
    answered: unknown;
    results: { slug: unknown; title: unknown; score: unknown }[];
    choices: unknown;
  };
  assert.deepEqual(Object.keys(r).sort(), ['answered', 'choices', 'query', 'results']);
  assert.ok(Array.isArray(r.choices) && r.choices.every((c) => typeof c === 'string'));
  if (r.answered) assert.deepEqual(r.choices, [], 'no choices when it answers');
  assert.equal(r.query, query);
  assert.equal(typeof r.answered, 'boolean');
  assert.ok(Array.isArray(r.results));
  let prev = Number.POSITIVE_INFINITY;
  for (const x of r.results) {
    assert.deepEqual(Object.keys(x).sort(), ['score', 'slug', 'title']);
    assert.equal(typeof x.slug, 'string');
    assert.equal(typeof x.title, 'string');
    assert.ok(typeof x.score === 'number' && x.score >= 0 && x.score <= 1, `score ${x.score} in 0..1`);
    assert.ok(x.score <= prev, 'best first');
    prev = x.score;
  }
}

describe('CLI: vangnet ask', () => {
  const tempDir = tempDirs();
  it('--json prints one object with the fixed contract', async () => {
    const q = 'mijn insta is gehackt wat nu';
    const { code, stdout } = await cli(['ask', '--json', q]);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const o = JSON.parse(lines[0] ?? '');
    assertContract(o, q);
    assert.equal(o.answered, true);
    assert.equal(o.results[0].slug, 'gehackt-account');
  });

  it('--json answers false for an out-of-scope question', async () => {
    const { stdout } = await cli(['ask', '--json', 'hoeveel vakantiedagen heb ik nog']);
    const o = JSON.parse(stdout);
    assertContract(o, 'hoeveel vakantiedagen heb ik nog');
    assert.equal(o.answered, false);
  });

  it('--json without a question reads stdin and writes JSON Lines', async () => {
    const { code, stdout } = await cli(
      ['ask', '--json'],
      'naaktfoto in de klassenapp\n\nbedreiging op tiktok\n',
    );
    assert.equal(code, 0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2, 'blank lines are skipped');
    assertContract(lines[0], 'naaktfoto in de klassenapp');
    assertContract(lines[1], 'bedreiging op tiktok');
    assert.equal(lines[0].results[0].slug, 'naaktbeelden-verspreid');
    assert.equal(lines[1].results[0].slug, 'bedreiging-online');
  });

  it('--json lists what "Bedoel je …?" offers as choices, answered false (in process)', async () => {
    let out = '';
    assert.equal(await run(['ask', '--json', 'afspraken'], (s) => (out += s)), 0);
    const o = JSON.parse(out);
    assertContract(o, 'afspraken');
    assert.equal(o.answered, false);
    assert.ok(o.choices.length >= 2 && o.choices.length <= 3, out);
    const slugs = o.results.map((r: { slug: string }) => r.slug);
    for (const c of o.choices) assert.ok(slugs.includes(c), `${c} is one of the results`);
  });

  it('prints a readable answer without --json', async () => {
    const { code, stdout } = await cli(['ask', 'wat is sextortion']);
    assert.equal(code, 0);
    assert.match(stdout, /^1\. .+\[sextortion\]/m);
  });

  it('tips preview shows the next tip per subscribed conversation', async () => {
    const dir = await tempDir('cli-tips-');
    const store = await LowdbStore.open(dir);
    await store.subscriptions.save({
      id: 'teams:19:staff',
      platform: 'teams',
      conversationId: '19:staff',
      kind: 'channel',
      subscribedBy: 'u',
      createdAt: '2026-11-01T00:00:00Z',
      active: true,
      used: [],
      weeks: {},
      version: 0,
    });
    await store.close();
    const { code, stdout } = await cli(['tips', 'preview'], '', { DATA_DIR: dir });
    assert.equal(code, 0);
    assert.match(stdout, /^teams\s+19:staff\s+\d{4}-W\d{2} (due|holiday|sent|claimed)\s+next: tip-\d{3} /m);
    assert.match(stdout, /Weekly moment: maandag om 08:30/);
  });

  it('kb gaps lists unanswered questions and unhelpful articles, most frequent first', async () => {
    const dir = await tempDir('cli-gaps-');
    const store = await LowdbStore.open(dir);
    for (const query of [
      'hoe laat gaat de kantine open',
      'hoe laat gaat de kantine open',
      'wifi wachtwoord',
    ]) {
      await store.gaps.add({ at: '2026-11-20T10:00:00Z', reason: 'unanswered', query, platform: 'teams' });
    }
    await store.gaps.add({
      at: '2026-11-21T10:00:00Z',
      reason: 'not-helpful',
      query: 'Sextortion',
      slug: 'sextortion',
      platform: 'slack',
    });
    await store.close();
    const { code, stdout } = await cli(['kb', 'gaps'], '', { DATA_DIR: dir });
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^\s*2\s+unanswered\s+2026-11-20\s+hoe laat gaat de kantine open$/);
    assert.ok(lines.some((l) => /not-helpful\s+2026-11-21\s+sextortion/.test(l)));
  });

  it('school check validates the example school and says how far the national holidays reach', async () => {
    const { code, stdout } = await cli(['school', 'check', 'manifest/school.example.yml']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /✓ .*people/);
    // Today's date decides which of the two lines appears (after August 2028 the table needs a new school year).
    assert.match(
      stdout,
      /holidays: region midden \+ 1 own period\(s\); (national dates known until|the national dates end) 2028-08-20/,
    );
  });

  it('school check names who would get urgent cases without an e-mail address, when e-mail alerts are on', async () => {
    const env = { VANGNET_SMTP_URL: 'smtp://127.0.0.1:2525', VANGNET_ALERT_FROM: 'vangnet@school.example' };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    let out = '';
    try {
      Object.assign(process.env, env);
      assert.equal(await run(['school', 'check', 'manifest/school.example.yml'], (s) => (out += s)), 0);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const line = out.split('\n').find((l) => l.startsWith('! e-mail alerts')) ?? '';
    assert.match(line, /no address for .*R\. Smit \(schoolleiding\)/);
    assert.ok(!line.includes('P. Jansen'), 'P. Jansen has an address in the example');
    assert.match(line, /M\. El Amrani \([^)]*crisisTeam\)/, 'the crisis team gets every alarm');
    assert.ok(!line.includes('mentor'), 'no incident type goes to the mentor');
    let off = '';
    await run(['school', 'check', 'manifest/school.example.yml'], (s) => (off += s));
    assert.ok(!off.includes('e-mail alerts'), 'nothing said when e-mail alerts are off');
  });

  it('prints usage and exits 2 on an unknown command', async () => {
    const { code, stdout } = await cli(['frobnicate']);
    assert.equal(code, 2);
    assert.match(stdout, /Usage: vangnet/);
  });
});
