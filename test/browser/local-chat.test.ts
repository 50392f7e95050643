import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { launchChromium } from '../helpers/browser.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

const OUTPUT = join(projectRoot, 'test', 'output');

async function ask(page: Page, text: string) {
  const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
  await box.fill(text);
  await box.press('Enter');
}

describe('local chat page in headless Chromium (Web Chat → Direct Line → bot)', function () {
  // `npm start` builds first: TypeScript and the workspace web bundle, on a shared 2-core machine.
  this.timeout(120000);
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    // Exactly the README's start command, on a free port and a temporary data folder.
    server = await startServerProcess({ npmStart: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('answers a typed question with the answer card, and a card button works', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.locator('#webchat [data-id="webchat-sendbox-input"]').waitFor({ timeout: 20000 });

    await ask(page, 'er gaat een naaktfoto rond in de klassenapp, wat moet ik doen?');
    const card = page.locator('.ac-adaptiveCard').last();
    await card.getByText('Naaktbeelden van een leerling gaan rond').waitFor({ timeout: 15000 });
    await card.getByText('Wat doe je nu').waitFor();
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'local-chat-answer.png') });

    await card.getByRole('button', { name: 'Lees meer' }).click();
    const article = page.locator('.ac-adaptiveCard').filter({ hasText: 'Wat doe je niet' }).last();
    await article.waitFor({ timeout: 15000 });
    await page.screenshot({ path: join(OUTPUT, 'local-chat-article.png') });
    assert.deepEqual(errors, [], 'no script errors on the page');
  });

  it('says honestly when it does not know, and offers an expert', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('#webchat [data-id="webchat-sendbox-input"]').waitFor({ timeout: 20000 });
    await ask(page, 'hoeveel vakantiedagen heb ik nog');
    const card = page.locator('.ac-adaptiveCard').last();
    await card.getByText('Daar weet ik (nog) geen goed antwoord op').waitFor({ timeout: 15000 });
    await card.getByRole('button', { name: 'Vraag een expert' }).click();

    // The form, prefilled with the question; the local user holds every role, so they also get it as expert.
    const form = page.locator('.ac-adaptiveCard').filter({ hasText: 'Vraag aan een expert' }).last();
    await form.locator('textarea').waitFor({ timeout: 15000 });
    assert.equal(await form.locator('textarea').inputValue(), 'hoeveel vakantiedagen heb ik nog');
    await form.locator('textarea').fill('Mag een leerling mij filmen tijdens de les?');
    await form.locator('select').selectOption('vertrouwenspersoon');
    await form.getByRole('button', { name: 'Vraag versturen' }).click();
    await page.getByText(/Vraag V-\d{4}-\d{4} is verstuurd/).waitFor({ timeout: 15000 });
    assert.equal(
      await page.locator('.ac-adaptiveCard').filter({ hasText: 'Vraag aan een expert' }).count(),
      0,
    );

    const question = page.locator('.ac-adaptiveCard').filter({ hasText: 'van een collega' }).last();
    await question.getByText('Mag een leerling mij filmen tijdens de les?').waitFor({ timeout: 15000 });
    await question.getByRole('button', { name: 'Beantwoorden' }).click();
    await question.locator('textarea').fill('Nee, niet zonder toestemming.');
    await question.getByRole('button', { name: 'Antwoord versturen' }).click();
    const answer = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: /Antwoord op je vraag V-/ })
      .last();
    await answer.getByText('Nee, niet zonder toestemming.').waitFor({ timeout: 15000 });
    await question.getByText(/beantwoord · Lokale gebruiker/).waitFor({ timeout: 15000 });
    await page.screenshot({ path: join(OUTPUT, 'local-chat-question.png'), fullPage: true });
  });

  it('serves Web Chat from node_modules, not a CDN, and only on loopback', async () => {
    const page = await browser.newPage();
    const hosts = new Set<string>();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:')
        hosts.add(url.host);
    });
    await page.goto(`${server.url}/`);
    await page.locator('#webchat [data-id="webchat-sendbox-input"]').waitFor({ timeout: 20000 });
    assert.deepEqual([...hosts], [new URL(server.url).host]);
  });
});
