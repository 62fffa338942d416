// Key-value buckets as a person sees them: the explorer's bucket with its keys (revision, age, size) and a value open
// as pretty JSON beside it; a key's history compared in the diff editor. The bucket is made here on the UI server.
// Usage (see scripts/harness/run-ui-tests.sh): node kv.ui.mjs <serverUrl> <workspaceFolder> [extensionDevelopmentPath]
import { createRequire } from 'node:module';
import path from 'node:path';
import { answer, palette, repo, uiRun } from './lib.mjs';

const require = createRequire(import.meta.url);
const BUCKET = 'SHOP_CONFIG';

await uiRun('kv', 4, async ({ page, check, shot }) => {
  const natsUrl = process.env.NATS_URL;
  const { connectNats } = require(path.join(repo, 'out/src/nats/connection/connect.js'));
  const kv = require(path.join(repo, 'out/src/nats/kv/index.js'));
  const session = await connectNats({ servers: natsUrl });
  const json = o => new TextEncoder().encode(JSON.stringify(o));
  try {
    await kv.createBucket(session, BUCKET, { history: 10, description: 'shop settings' }).catch(() => undefined);
    if (!(await kv.getValue(session, BUCKET, 'checkout.limits'))) {
      const r1 = await kv.createKey(session, BUCKET, 'checkout.limits', json({ maxItems: 20, currency: 'EUR', express: false }));
      await kv.createKey(session, BUCKET, 'checkout.regions', json(['de', 'fr', 'nl']));
      await kv.createKey(session, BUCKET, 'features.search', json({ enabled: true, engine: 'v2' }));
      await kv.createKey(session, BUCKET, 'banner', new TextEncoder().encode('Winter sale: 10% off'));
      await kv.updateValue(session, BUCKET, 'checkout.limits', json({ maxItems: 25, currency: 'EUR', express: true }), r1);
    }
  } finally {
    await session.close();
  }

  const entry = page.locator('.activitybar .action-item .action-label[aria-label^="CIM NATS"]').first();
  await entry.waitFor({ timeout: 30_000 });
  await entry.click();
  const sidebar = page.locator('.part.sidebar');
  const view = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: /jetstream/i }) }).first();
  await view.waitFor({ timeout: 30_000 });
  const row = text => view.locator('.monaco-list-row', { hasText: text }).first();
  const conn = row(natsUrl);
  await conn.waitFor({ timeout: 30_000 });
  if (!(await row('Key-value buckets').isVisible().catch(() => false))) await conn.click();
  await row('Key-value buckets').waitFor({ timeout: 30_000 });
  await row('Key-value buckets').click();
  const bucket = row(BUCKET);
  await bucket.waitFor({ timeout: 15_000 });
  const figures = (await bucket.innerText()).replace(/\s+/g, ' ');
  check('the bucket shows its keys, bytes, history and TTL (not a KV_ stream)', /4 keys · .*B · history 10 · TTL none · R1/.test(figures) && !(await row(`KV_${BUCKET}`).isVisible()), figures);
  await bucket.click();
  const limits = row('checkout.limits');
  await limits.waitFor({ timeout: 15_000 });
  const keyText = (await limits.innerText()).replace(/\s+/g, ' ');
  check('its keys show revision, age and size', /rev 5 · \d+ (s|min) ago · \d+ B/.test(keyText), keyText);
  await limits.click();
  const editor = page.locator('.monaco-editor', { hasText: '"maxItems": 25' }).first();
  const opened = await editor.waitFor({ timeout: 15_000 }).then(() => true, () => false);
  check('a click opens the value as pretty-printed JSON', opened && /checkout\.limits/.test(await page.locator('.tabs-container .tab.active').innerText()));
  await page.mouse.move(1000, 600);
  await shot('kv-bucket-value.png');

  // the key's history: revision 1 against the latest, in the diff editor
  await limits.hover();
  await limits.locator('.action-label[aria-label^="Key History"]').click();
  await page.locator('.quick-input-widget', { hasText: 'revisions (newest first)' }).waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'rev 1' }).first().click();
  await answer(page, 'Revision 1 of checkout.limits', 'Compare with Latest');
  // both sides drawn: theirs (revision 1) on the left, the latest on the right
  const diff = page.locator('.monaco-diff-editor').first();
  const left = diff.locator('.editor.original .view-lines', { hasText: '"maxItems": 20' });
  const right = diff.locator('.editor.modified .view-lines', { hasText: '"maxItems": 25' });
  const shown = await left.waitFor({ timeout: 15_000 }).then(() => right.waitFor({ timeout: 15_000 })).then(() => true, () => false);
  await page.mouse.move(1000, 600);
  check('Key History… compares revision 1 with the latest in the diff editor', shown && /revision 1 ↔ latest \(5\)/.test(await page.locator('.tabs-container .tab.active').innerText()));
  await shot('kv-history-diff.png');
  await palette(page, 'View: Close All Editors');
});
