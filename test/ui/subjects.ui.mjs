// What a person sees while writing subjects: a squiggle under a mistyped category in a .nats playbook with its
// entry in the Problems panel, and the completion list open on a subject token.
import { openFile, palette, uiRun } from './lib.mjs';

await uiRun('subjects', 5, async ({ page, check, shot }) => {
  await openFile(page, 'bad.nats');
  const squiggle = page.locator('.monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ timeout: 30_000 });
  check('the playbook shows error squiggles', await squiggle.isVisible());

  await palette(page, 'Problems: Focus on Problems View');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Unknown category "domian"' }).first();
  await row.waitFor({ timeout: 20_000 });
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  check('the Problems panel names the typo and its fix', /did you mean "domain"/.test(text) && /cim-nats/.test(text), text);
  await page.mouse.move(900, 100);
  await shot('subjects-problems.png');

  // a fresh line at the end: type a subject prefix and let "." open the next token's list
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('###\nPUB dev.domain.sales.');
  const suggest = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  // no Ctrl+Space: the "." typed last must open the list by itself
  await suggest.first().waitFor({ timeout: 20_000 });
  const labels = await suggest.evaluateAll(rows => rows.map(r => r.getAttribute('aria-label') || r.textContent || ''));
  check('typing "." after the domain opens the aggregates of that domain', labels.some(l => /\border\b/.test(l)), JSON.stringify(labels));
  await shot('subjects-completion.png');

  await page.keyboard.type('order.');
  await suggest.first().waitFor({ timeout: 20_000 });
  const events = await suggest.evaluateAll(rows => rows.map(r => r.getAttribute('aria-label') || r.textContent || ''));
  check('then the events of that aggregate from the domain definition', events.some(l => /placed/.test(l)) && events.some(l => /shipped/.test(l)), JSON.stringify(events));
  await page.keyboard.press('Escape');

  await page.keyboard.type('placed.x');
  // the fixture's own bad id is "123": this row can only come from the line just typed
  const fresh = page.locator('.markers-panel .monaco-list-row', { hasText: '"x" is not a UUID' }).first();
  const appeared = await fresh.waitFor({ timeout: 20_000 }).then(() => true, () => false);
  check('a new line is checked as it is typed', appeared, appeared ? (await fresh.innerText()).replace(/\s+/g, ' ') : 'no row for the new line');
});
