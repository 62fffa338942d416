// Shared by the UI checks: open the workbench in headless Debian Chromium, record checks, print mocha-style totals.
// Each check script runs as: node <check>.ui.mjs <serverUrl> <workspaceFolder> [extensionDevelopmentPath]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shots = path.join(repo, 'screenshots');

/** Runs `body(ui)` against the workbench and exits with the result; `expected` is the number of checks it makes. */
export async function uiRun(name, expected, body) {
  const [serverUrl, folder, devPath] = process.argv.slice(2);
  const resultsFile = path.join(repo, 'test-results', `ui-${name}.json`);
  fs.mkdirSync(shots, { recursive: true });
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  const t0 = Date.now();
  const log = (...a) => console.log(`[ui ${name} ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
  const results = [];
  const check = (title, ok, detail = '') => { results.push({ title, state: ok ? 'passed' : 'failed', detail }); log(ok ? 'PASS' : 'FAIL', title, detail); };

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
  const shot = file => page.screenshot({ path: path.join(shots, file) });
  try {
    log('goto', url);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await body({ page, check, log, shot, folder });
  } catch (e) {
    check('the UI run finished', false, String(e.message).split('\n')[0]);
    await shot(`ui-${name}-error.png`).catch(() => {});
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const passes = results.filter(r => r.state === 'passed').length;
  const failures = results.length - passes + Math.max(0, expected - results.length);
  fs.writeFileSync(resultsFile, JSON.stringify({ suite: `ui/${name}`, stats: { passes, failures }, tests: results }, null, 2));
  log(`screenshots in ${path.relative(repo, shots)}/`);
  // mocha's closing lines, which scripts/harness/test-all.mjs counts
  console.log(`\n  ${passes} passing\n  ${failures} failing`);
  process.exit(failures === 0 ? 0 : 1);
}

/** Opens a workspace file through Quick Open and waits for its tab. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

export async function palette(page, command) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>' + command);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Answers the quick input titled `title` (typing `text` first, when given) and waits until that prompt has gone: an
 * Enter that lands before the widget takes focus is lost, and is then pressed again.
 */
export async function answer(page, title, text) {
  const widget = page.locator('.quick-input-widget', { hasText: title });
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  if (text !== undefined) await page.locator('.quick-input-widget input').fill(text);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Enter');
    if (await widget.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false)) return;
    if (attempt === 3) throw new Error(`the prompt "${title}" did not take the answer`);
  }
}

/** The add-connection flow as a person goes through it, every prompt answered by typing (no auth, no TLS files). */
export async function addConnection(page, { url, environment, name, protectedConnection = false }) {
  await palette(page, 'CIM NATS: Add Connection');
  await answer(page, 'NATS server address', url);
  await answer(page, 'Authentication', 'No authentication');
  await answer(page, 'TLS', 'No custom TLS files');
  await answer(page, 'JetStream domain', '');
  await answer(page, 'environment this server serves', environment);
  await page.locator('.quick-input-widget', { hasText: 'Safety' }).waitFor({ state: 'visible', timeout: 15_000 });
  if (protectedConnection) {
    // a click on the row ticks it in a multiple choice
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Protected (production)' }).first().click();
    await page.locator('.quick-input-widget', { hasText: '1 Selected' }).waitFor({ timeout: 5_000 });
  }
  await answer(page, 'Safety');
  await answer(page, 'Connection name', name);
}
