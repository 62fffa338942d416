// A playbook as a person runs it: its lenses, a Tail lens opening the SUB block's channel, and a Publish lens whose
// event then shows in that channel, pretty-printed; then the workspace's coverage report against that server.
// Runs after streams.ui.mjs on the same seeded server (NATS_URL).
import { openFile, palette, uiRun } from './lib.mjs';

await uiRun('tails', 6, async ({ page, check, shot, log }) => {
  const natsUrl = process.env.NATS_URL;
  await openFile(page, 'orders.nats');
  const lens = text => page.locator('.monaco-editor .codelens-decoration a', { hasText: text }).first();
  await lens('Tail').waitFor({ timeout: 20_000 });
  // the lenses use the active connection: make it the server from NATS_URL (earlier checks add others)
  await palette(page, 'CIM NATS: Switch Connection');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: natsUrl }).first().click();
  await page.locator('.statusbar-item', { hasText: `NATS: ${natsUrl}` }).first().waitFor({ timeout: 15_000 });
  const lenses = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
  check('the playbook shows Run all, Publish, Tail and Request lenses', ['Run all', 'Publish', 'Tail', 'Request'].every(l => lenses.some(x => x.includes(l))), lenses.join(' | '));
  await shot('playbook-lenses.png');

  await lens('Tail').click();
  const panel = page.locator('.part.panel');
  const channel = panel.locator('.monaco-editor .view-lines').first();
  await panel.locator('select, .monaco-select-box, .output-view-title, .composite.title').first().waitFor({ timeout: 15_000 }).catch(() => {});
  // the editor renders blanks as no-break spaces
  const started = await page.waitForFunction(() => [...document.querySelectorAll('.part.panel .monaco-editor .view-lines')].some(e => /Tailing dev\.domain\.sales\.>/.test((e.textContent ?? '').replace(/\u00a0/g, ' '))), null, { timeout: 15_000 }).then(() => true, () => false);
  check('the Tail lens opens the SUB block\'s own channel', started, started ? '' : (await channel.innerText().catch(() => '')).slice(0, 200));

  await lens('Publish').click();
  const stored = page.locator('.notifications-toasts', { hasText: /stored in DOMAIN_SALES_EVENTS/i }).first();
  await stored.waitFor({ timeout: 15_000 }).catch(() => {});
  check('the Publish lens stores the event and says where', await stored.isVisible(), await page.locator('.notifications-toasts').innerText().catch(() => ''));
  // a second event: its toast (the first one's, replaced or stacked) says where it was stored before the channel switch
  const toasts = page.locator('.notifications-toasts .notification-list-item', { hasText: /stored in DOMAIN_SALES_EVENTS/i });
  const before = await toasts.count();
  await lens('Publish').click();
  await page.waitForFunction(n => document.querySelectorAll('.notifications-toasts .notification-list-item').length > 0
    && [...document.querySelectorAll('.notifications-toasts .notification-list-item')].filter(e => /stored in DOMAIN_SALES_EVENTS/i.test(e.textContent ?? '')).length > n, before, { timeout: 15_000 }).catch(() => {});
  // the run's results go to the Playbook channel: back to the tail's, the panel made tall enough for whole events
  await palette(page, 'Output: Show Output Channels');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'NATS: dev.domain.sales.>' }).first().click();
  await page.locator('.part.panel .action-label[aria-label^="Maximize Panel"]').first().click();
  const shown = await page.waitForFunction(() => [...document.querySelectorAll('.part.panel .monaco-editor .view-lines')].some(e => {
    const t = (e.textContent ?? '').replace(/\u00a0/g, ' ');
    return t.includes('dev.domain.sales.order.placed.') && t.includes('"event_type": "OrderPlaced"');
  }), null, { timeout: 15_000 }).then(() => true, () => false);
  check('the published events show in the tail, pretty-printed', shown, shown ? '' : (await channel.innerText().catch(() => '')).slice(0, 300));
  const counter = page.locator('.statusbar-item', { hasText: /1 tail/ }).first();
  check('the status bar counts the running tail', await counter.isVisible());
  await page.mouse.move(1000, 200);
  await shot('tail-channel.png');

  // The coverage report of the workspace against the connected server, read as a Markdown preview
  // it opens rendered (the Markdown preview), its source one click away
  await palette(page, 'CIM NATS: Stream Coverage Report');
  const preview = page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame().locator('body');
  await preview.getByText('Stream coverage').first().waitFor({ timeout: 30_000 }).catch(() => {});
  // room to read it: no panel, no side bar, no notifications
  await palette(page, 'View: Hide Panel');
  await palette(page, 'View: Toggle Primary Side Bar Visibility');
  await palette(page, 'Notifications: Clear All Notifications');
  const previewText = await preview.innerText({ timeout: 20_000 }).catch(() => '');
  check('the coverage report names the server and the subjects no stream there captures, linked to their lines', /Stream coverage/.test(previewText) && /Subjects and patterns/.test(previewText) && /not stored/i.test(previewText) && /src\/orderEvents\.ts:\d+/.test(previewText) && !/\]\(/.test(previewText), previewText.slice(0, 200).replace(/\s+/g, ' '));
  await page.mouse.move(1000, 200);
  await shot('coverage-report.png');
  log('done');
});
