import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { launchChromium } from '../helpers/browser.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

const OUTPUT = join(projectRoot, 'test', 'output');

/** The newest card in the private chat that contains `text`. */
const cardWith = (page: Page, text: string | RegExp) =>
  page.locator('#webchat .ac-adaptiveCard').filter({ hasText: text }).last();

async function say(page: Page, text: string) {
  const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Every button of a card (its actions and action sets, not those of collapsed sub-cards): inside the card's bounds,
 * its label not cut off, and the topmost element at its centre, so a click lands on it.
 */
async function actionProblems(card: Locator): Promise<string[]> {
  return card.evaluate((root) => {
    const problems: string[] = [];
    const box = root.getBoundingClientRect();
    const buttons = [...root.querySelectorAll<HTMLElement>('button.ac-pushButton')].filter(
      (b) => b.offsetParent !== null,
    );
    if (buttons.length === 0) problems.push('no buttons found');
    for (const b of buttons) {
      const r = b.getBoundingClientRect();
      const label = b.getAttribute('aria-label') ?? b.textContent ?? '';
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.width === 0)
        problems.push(
          `"${label}" is outside the card (${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(box.left)}–${Math.round(box.right)})`,
        );
      const text = b.firstElementChild as HTMLElement | null;
      if (text && text.scrollWidth > text.clientWidth + 1) problems.push(`"${label}" is cut off`);
      b.scrollIntoView({ block: 'center' });
      const c = b.getBoundingClientRect();
      const top = document.elementFromPoint(c.left + c.width / 2, c.top + c.height / 2);
      if (!top || !b.contains(top)) problems.push(`"${label}" is covered by ${top?.tagName ?? 'nothing'}`);
    }
    return problems;
  });
}

describe('card buttons in the local chat, at 420 px and 1000 px (headless Chromium)', function () {
  this.timeout(120000);
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
    await mkdir(OUTPUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const width of [420, 1000]) {
    it(`every action of the help, answer and case cards is inside its card and clickable at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 1400 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/`);

      // The welcome card comes by itself when the page opens: the help card.
      const help = cardWith(page, 'Hoi, ik ben Vangnet');
      await help.waitFor({ timeout: 20000 });
      assert.deepEqual(await actionProblems(help), [], 'help card');
      await help.screenshot({ path: join(OUTPUT, `card-help-${width}.png`) });

      await say(page, 'er gaat een naaktfoto rond in de klassenapp');
      const answer = cardWith(page, 'Wat doe je nu');
      await answer.waitFor({ timeout: 15000 });
      assert.deepEqual(await actionProblems(answer), [], 'answer card');
      await answer.screenshot({ path: join(OUTPUT, `card-answer-${width}.png`) });
      // The buttons that used to be cut off work: "Vraag een expert" opens the form.
      await answer.getByRole('button', { name: 'Vraag een expert' }).click();
      await cardWith(page, 'Vraag aan een expert').waitFor({ timeout: 15000 });

      // A report through the private flow; the demo school sends the case card to the same user.
      await say(page, 'melding');
      await cardWith(page, 'Is er nu acuut gevaar').getByRole('button', { name: 'Nee', exact: true }).click();
      const type = cardWith(page, 'Wat is er gebeurd?');
      await type.getByText('Online pesten', { exact: true }).click();
      await type.getByRole('button', { name: 'Volgende' }).click();
      const involved = cardWith(page, 'Wie is er betrokken');
      await involved.getByText('Een of meer leerlingen').click();
      await involved.getByRole('button', { name: 'Volgende' }).click();
      await cardWith(page, 'Eerste stappen bij').getByRole('button', { name: 'Volgende' }).click();
      const description = cardWith(page, 'Beschrijf kort wat er is gebeurd');
      await description.locator('textarea').fill('Klas 1C: A.B. wordt buitengesloten.');
      await description.getByRole('button', { name: 'Volgende' }).click();
      await cardWith(page, 'Controleer je melding').getByRole('button', { name: 'Versturen' }).click();
      const caseCard = cardWith(page, 'Exporteren voor dossier');
      await caseCard.getByText('Klas 1C: A.B. wordt buitengesloten.').waitFor({ timeout: 15000 });
      assert.deepEqual(await actionProblems(caseCard), [], 'case card');
      await caseCard.screenshot({ path: join(OUTPUT, `card-case-${width}.png`) });
      // "Afsluiten" opens its form inside the card; the form's button fits too.
      await caseCard.getByRole('button', { name: 'Afsluiten' }).click();
      await caseCard.getByRole('button', { name: 'Melding afsluiten' }).waitFor();
      assert.deepEqual(await actionProblems(caseCard), [], 'case card with the closing form open');
      await caseCard.screenshot({ path: join(OUTPUT, `card-case-closing-${width}.png`) });
      assert.deepEqual(errors, []);
    });
  }

  it('the "Kanaal (team)" tab acts as a Teams channel: @Vangnet tips aan, help for channels, lists privately', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`${server.url}/`);
    await cardWith(page, 'Hoi, ik ben Vangnet').waitFor({ timeout: 20000 });
    // Web Chat's own texts are Dutch.
    assert.equal(
      await page.locator('#webchat [data-id="webchat-sendbox-input"]').getAttribute('placeholder'),
      'Typ uw bericht',
    );
    await page.getByRole('tab', { name: 'Kanaal (team)' }).click();
    const channel = page.locator('#webchat-channel');
    const box = channel.locator('[data-id="webchat-sendbox-input"]');
    await box.waitFor();
    await box.fill('@Vangnet tips aan');
    await box.press('Enter');
    await channel
      .getByText(/Dit kanaal krijgt vanaf nu elke week een tip/)
      .first()
      .waitFor({ timeout: 15000 });
    await box.fill('@Vangnet help');
    await box.press('Enter');
    const help = channel.locator('.ac-adaptiveCard').filter({ hasText: 'Wat je kunt typen' }).last();
    await help.waitFor({ timeout: 15000 });
    assert.match(await help.innerText(), /tips uit/);
    assert.doesNotMatch(await help.innerText(), /mijn meldingen/);
    await box.fill('@Vangnet mijn meldingen');
    await box.press('Enter');
    await channel.getByText('Ik heb je het antwoord privé gestuurd').first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: join(OUTPUT, 'local-chat-channel.png') });
    await page.getByRole('tab', { name: 'Privéchat' }).click();
    await cardWith(page, 'Mijn meldingen').waitFor({ timeout: 15000 });
  });
});
