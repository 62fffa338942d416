// The trace timeline as a person sees it: Trace Correlation… on a conversation stored on the seeded server
// (test/support/traceSeed.ts: branches, a broken link, an orphan, a command no event followed) opens a webview with
// lanes, arrows and flags; the keyboard moves along causation, `c` copies, the lanes switch to streams.
import { createRequire } from 'node:module';
import path from 'node:path';
import { answer, palette, repo, uiRun } from './lib.mjs';

const require = createRequire(import.meta.url);

await uiRun('trace', 7, async ({ page, check, shot, log }) => {
  // View: Close Editor by its own row: Enter would take the first row, which may be a recently used "Close All Editors"
  // (an earlier check leaves an unsaved document that would then ask to be saved)
  const closeActiveEditor = async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>View: Close Editor');
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^View: Close Editor$/ }) }).first().click();
  };
  const natsUrl = process.env.NATS_URL;
  const { connectNats } = require(path.join(repo, 'out/src/nats/connection/connect.js'));
  const { SEED, createSeedStreams, publishSeed } = require(path.join(repo, 'out/test/support/traceSeed.js'));
  const session = await connectNats({ servers: natsUrl });
  try {
    const jsm = await session.jetstreamManager();
    await createSeedStreams(jsm);
    // another check may have stored the conversation already: once is what the counts below expect
    const stored = await jsm.streams.getMessage(SEED.streams.events, { last_by_subj: `dev.domain.sales.order.placed.${SEED.ids.placed}` }).then(m => !!m, () => false);
    if (!stored) log('seeded', await publishSeed(session.jetstream()), 'messages');
  } finally {
    await session.close();
  }

  // the palette lists the extension's commands once its host has started: its status bar item says so
  await page.locator('.statusbar-item', { hasText: 'NATS:' }).first().waitFor({ timeout: 30_000 });

  // Find Messages…: a filter, the whole range, a CEL expression; the matches by time in a message view
  await palette(page, 'CIM NATS: Find Messages');
  const where = page.locator('.quick-input-widget', { hasText: /Find messages on which connection/i });
  const filterPrompt = page.locator('.quick-input-widget', { hasText: 'subject filter' });
  await where.or(filterPrompt).first().waitFor({ state: 'visible', timeout: 20_000 });
  if (await where.isVisible()) await page.locator('.quick-input-list .monaco-list-row', { hasText: natsUrl }).first().click();
  await answer(page, 'subject filter', 'dev.>');
  await answer(page, 'which messages to read', 'All messages');
  await answer(page, 'CEL expression', 'event.data.customer_id == "123"');
  const found = page.locator('.monaco-editor', { hasText: 'event.data.customer_id == "123"' }).first();
  const shown = await found.waitFor({ timeout: 30_000 }).then(() => true, () => false);
  const head = shown ? (await found.innerText()).replace(/\s+/g, ' ') : '';
  check('Find Messages… opens the matches of a CEL expression across the streams of dev.>, by time', shown && /4 matches in \d+ messages/.test(head), head.slice(0, 300));
  await page.locator('.notifications-toasts', { hasText: 'Finding' }).waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await shot('find-result.png');
  // only the editor of this check closes: an earlier check may leave an unsaved one (the coverage report)
  if (shown) await closeActiveEditor();

  await palette(page, 'CIM NATS: Trace Correlation');
  const which = page.locator('.quick-input-widget', { hasText: /on which connection/i });
  const pointed = page.locator('.quick-input-widget', { hasText: /correlation of which message/i });
  const typed = page.locator('.quick-input-widget', { hasText: /A correlation id/i });
  await which.or(pointed).or(typed).first().waitFor({ state: 'visible', timeout: 20_000 });
  if (await pointed.isVisible()) await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Type it' }).first().click();
  if (await which.isVisible().catch(() => false) || await which.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false)) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: natsUrl }).first().click();
  }
  await answer(page, 'A correlation id', SEED.correlationId);

  const frame = page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
  const nodes = frame.locator('.node');
  await nodes.first().waitFor({ timeout: 30_000 });
  const lanes = await frame.locator('.lane-label').allInnerTexts();
  const count = await nodes.count();
  check('Trace Correlation… opens the timeline: the correlation\'s 8 messages in lanes by category', count === 8 && ['Commands', 'Domain events', 'Sagas', 'Projections'].every(l => lanes.includes(l)), `${count} nodes; lanes ${lanes.join(', ')}`);
  const text = (await frame.locator('.nodes').innerText()).replace(/\s+/g, ' ');
  check('the flags show on their messages, icon and words', ['✖ cause not found', '⚠ no cause', '⚠ no event followed'].every(f => text.includes(f)), text.slice(0, 400));

  // room to read it: a wider window, no side bar, no notifications
  await page.setViewportSize({ width: 1600, height: 960 });
  await palette(page, 'View: Toggle Primary Side Bar Visibility');
  await palette(page, 'Notifications: Clear All Notifications');
  // focus, not a click: a click opens the message beside the timeline (checked below); the page takes the focus first
  await frame.locator('.details-title').click();
  await nodes.filter({ hasText: 'PlaceOrder' }).first().focus();
  await frame.locator('.node.selected', { hasText: 'PlaceOrder' }).waitFor({ timeout: 5_000 });
  await page.keyboard.press('ArrowDown');
  const effect = frame.locator('.node.selected[aria-selected="true"]', { hasText: 'OrderPlaced' });
  const moved = await effect.waitFor({ timeout: 5_000 }).then(() => true, () => false);
  const title = await frame.locator('.details-title').innerText().catch(() => '');
  check('↓ moves from the command to the event it caused; the details pane follows', moved && title === 'OrderPlaced', `details: ${title}`);
  await page.keyboard.press('c');
  const status = frame.locator('.status', { hasText: /Copied DOMAIN_SALES_EVENTS #\d+ as a \.nats block/ });
  const copied = await status.waitFor({ timeout: 10_000 }).then(() => true, () => false);
  check('c copies the selected message as a .nats block', copied, await frame.locator('.status').innerText().catch(() => ''));
  await shot('trace-timeline.png');

  await frame.getByText('Lanes by stream').first().click();
  const byStream = await frame.locator('.lane-label', { hasText: SEED.streams.events }).first().waitFor({ timeout: 5_000 }).then(() => true, () => false);
  check('the lanes switch to one per stream', byStream, (await frame.locator('.lane-label').allInnerTexts()).join(', '));
  await shot('trace-timeline-streams.png');

  // a click opens the message in a message view beside the timeline
  await nodes.filter({ hasText: 'OrderShipped' }).first().click();
  const opened = page.locator('.monaco-editor', { hasText: 'OrderShipped' }).first();
  const beside = await opened.waitFor({ timeout: 15_000 }).then(() => true, () => false);
  check('a click on a message opens it in a message view beside the timeline', beside);
});
