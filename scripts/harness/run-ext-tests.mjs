// Runs an extension's in-host mocha suite in code-server the way VS Code's own browser integration tests do:
// the workbench URL's `payload` carries extensionDevelopmentPath/extensionTestsPath as vscode-remote:// URIs,
// and the workbench calls window.codeAutomationExit(code) when the extension host's suite has ended.
// Usage: node run-ext-tests.mjs <serverUrl> <workspaceFolder> <extensionDevelopmentPath> <extensionTestsPath> [timeoutSec]
// env: VERBOSE=1 echoes the browser console; VSH_STATE holds the Chromium profile (default: the OS temp dir).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';

const [serverUrl, folder, extDev, extTests, timeoutSec = '300'] = process.argv.slice(2);
if (!extTests) {
  console.error('usage: run-ext-tests.mjs <serverUrl> <folder> <extDevPath> <extTestsPath> [timeoutSec]');
  process.exit(64);
}
const base = new URL(serverUrl);
const remote = p => `vscode-remote://${base.host}${path.resolve(p)}`;
const payload = [['extensionDevelopmentPath', remote(extDev)], ['extensionTestsPath', remote(extTests)], ['skipWelcome', 'true']];
const url = `${base.origin}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

const profile = fs.mkdtempSync(path.join(process.env.VSH_STATE || os.tmpdir(), 'chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // Chromium writes crash reports and caches under $HOME unless these point into its profile
  env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let finished = false;
async function finish(code, why) {
  if (finished) return;
  finished = true;
  console.log(`[run-ext-tests] ${why}; exit code ${code} after ${secs()}`);
  await ctx.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}
const page = ctx.pages()[0] ?? await ctx.newPage();
if (process.env.VERBOSE) page.on('console', msg => console.log('[browser]', msg.text()));
page.on('pageerror', e => console.log('[pageerror]', String(e).split('\n')[0]));
// The workbench forwards the extension host's console (mocha's reporter) here; the gallery lookups fail offline.
await page.exposeFunction('codeAutomationLog', (type, args) => {
  const line = util.format(...(Array.isArray(args) ? args : [args]));
  if (process.env.VERBOSE || !/open-vsx\.org|ENOTFOUND/.test(line)) (type === 'error' ? console.error : console.log)(line);
});
await page.exposeFunction('codeAutomationExit', async (code, logs) => {
  if (process.env.VERBOSE && Array.isArray(logs)) for (const l of logs) console.log(`--- ${l.relativePath} ---\n${l.contents}`);
  await finish(code, 'extension host reported the end of the suite');
});
setTimeout(() => void finish(2, `timeout after ${timeoutSec}s`), Number(timeoutSec) * 1000).unref();
console.log('[run-ext-tests] opening', url);
await page.goto(url);
