import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import { checkKnowledge, loadKnowledge } from '../../src/core/knowledge/loader.js';
import { REQUIRED_SLUGS } from '../../src/core/knowledge/model.js';
import { knowledgeDir } from '../../src/paths.js';
import { tempDirs } from '../helpers/temp-dirs.js';

describe('knowledge base', () => {
  const tempDir = tempDirs();
  it('the shipped articles and tips pass kb check', async () => {
    const { kb, problems } = await checkKnowledge(knowledgeDir);
    assert.deepEqual([...problems], []);
    assert.ok(kb.articles.length >= REQUIRED_SLUGS.length);
    for (const slug of REQUIRED_SLUGS) assert.ok(kb.bySlug.has(slug), slug);
  });

  it('`vangnet kb check` exits 0 on the shipped knowledge', async () => {
    let out = '';
    assert.equal(await run(['kb', 'check'], (s) => (out += s)), 0);
    assert.match(out, /✓ \d+ articles and \d+ tips are valid/);
  });

  it('reports broken front matter, slug mismatch, bad links and lengths', async () => {
    const dir = await tempDir('kb-');
    await mkdir(join(dir, 'articles'));
    await mkdir(join(dir, 'tips'));
    const body = `Inleiding.\n\n## Wat doe je nu\n1. Eerste stap.\n\nZie [elders](bestaat-niet.md).\n${'woord '.repeat(220)}`;
    await writeFile(
      join(dir, 'articles', 'goed.md'),
      `---\nslug: anders\ntitle: T\nsummary: S\ntags: [a]\nlevels: [po, xx]\nroles: [mentor]\nincident: true\nrelated: [nergens]\n---\n${body}`,
    );
    await writeFile(
      join(dir, 'articles', 'kort.md'),
      `---\nslug: kort\ntitle: Kort\nsummary: S\ntags: [a]\nlevels: [po]\nroles: [mentor]\n---\nTe kort.`,
    );
    await writeFile(join(dir, 'articles', 'kapot.md'), `---\nslug: [kapot\n---\ntekst`);
    await writeFile(
      join(dir, 'tips', 'tip-001.md'),
      `---\nid: tip-002\ntitle: T\narticle: nergens\nlevels: [vo]\ntopic: onbekend\n---\nkort`,
    );
    const { problems } = await checkKnowledge(dir);
    const all = [...problems].flatMap(([f, m]) => m.map((x) => `${f}: ${x}`)).join('\n');
    for (const expected of [
      /goed\.md: slug "anders" differs from the file name/,
      /goed\.md: "levels" has unknown values xx/,
      /goed\.md: related "nergens" is not an article/,
      /goed\.md: link "bestaat-niet\.md" does not point to an article/,
      /kort\.md: body has 2 words; expected 200–600/,
      /kapot\.md: front matter is not valid YAML/,
      /tip-001\.md: id "tip-002" differs/,
      /tip-001\.md: article "nergens" is not an article/,
      /tip-001\.md: "topic" "onbekend" is unknown/,
      /required articles missing/,
    ]) {
      assert.match(all, expected);
    }
    await assert.rejects(loadKnowledge(dir), /problem\(s\); run "vangnet kb check"/);
  });

  it('loads the question bank into its articles and checks it: the slug exists, no phrasing twice', async () => {
    const dir = await tempDir('kb-bank-');
    await mkdir(join(dir, 'articles'));
    await mkdir(join(dir, 'questions'));
    const body = `Inleiding.\n\n## Wat doe je nu\n1. Eerste stap.\n\n## Wat doe je niet\n- Niet zelf reageren.\n${'woord '.repeat(220)}`;
    for (const slug of ['een', 'twee'])
      await writeFile(
        join(dir, 'articles', `${slug}.md`),
        `---\nslug: ${slug}\ntitle: T ${slug}\nsummary: S\ntags: [a]\nlevels: [po]\nroles: [mentor]\nincident: true\nquestions: [Wat nu met de groepsapp?]\n---\n${body}`,
      );
    await writeFile(
      join(dir, 'questions', 'een.yml'),
      'slug: een\nquestions:\n  - pesten in de klas\n  - Pesten in de klas!\n',
    );
    await writeFile(
      join(dir, 'questions', 'twee.yml'),
      'slug: twee\nquestions:\n  - wat nu met de groepsapp\n  - iets anders\n',
    );
    await writeFile(join(dir, 'questions', 'drie.yml'), 'slug: drie\nquestions: [x]\n');
    await writeFile(join(dir, 'out-of-scope.yml'), 'ict:\n  - iets anders\n  - de printer doet het niet\n');
    const { kb, problems } = await checkKnowledge(dir);
    const all = [...problems].flatMap(([f, m]) => m.map((x) => `${f}: ${x}`)).join('\n');
    for (const expected of [
      /questions\/drie\.yml: "drie" is not an article/,
      /"Pesten in de klas!" is in een twice/,
      /"wat nu met de groepsapp" is in both een and twee/,
      /out-of-scope\.yml: "iets anders" is in both twee and out-of-scope\.yml/,
    ])
      assert.match(all, expected);
    assert.deepEqual(kb.bySlug.get('twee')?.questions, [
      'Wat nu met de groepsapp?',
      'wat nu met de groepsapp',
      'iets anders',
    ]);
    assert.deepEqual(kb.bySlug.get('een')?.dontSteps, ['Niet zelf reageren.']);
    assert.deepEqual(kb.outOfScope, ['iets anders', 'de printer doet het niet']);
  });

  it('every shipped article has at least 40 phrasings (front matter and question bank)', async () => {
    const { kb } = await checkKnowledge(knowledgeDir);
    for (const a of kb.articles)
      assert.ok(a.questions.length >= 40, `${a.slug}: ${a.questions.length} phrasings`);
  });
});
