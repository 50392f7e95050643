import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { buildWebApp } from '../../src/workspace/build-web.js';
import { launchChromium } from '../helpers/browser.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import type { TestApp } from '../helpers/test-app.js';
import { PEOPLE, SCHOOL_YAML, schoolYearCases, TEXTS } from './fixtures.js';
import { startWorkspaceApp } from './workspace-app.js';

const OUTPUT = join(projectRoot, 'test', 'output');
const NOW = new Date('2026-05-20T10:00:00Z');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core in the page: the serious and critical violations, with where they are. Fluent UI's focus sentinels
 * (Tabster's `<i data-tabster-dummy aria-hidden tabindex=0>`, which pass focus on at once) are a documented false
 * positive of `aria-hidden-focus` and are left out; nothing else is.
 */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations as { id: string; impact: string; nodes: { target: string[]; html: string }[] }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      ...v,
      nodes: v.nodes.filter((n) => !(v.id === 'aria-hidden-focus' && n.html.includes('data-tabster-dummy'))),
    }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function shot(page: Page, name: string) {
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, `workspace-${name}.png`), fullPage: true });
}

/** Nothing sticks out sideways on a phone. */
async function fitsWidth(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px window`);
}

describe('the workspace in headless Chromium (local mode, schoolleiding who is also admin)', function () {
  this.timeout(120000);
  const temp = tempDirs();
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    await buildWebApp();
    // Petra (schoolleiding, admin) is the local chat user here, so she sees and may do everything.
    const school = SCHOOL_YAML.replace(
      `slack: ${PEOPLE.petra.slack} }`,
      `slack: ${PEOPLE.petra.slack}, local: local-user }`,
    );
    app = await startWorkspaceApp({}, schoolYearCases(NOW), {
      now: () => NOW,
      school,
    });
    await app.store.gaps.add({
      at: NOW.toISOString(),
      reason: 'unanswered',
      query: 'deepfake van een docent',
      platform: 'local',
    });
    await app.store.feedback.add(
      { at: NOW.toISOString(), slug: 'naaktbeelden-verspreid', helpful: false, platform: 'local' },
      'browser-test',
    );
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  async function open(width: number, hash = '', colorScheme: 'light' | 'dark' = 'light') {
    const page = await browser.newPage({
      viewport: { width, height: 900 },
      colorScheme,
      acceptDownloads: true,
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${app.url}/app/${hash}`);
    return { page, errors };
  }

  it('desktop: the cases for me with the overdue one first, a case with its history, an action and the dossier PDF', async () => {
    const { page, errors } = await open(1280);
    const list = page.getByRole('list').filter({ hasText: 'M-2026-0008' });
    await list.waitFor();
    // "Voor mij" shows the open cases; the overdue urgent threat is marked.
    const first = page.getByRole('link').filter({ hasText: 'M-2026-' }).first();
    assert.match((await first.textContent()) ?? '', /M-2026-0008.*Urgent.*Te laat/);
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('link').filter({ hasText: 'M-2026-0007' }).waitFor();
    await shot(page, 'cases-desktop');
    assert.deepEqual(await accessibilityProblems(page), []);

    // The worked case: the full history with its texts.
    await page.getByRole('link').filter({ hasText: 'M-2026-0007' }).click();
    await page.getByRole('heading', { name: /Melding M-2026-0007/ }).waitFor();
    for (const text of [TEXTS.question, TEXTS.answer, TEXTS.note, TEXTS.handover, TEXTS.closing])
      await page.getByText(text).waitFor();
    await shot(page, 'case-history-desktop');

    // The dossier file: one click to export, one to download; the PDF holds the history.
    await page.getByRole('button', { name: 'Exporteren voor dossier' }).click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PDF downloaden' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'Vangnet-M-2026-0007-vertrouwelijk.pdf');
    const file = join(await temp('vangnet-ws-'), 'dossier.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    assert.ok(text.includes('VERTROUWELIJK') && text.includes(TEXTS.handover));

    // An open case: take it up, then ask the reporter — the same commands as the card.
    await page.goto(`${app.url}/app/#/cases/M-2026-0008`);
    await page.getByRole('heading', { name: /M-2026-0008/ }).waitFor();
    await page.getByRole('button', { name: 'Ik pak dit op' }).click();
    await page.getByText('Je hebt melding M-2026-0008 opgepakt.').waitFor();
    await page
      .getByText(/Opgepakt door Petra Jansen/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Vraag aan de melder' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Je vraag aan de melder').fill('Wanneer is het bericht gestuurd?');
    await dialog.getByRole('button', { name: 'Versturen' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('vraag aan de melder', { exact: true }).waitFor();
    await shot(page, 'case-action-desktop');
    assert.deepEqual(await accessibilityProblems(page), []);
    const stored = await app.store.cases.get('M-2026-0008');
    assert.equal(stored?.status, 'taken');
    assert.equal(stored?.assignee, PEOPLE.petra.id);
    assert.deepEqual(errors, []);
  });

  it('desktop: the overview with its chart, and the knowledge page', async () => {
    const { page, errors } = await open(1280, '#/overview');
    await page.getByRole('heading', { name: 'Overzicht voor de schoolleiding' }).waitFor();
    const chart = page.getByRole('img', { name: /meldingen van augustus 2025 tot en met juli 2026/ });
    await chart.waitFor();
    assert.ok((await chart.locator('rect').count()) >= 5, 'bars in the chart');
    await page.getByText('Mediaan tot oppakken').waitFor();
    await shot(page, 'overview-desktop');
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.getByRole('tab', { name: 'Kennisbank' }).click();
    await page.getByText('deepfake van een docent').waitFor();
    await shot(page, 'knowledge-desktop');
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(errors, []);
  });

  it('phone (390 px): cases, a case and the overview fit the screen, also in dark mode', async () => {
    for (const [hash, name, ready] of [
      ['', 'cases-phone', 'Voor mij'],
      ['#/cases/M-2026-0007', 'case-phone', TEXTS.note],
      ['#/overview', 'overview-phone', 'Mediaan tot oppakken'],
    ] as const) {
      const { page, errors } = await open(390, hash);
      await page.getByText(ready).first().waitFor();
      if (name === 'cases-phone') {
        await page.getByLabel('Status').selectOption('');
        await page.getByRole('link').filter({ hasText: 'M-2026-0007' }).waitFor();
      }
      await fitsWidth(page);
      await shot(page, name);
      assert.deepEqual(await accessibilityProblems(page), [], name);
      assert.deepEqual(errors, []);
      await page.close();
    }
    const { page } = await open(390, '#/overview', 'dark');
    await page.getByText('Mediaan tot oppakken').waitFor();
    const background = await page.evaluate(
      () => getComputedStyle(document.querySelector('.fui-FluentProvider') as Element).backgroundColor,
    );
    assert.notEqual(background, 'rgb(255, 255, 255)', 'dark theme');
    await shot(page, 'overview-phone-dark');
    assert.deepEqual(await accessibilityProblems(page), []);
  });
});
