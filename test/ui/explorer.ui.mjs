// What a person sees in the JetStream explorer: the server from NATS_URL (scripts/harness/ui-nats.mjs seeds it),
// its categories, a domain stream with its figures, its event types and its consumer.
// Usage (see scripts/harness/run-ui-tests.sh): node explorer.ui.mjs <serverUrl> <workspaceFolder> [extensionDevelopmentPath]
import { addConnection, uiRun } from './lib.mjs';

await uiRun('explorer', 8, async ({ page, check, shot }) => {
  const natsUrl = process.env.NATS_URL;
  const entry = page.locator('.activitybar .action-item .action-label[aria-label^="CIM NATS"]').first();
  await entry.waitFor({ timeout: 30_000 });
  await entry.click();
  const sidebar = page.locator('.part.sidebar');
  const view = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: /jetstream/i }) }).first();
  await view.waitFor({ timeout: 30_000 });
  check('the CIM NATS side bar has a JetStream view', await view.isVisible());

  const row = text => view.locator('.monaco-list-row', { hasText: text }).first();
  const conn = row(natsUrl);
  await conn.waitFor({ timeout: 30_000 });
  check('the server from NATS_URL is listed with no settings', await conn.isVisible(), (await conn.innerText()).replace(/\s+/g, ' '));
  await conn.click();

  await row('Domain events').waitFor({ timeout: 30_000 });
  check('expanding it connects and shows the algebra\'s categories', await row('Commands').isVisible() && await row('Server').isVisible());
  await row('Domain events').click();
  const stream = row('DOMAIN_SALES_EVENTS');
  await stream.waitFor({ timeout: 15_000 });
  const figures = (await stream.innerText()).replace(/\s+/g, ' ');
  check('a stream row shows messages, bytes and last activity', /5 msgs · .*B · .* ago/.test(figures), figures);
  await stream.click();
  await row('Event types').waitFor({ timeout: 15_000 });
  await row('Event types').click();
  const created = row('order › created');
  await created.waitFor({ timeout: 15_000 });
  check('the event types show with their counts', /order › created\s*3/.test(await created.innerText()), (await created.innerText()).replace(/\s+/g, ' '));
  const consumer = row('order-projector');
  check('the stream\'s consumer shows pending and ack pending', /pending/.test(await consumer.innerText()), (await consumer.innerText()).replace(/\s+/g, ' '));
  // a wider side bar, so the picture shows the rows' figures whole
  const edge = (await sidebar.boundingBox())?.x + (await sidebar.boundingBox())?.width;
  let box = null;
  for (const sash of await page.locator('.monaco-sash.vertical').all()) {
    const b = await sash.boundingBox().catch(() => null);
    if (b && Math.abs(b.x + b.width / 2 - edge) < 6 && b.height > 300) box = b;
  }
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + 300);
    await page.mouse.down();
    await page.mouse.move(620, box.y + 300, { steps: 8 });
    await page.mouse.up();
  }
  await page.mouse.move(1000, 600);
  await page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  await shot('explorer.png');

  // The add-connection flow as a person goes through it: every prompt answered by typing.
  await addConnection(page, { url: natsUrl, environment: 'dev', name: 'added-by-hand' });
  const saved = page.locator('.notifications-toasts', { hasText: 'Connection added-by-hand saved and tested.' });
  await saved.waitFor({ timeout: 20_000 }).catch(() => {});
  check('the add-connection flow tests the connection and saves it', await saved.isVisible());
  const added = row('added-by-hand');
  await added.waitFor({ timeout: 15_000 }).catch(() => {});
  check('the new connection appears in the tree', await added.isVisible());
});
