// Live charts as a person sees them: a producer publishes steadily and a consumer acknowledges slower; the stream's
// dashboard draws its charts (hover read-out, the range switched to the hour) and the consumer's dashboard shows its lag
// in time growing. Screenshots: dashboard-stream.png, dashboard-consumer.png.
import { createRequire } from 'node:module';
import path from 'node:path';
import { answer, palette, repo, uiRun } from './lib.mjs';

const require = createRequire(import.meta.url);
const STREAM = `UI_DASH_${process.pid}`;

await uiRun('dashboards', 5, async ({ page, check, shot, log }) => {
  const natsUrl = process.env.NATS_URL;
  const { connectNats } = require(path.join(repo, 'out/src/nats/connection/connect.js'));
  const session = await connectNats({ servers: natsUrl });
  const jsm = await session.jetstreamManager();
  await jsm.streams.add({ name: STREAM, subjects: [`uidash.${process.pid}.>`], storage: 'memory' });
  await jsm.consumers.add(STREAM, { durable_name: 'slow-billing', ack_policy: 'explicit' });
  const js = session.jetstream();
  const consumer = await js.consumers.get(STREAM, 'slow-billing');
  let n = 0;
  // the producer: 4 messages every half second; the consumer: 2 acknowledged a second
  const producer = setInterval(() => {
    for (let i = 0; i < 4; i++) void js.publish(`uidash.${process.pid}.order.placed`, JSON.stringify({ n: n++ })).catch(() => undefined);
  }, 500);
  let acking = false;
  const acker = setInterval(() => {
    if (acking) return;
    acking = true;
    void consumer.fetch({ max_messages: 2, expires: 1000 }).then(async batch => { for await (const m of batch) await m.ackAck(); })
      .catch(() => undefined).finally(() => (acking = false));
  }, 1000);
  try {
    await page.locator('.statusbar-item', { hasText: 'NATS:' }).first().waitFor({ timeout: 30_000 });
    await page.setViewportSize({ width: 1500, height: 1000 });
    const pickConnection = async () => {
      const which = page.locator('.quick-input-widget', { hasText: /of which connection/i });
      if (await which.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) {
        await page.locator('.quick-input-list .monaco-list-row', { hasText: natsUrl }).first().click();
      }
    };
    const webview = () => page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();

    await palette(page, 'CIM NATS: Open Stream Dashboard');
    await pickConnection();
    await answer(page, 'Open the dashboard of which stream?', STREAM);
    let frame = webview();
    await frame.locator('.chart canvas').nth(2).waitFor({ timeout: 30_000 });
    const inRate = frame.locator('.figure', { hasText: 'In' }).locator('dd');
    const flowing = await inRate.filter({ hasText: /^[1-9][\d.,]*\/s$/ }).waitFor({ timeout: 30_000 }).then(() => true, () => false);
    // a few polls' worth of points before the picture: 100 messages or more stored
    await frame.locator('.figure', { hasText: 'Stored' }).locator('dd').filter({ hasText: /^(\d{4,}|[1-9]\d{2}|[1-9],\d{3}) msgs$/ }).waitFor({ timeout: 30_000 });
    const titles = await frame.locator('.chart figcaption').allInnerTexts();
    check('the stream dashboard draws its charts, messages flowing in', flowing && ['Stored messages', 'Stored bytes', 'Messages per second'].every(t => titles.includes(t)), `${titles.join(', ')}; in ${await inRate.innerText().catch(() => '?')}`);
    const source = await frame.locator('.source').innerText();
    check('the page says where its figures come from and how often', /^Sampled every 2 s from nats:\/\/.*: the stream list and the consumer lists of streams with consumers/.test(source), source);

    // hover read-out: the legend shows the value under the cursor
    const plot = frame.locator('.chart', { hasText: 'Stored messages' }).locator('.u-over');
    const box = await plot.boundingBox();
    if (box) await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    const readout = frame.locator('.chart', { hasText: 'Stored messages' }).locator('.u-legend .u-series').nth(1).locator('.u-value');
    const value = await readout.filter({ hasText: /^\d[\d,]*$/ }).waitFor({ timeout: 10_000 }).then(() => readout.innerText(), () => readout.innerText().catch(() => ''));
    check('hovering a chart reads out the value under the cursor', /^\d[\d,]*$/.test(value), value);
    await shot('dashboard-stream.png');

    await frame.getByText('Last hour').first().click();
    const kept = await frame.locator('.chart canvas').nth(2).waitFor({ timeout: 10_000 }).then(() => true, () => false);
    check('the range switches to the last hour, the charts still drawn', kept);

    await palette(page, 'CIM NATS: Open Consumer Dashboard');
    await pickConnection();
    await answer(page, 'Open the dashboard of which consumer?', STREAM);
    await answer(page, 'Open the dashboard of which consumer?', 'slow-billing');
    frame = webview();
    const lag = frame.locator('.figure', { hasText: 'Lag' }).locator('dd');
    const growing = await lag.filter({ hasText: /\(growing\)/ }).waitFor({ timeout: 45_000 }).then(() => true, () => false);
    check('a consumer acknowledging slower than the producer publishes shows its lag in time growing', growing, await lag.innerText().catch(() => '?'));
    await shot('dashboard-consumer.png');
    log('lag', await lag.innerText().catch(() => '?'));
  } finally {
    clearInterval(producer);
    clearInterval(acker);
    await jsm.streams.delete(STREAM).catch(() => undefined);
    await session.close();
  }
});
