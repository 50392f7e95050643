import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { launchChromium } from '../helpers/browser.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

const OUTPUT = join(projectRoot, 'test', 'output');

/** The newest card that contains `text`. */
const card = (page: Page, text: string) => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

describe('escalation in the local chat (headless Chromium, one user as teacher and expert)', function () {
  this.timeout(90000);
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The local chat in a fresh page, with "melding" typed: the report's first step is on its way. */
  async function startReport(height: number) {
    const page = await browser.newPage({ viewport: { width: 1000, height } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
    await box.waitFor({ timeout: 20000 });
    await box.fill('melding');
    await box.press('Enter');
    return { page, box, errors };
  }

  it('reports an incident step by step, receives the case as expert, takes it up and gets the notice', async () => {
    const { page, box, errors } = await startReport(1200);

    await card(page, 'Is er nu acuut gevaar').getByRole('button', { name: 'Nee', exact: true }).click();
    const typeCard = card(page, 'Wat is er gebeurd?');
    await typeCard.getByText('Online pesten', { exact: true }).click();
    await typeCard.getByRole('button', { name: 'Volgende' }).click();

    const involved = card(page, 'Wie is er betrokken');
    await involved.getByText('Een of meer leerlingen').click();
    await involved.getByRole('button', { name: 'Volgende' }).click();

    const checklist = card(page, 'Eerste stappen bij Online pesten');
    await checklist.getByText(/Leg bewijs vast/).click();
    await checklist.getByRole('button', { name: 'Volgende' }).click();

    const description = card(page, 'Beschrijf kort wat er is gebeurd');
    await description.locator('textarea').fill('Klas 1C: A.B. wordt buitengesloten in de klassenapp.');
    await description.getByRole('button', { name: 'Volgende' }).click();

    const review = card(page, 'Controleer je melding');
    await review.getByText('Klas 1C: A.B. wordt buitengesloten in de klassenapp.').waitFor();
    await review.getByRole('button', { name: 'Versturen' }).click();

    await card(page, 'Melding M-')
      .getByText(/is verstuurd/)
      .waitFor({ timeout: 15000 });
    // The step card was updated in place each time: no earlier step is left with buttons to press.
    const cards = page.locator('.ac-adaptiveCard');
    assert.equal(await cards.filter({ hasText: 'Is er nu acuut gevaar' }).count(), 0);
    assert.equal(await cards.filter({ hasText: 'Controleer je melding' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Volgende' }).count(), 0);
    // The demo school gives the local user every role, so the case card arrives in the same chat.
    const caseCard = card(page, 'Ik pak dit op');
    await caseCard
      .getByText('Klas 1C: A.B. wordt buitengesloten in de klassenapp.')
      .waitFor({ timeout: 15000 });
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'local-escalation-case.png'), fullPage: true });

    await caseCard.getByRole('button', { name: 'Ik pak dit op' }).click();
    await page
      .getByText(/Je melding M-\d{4}-\d{4} is opgepakt door Lokale gebruiker/)
      .waitFor({ timeout: 15000 });
    await page
      .getByText(/Opgepakt door Lokale gebruiker/)
      .first()
      .waitFor();
    await page.screenshot({ path: join(OUTPUT, 'local-escalation-taken.png'), fullPage: true });

    await box.fill('mijn meldingen');
    await box.press('Enter');
    await card(page, 'Mijn meldingen')
      .getByText(/Online pesten/)
      .waitFor();
    assert.deepEqual(errors, []);
  });

  it('acute danger: the alarm goes out at step 1, the 112 block stands out, the report completes the same case', async () => {
    const { page, box, errors } = await startReport(1400);

    await card(page, 'Is er nu acuut gevaar')
      .getByRole('button', { name: 'Ja, acuut gevaar', exact: true })
      .click();
    const typeCard = card(page, 'Wat is er gebeurd?');
    await typeCard.getByText(/Alarm verstuurd: melding M-\d{4}-\d{4}/).waitFor({ timeout: 15000 });
    // The 112 block is a coloured block, not plain text.
    const block = typeCard.locator('.ac-container').filter({ hasText: 'Bel nu 112' }).last();
    const colour = await block.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(colour, 'rgb(253, 231, 233)', 'the 112 block has the attention background');
    // The alarm reached the schoolleiding (the local user holds every role) before anything else was filled in.
    await card(page, 'De details volgen').waitFor({ timeout: 15000 });
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'local-acute-alarm.png'), fullPage: true });

    await typeCard.getByText('Zorgen om zelfdoding of zelfbeschadiging', { exact: true }).click();
    await typeCard.getByRole('button', { name: 'Volgende' }).click();
    const involved = card(page, 'Wie is er betrokken');
    await involved.getByText('Een of meer leerlingen').click();
    await involved.getByRole('button', { name: 'Volgende' }).click();

    const checklist = card(page, 'Eerste stappen bij Zorgen om zelfdoding');
    // What not to do is a warning on the card, never a box to tick.
    await checklist.getByText('Niet beloven dat je het geheimhoudt.').waitFor();
    assert.equal(await checklist.getByRole('checkbox', { name: /Niet beloven/ }).count(), 0);
    const warning = checklist.locator('.ac-container').filter({ hasText: 'Niet beloven' }).last();
    assert.equal(await warning.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 244, 206)');
    await page.screenshot({ path: join(OUTPUT, 'local-acute-checklist.png'), fullPage: true });
    await checklist.getByText(/Spreek de leerling vandaag nog apart/).click();
    await checklist.getByRole('button', { name: 'Volgende' }).click();

    const description = card(page, 'Beschrijf kort wat er is gebeurd');
    await description
      .locator('textarea')
      .fill('Leerling C.D. (2B) postte op TikTok dat ze er niet meer wil zijn.');
    await description.getByRole('button', { name: 'Volgende' }).click();
    const review = card(page, 'Controleer je melding');
    await review.getByText(/✓ Spreek de leerling vandaag nog apart/).waitFor();
    await review.getByRole('button', { name: 'Versturen' }).click();

    const sent = card(page, 'is verstuurd');
    await sent.getByText(/aangevuld/).waitFor({ timeout: 15000 });
    await sent.getByText(/uiterlijk/).waitFor();
    await sent.getByText(/Zorgen om zelfdoding\? Bel 113/).waitFor();
    // One case: the alarm card now shows the details.
    await card(page, 'Ik pak dit op')
      .getByText(/er niet meer wil zijn/)
      .first()
      .waitFor({ timeout: 15000 });
    await page.screenshot({ path: join(OUTPUT, 'local-acute-sent.png'), fullPage: true });
    await box.fill('open meldingen');
    await box.press('Enter');
    const list = card(page, 'Open meldingen');
    await list
      .getByText(/uiterlijk/)
      .first()
      .waitFor({ timeout: 15000 });
    assert.equal(
      await list.getByText(/M-\d{4}-\d{4}/).count(),
      2,
      'the earlier report and this one: no second case',
    );
    assert.deepEqual(errors, []);
  });
});
