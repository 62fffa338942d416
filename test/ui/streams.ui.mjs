// Stream operations as a person does them: the init plan, a message view, and a purge behind its confirmation,
// refused (nothing purged) and then accepted. Runs after explorer.ui.mjs on the same seeded server (NATS_URL).
import { palette, uiRun } from './lib.mjs';

await uiRun('streams', 6, async ({ page, check, shot, log }) => {
  const natsUrl = process.env.NATS_URL;
  await page.locator('.activitybar .action-item .action-label[aria-label^="CIM NATS"]').first().click();
  const view = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: /jetstream/i }) }).first();
  const row = text => view.locator('.monaco-list-row', { hasText: text }).first();
  const input = page.locator('.quick-input-widget input');
  const answer = async (title, text) => {
    await page.locator('.quick-input-widget', { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
    if (text !== undefined) await input.fill(text);
    await page.keyboard.press('Enter');
  };
  const menu = async (target, item) => {
    await target.click({ button: 'right' });
    const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
    await entry.waitFor({ timeout: 10_000 });
    await entry.click();
  };
  const dialog = page.locator('.monaco-dialog-box');

  await row(natsUrl).waitFor({ timeout: 30_000 });
  if (!(await row('Domain events').isVisible())) await row(natsUrl).click();
  await row('Domain events').waitFor({ timeout: 30_000 });
  if (!(await row('DOMAIN_SALES_EVENTS').isVisible())) await row('Domain events').click();
  const sales = row('DOMAIN_SALES_EVENTS');
  await sales.waitFor({ timeout: 15_000 });

  // Initialize: the plan is a document to read before anything is sent
  await palette(page, 'CIM NATS: Initialize CIM Streams');
  await answer('Initialize the CIM streams on which connection', natsUrl);
  await answer('Domains to initialize');
  await answer('Environment', 'dev');
  const plan = page.locator('.monaco-editor', { hasText: 'DOMAIN_SALES_EVENTS' }).first();
  await dialog.waitFor({ timeout: 20_000 });
  check('Initialize shows the plan as a document and asks before applying', await plan.isVisible() && /On .*: create \d+ and update \d+ stream/.test(await dialog.innerText()), (await dialog.innerText()).split('\n')[0]);
  await shot('init-plan.png');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();

  // View Messages
  await menu(sales, 'View Messages…');
  await answer('Which messages?', 'Last 50');
  await answer('Subject filter', '');
  const messages = page.locator('.monaco-editor', { hasText: '5 messages of DOMAIN_SALES_EVENTS' }).first();
  await messages.waitFor({ timeout: 20_000 }).catch(() => {});
  check('View Messages opens a document with the stream\'s messages', await messages.isVisible());
  check('each message shows its sequence, subject and pretty JSON', /#1\s+\S+\s+dev\.domain\.sales\.order\.created/.test(await messages.innerText()));
  await shot('message-view.png');

  // Purge, refused: nothing goes
  await menu(sales, 'Purge Stream…');
  await answer('Purge DOMAIN_SALES_EVENTS', 'Everything');
  await dialog.waitFor({ timeout: 15_000 });
  const question = await dialog.innerText();
  check('the purge asks first, naming what will be lost', /Purge 5 messages from DOMAIN_SALES_EVENTS on /.test(question), question.split('\n')[0]);
  await shot('purge-confirmation.png');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await page.waitForTimeout(1500);
  check('refused, the stream keeps its messages', /5 msgs/.test(await sales.innerText()), (await sales.innerText()).replace(/\s+/g, ' '));

  // Purge, accepted
  await menu(sales, 'Purge Stream…');
  await answer('Purge DOMAIN_SALES_EVENTS', 'Everything');
  await dialog.waitFor({ timeout: 15_000 });
  await dialog.locator('.monaco-button', { hasText: /^Purge$/ }).click();
  await view.locator('.monaco-list-row', { hasText: /DOMAIN_SALES_EVENTS\s*0 msgs/ }).first().waitFor({ timeout: 15_000 }).catch(() => {});
  check('accepted, the stream is empty and the tree says so', /0 msgs/.test(await row('DOMAIN_SALES_EVENTS').innerText()), (await row('DOMAIN_SALES_EVENTS').innerText()).replace(/\s+/g, ' '));
  log('done');
});
