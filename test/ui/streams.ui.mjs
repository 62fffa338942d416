// Stream operations as a person does them: the init plan, a message view, a purge and deletes behind their
// confirmations, each refused (nothing lost) and then accepted, and on a protected connection the typed name.
// Runs after explorer.ui.mjs on the same seeded server (NATS_URL).
import { addConnection, answer as answerPrompt, palette, uiRun } from './lib.mjs';

await uiRun('streams', 16, async ({ page, check, shot, log }) => {
  const natsUrl = process.env.NATS_URL;
  await page.locator('.activitybar .action-item .action-label[aria-label^="CIM NATS"]').first().click();
  const view = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: /jetstream/i }) }).first();
  const row = text => view.locator('.monaco-list-row', { hasText: text }).first();
  const input = page.locator('.quick-input-widget input');
  const answer = (title, text) => answerPrompt(page, title, text);
  // A click can land while the menu still lays itself out: the menu stays open, and then it is tried again.
  const menu = async (target, item) => {
    for (let attempt = 1; ; attempt++) {
      await target.click({ button: 'right' });
      const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
      // a right-click that landed while the workbench settled opens no menu (or an empty one): it is tried again
      if (!(await entry.waitFor({ timeout: 10_000 }).then(() => true, () => false))) {
        if (attempt === 3) throw new Error(`the context menu showed no "${item}"`);
        await page.keyboard.press('Escape');
        continue;
      }
      await entry.hover();
      await entry.click();
      const closed = await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
      if (closed) return;
      if (attempt === 3) throw new Error(`the context menu entry "${item}" did not run`);
      await page.keyboard.press('Escape');
    }
  };
  // An entry chosen while the workbench still settles after a modal can run nothing (seen once in CI): the prompt it
  // opens is waited for, and the menu is used again when none came. No pause decides anything.
  const menuUntil = async (target, item, prompt) => {
    for (let attempt = 1; ; attempt++) {
      await menu(target, item);
      if (await prompt.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) return;
      if (attempt === 3) throw new Error(`"${item}" opened no prompt`);
    }
  };
  const gone = (locator, ms = 15_000) => locator.waitFor({ state: 'detached', timeout: ms }).then(() => true, () => false);
  const dialog = page.locator('.monaco-dialog-box');
  // a refusal changes nothing, so no sleep waits for "nothing": the dialog goes, and the accepted step after it proves
  // the refused one did nothing (its summary counts what the refused one would have taken)
  const closed = () => dialog.waitFor({ state: 'hidden', timeout: 15_000 }).then(() => true, () => false);
  const toast = text => page.locator('.notifications-toasts', { hasText: text }).first().waitFor({ timeout: 15_000 }).then(() => true, () => false);

  await row(natsUrl).waitFor({ timeout: 30_000 });
  if (!(await row('Domain events').isVisible())) await row(natsUrl).click();
  await row('Domain events').waitFor({ timeout: 30_000 });
  if (!(await row('DOMAIN_SALES_EVENTS').isVisible())) await row('Domain events').click();
  const sales = row('DOMAIN_SALES_EVENTS');
  await sales.waitFor({ timeout: 15_000 });

  // Initialize: the plan, rendered, to read before anything is sent; the domain is typed (none is checked beforehand)
  await palette(page, 'CIM NATS: Initialize CIM Streams');
  // the connection is asked for when there are several (explorer.ui.mjs, run before this, adds one)
  const which = page.locator('.quick-input-widget', { hasText: 'Initialize the CIM streams on which connection' });
  await which.or(page.locator('.quick-input-widget', { hasText: 'Domains to initialize' })).waitFor({ timeout: 15_000 });
  if (await which.isVisible()) await answer('Initialize the CIM streams on which connection', natsUrl);
  await answer('Domains to initialize', 'sales');
  await answer('Environment', 'dev');
  const plan = page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame().locator('body', { hasText: 'DOMAIN_SALES_EVENTS' });
  await dialog.waitFor({ timeout: 20_000 });
  await plan.waitFor({ timeout: 10_000 }).catch(() => {});
  check('Initialize shows the plan rendered (Markdown preview) and asks before applying', await plan.isVisible() && /On .*: create \d+ and update \d+ stream/.test(await dialog.innerText()), (await dialog.innerText()).split('\n')[0]);
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
  await menuUntil(sales, 'Purge Stream…', page.locator('.quick-input-widget', { hasText: 'Purge DOMAIN_SALES_EVENTS' }));
  await answer('Purge DOMAIN_SALES_EVENTS', 'Everything');
  await dialog.waitFor({ timeout: 15_000 });
  const question = await dialog.innerText();
  check('the purge asks first, naming what will be lost', /Purge 5 messages from DOMAIN_SALES_EVENTS on /.test(question), question.split('\n')[0]);
  await shot('purge-confirmation.png');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  check('refused, the stream keeps its messages', (await closed()) && /5 msgs/.test(await sales.innerText()), (await sales.innerText()).replace(/\s+/g, ' '));

  // Purge, accepted
  await menuUntil(sales, 'Purge Stream…', page.locator('.quick-input-widget', { hasText: 'Purge DOMAIN_SALES_EVENTS' }));
  await answer('Purge DOMAIN_SALES_EVENTS', 'Everything');
  await dialog.waitFor({ timeout: 15_000 });
  await dialog.locator('.monaco-button', { hasText: /^Purge$/ }).click();
  check('the accepted purge takes all 5: the refused one took none', await toast(/Purged 5 messages from DOMAIN_SALES_EVENTS/));
  await view.locator('.monaco-list-row', { hasText: /DOMAIN_SALES_EVENTS\s*0 msgs/ }).first().waitFor({ timeout: 15_000 }).catch(() => {});
  check('accepted, the stream is empty and the tree says so', /0 msgs/.test(await row('DOMAIN_SALES_EVENTS').innerText()), (await row('DOMAIN_SALES_EVENTS').innerText()).replace(/\s+/g, ' '));

  // Delete a consumer: refused, it stays; accepted, it is gone
  if (!(await row('order-projector').isVisible())) await row('DOMAIN_SALES_EVENTS').click();
  const projector = row('order-projector');
  await projector.waitFor({ timeout: 15_000 });
  await menuUntil(projector, 'Delete Consumer…', dialog);
  const consumerQuestion = await dialog.innerText();
  check('deleting a consumer asks first, naming its position', /Delete consumer order-projector of DOMAIN_SALES_EVENTS on .*\? Its position \(\d+ pending, \d+ unacknowledged\) is lost\./.test(consumerQuestion), consumerQuestion.split('\n')[0]);
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  check('refused, the consumer is still there', (await closed()) && await projector.isVisible());
  await menuUntil(projector, 'Delete Consumer…', dialog);
  await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
  check('accepted, the consumer is deleted (the refused delete left it)', await toast(/Deleted consumer order-projector of DOMAIN_SALES_EVENTS/));
  check('accepted, the consumer leaves the tree', await gone(view.locator('.monaco-list-row', { hasText: 'order-projector' })));

  // Delete a stream: refused, it stays; accepted, it is gone
  const inventory = row('DOMAIN_INVENTORY_EVENTS');
  await menuUntil(inventory, 'Delete Stream…', dialog);
  const streamQuestion = await dialog.innerText();
  check('deleting a stream asks first, naming what goes with it', /Delete stream DOMAIN_INVENTORY_EVENTS on .*, with its .*\?/.test(streamQuestion), streamQuestion.split('\n')[0]);
  await shot('delete-confirmation.png');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  check('refused, the stream is still there', (await closed()) && await inventory.isVisible());
  await menuUntil(inventory, 'Delete Stream…', dialog);
  await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
  check('accepted, the stream is deleted (the refused delete left it)', await toast(/Deleted stream DOMAIN_INVENTORY_EVENTS/));
  check('accepted, the stream leaves the tree', await gone(view.locator('.monaco-list-row', { hasText: 'DOMAIN_INVENTORY_EVENTS' })));

  // A protected connection to the same server: a delete asks for the stream's name to be typed
  await addConnection(page, { url: natsUrl, environment: 'prod', name: 'prod-like', protectedConnection: true });
  const prod = row('prod-like');
  await prod.waitFor({ timeout: 20_000 });
  await row(natsUrl).locator('.monaco-tl-twistie').click(); // fold the first connection: one DOMAIN_SALES_COMMANDS row
  await prod.click();
  await row('Commands').waitFor({ timeout: 30_000 });
  await row('Commands').click();
  const commands = row('DOMAIN_SALES_COMMANDS');
  await commands.waitFor({ timeout: 15_000 });
  await menu(commands, 'Delete Stream…');
  const typed = page.locator('.quick-input-widget', { hasText: 'prod-like is protected: type DOMAIN_SALES_COMMANDS to confirm.' });
  await typed.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {});
  check('on a protected connection the delete asks for the stream\'s name', await typed.isVisible());
  await input.fill('DOMAIN_SALES');
  const refusal = page.locator('.quick-input-widget', { hasText: 'Type DOMAIN_SALES_COMMANDS exactly.' });
  await refusal.waitFor({ timeout: 5_000 }).catch(() => {});
  check('a wrong name is refused as it is typed', await refusal.isVisible());
  await shot('protected-delete.png');
  await page.keyboard.press('Escape');
  check('dismissed, the stream is still there', (await typed.waitFor({ state: 'hidden', timeout: 15_000 }).then(() => true, () => false)) && await commands.isVisible());
  await menuUntil(commands, 'Delete Stream…', typed);
  await input.fill('DOMAIN_SALES_COMMANDS');
  await page.keyboard.press('Enter');
  check('the typed name deletes it (the dismissed prompt left it)', await toast(/Deleted stream DOMAIN_SALES_COMMANDS/));
  check('the typed name deletes it', await gone(view.locator('.monaco-list-row', { hasText: 'DOMAIN_SALES_COMMANDS' })));
  log('done');
});
