// What a person sees: the CIM NATS activity-bar entry opens the "Subject Algebra" view with the built-in
// CIM-Start algebra and its categories; a .nats file opens as a NATS Playbook.
// Usage (see scripts/harness/run-ui-tests.sh): node workbench.ui.mjs <serverUrl> <workspaceFolder> [extensionDevelopmentPath]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [serverUrl, folder, devPath] = process.argv.slice(2);
const shots = path.join(repo, 'screenshots');
const resultsFile = path.join(repo, 'test-results', 'ui-workbench.json');
fs.mkdirSync(shots, { recursive: true });
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });

const t0 = Date.now();
const log = (...a) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const results = [];
const check = (name, ok, detail = '') => { results.push({ title: name, state: ok ? 'passed' : 'failed', detail }); log(ok ? 'PASS' : 'FAIL', name, detail); };

const base = new URL(serverUrl);
const payload = devPath ? `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${base.host}${path.resolve(devPath)}`]]))}` : '';
const url = `${base.origin}/?folder=${encodeURIComponent(path.resolve(folder))}${payload}`;

const profile = fs.mkdtempSync(path.join(process.env.VSH_STATE || os.tmpdir(), 'chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = ctx.pages()[0] ?? await ctx.newPage();
const EXPECTED = 7;
try {
  log('goto', url);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });

  const entry = page.locator('.activitybar .action-item .action-label[aria-label^="CIM NATS"]').first();
  await entry.waitFor({ timeout: 30_000 });
  check('the activity bar has a CIM NATS entry', await entry.isVisible());
  await entry.click();

  const sidebar = page.locator('.part.sidebar');
  const title = sidebar.getByText(/subject algebra/i).first();
  await title.waitFor({ timeout: 30_000 });
  check('the side bar shows the Subject Algebra view', await title.isVisible(), (await title.innerText()).trim());

  const row = text => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  await row('CIM-Start').waitFor({ timeout: 30_000 });
  check('the view names the algebra in force: CIM-Start', await row('CIM-Start').isVisible(), (await row('CIM-Start').innerText()).replace(/\s+/g, ' '));
  const categories = ['Domain event', 'Command', 'Projection', 'Saga', 'Snapshot'];
  const missing = [];
  for (const c of categories) if (!(await row(c).isVisible())) missing.push(c);
  check('the view lists the five categories', missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : categories.join(', '));

  await row('Domain event').click();
  const stream = row('Stream DOMAIN_');
  await stream.waitFor({ timeout: 15_000 });
  check('a category opens to its tokens and its stream', await stream.isVisible(), (await stream.innerText()).replace(/\s+/g, ' '));
  // the activity bar's tooltip would hide rows in the picture: move away and let it fade
  await page.mouse.move(900, 600);
  await page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  await page.screenshot({ path: path.join(shots, 'subject-algebra-view.png') });

  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type('orders.nats');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'orders.nats' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: 'orders.nats' }).waitFor();
  check('orders.nats opens in an editor tab', true);
  const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
  await mode.getByText('NATS Playbook').waitFor({ timeout: 15_000 }).catch(() => {});
  const modeText = (await mode.innerText().catch(() => '')).trim();
  check('the status bar shows the NATS Playbook language', modeText === 'NATS Playbook', modeText);
  await page.screenshot({ path: path.join(shots, 'nats-playbook.png') });
} catch (e) {
  check('the UI run finished', false, String(e.message).split('\n')[0]);
  await page.screenshot({ path: path.join(shots, 'ui-error.png') }).catch(() => {});
} finally {
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
const passes = results.filter(r => r.state === 'passed').length;
const failures = results.length - passes + Math.max(0, EXPECTED - results.length);
fs.writeFileSync(resultsFile, JSON.stringify({ suite: 'ui/workbench', stats: { passes, failures }, tests: results }, null, 2));
log(`screenshots in ${path.relative(repo, shots)}/`);
// mocha's closing lines, which scripts/harness/test-all.mjs counts
console.log(`\n  ${passes} passing\n  ${failures} failing`);
process.exit(failures === 0 ? 0 : 1);
