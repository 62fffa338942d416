// The project's entry for in-host suites: @vscode/test-electron's runTests, pointed at the code-server shim
// (default; VS Code's desktop build cannot be downloaded on this kind of machine) or at a downloaded desktop
// VS Code when CIM_NATS_TEST_DESKTOP=1 (on Linux that needs a display, e.g. xvfb-run).
// Usage: node scripts/harness/run-vscode-tests.mjs [--suite out/test/vscode] [--workspace test/fixtures/workspace]
//        [--results test-results/vscode.json] [--nats]      --nats: start a nats-server for the suite
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startNatsDecoy, startNatsServer } from './natsPorts.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opt } = parseArgs({
  options: {
    suite: { type: 'string', default: 'out/test/vscode' },
    workspace: { type: 'string', default: 'test/fixtures/workspace' },
    results: { type: 'string' },
    nats: { type: 'boolean', default: false },
  },
});
const suite = path.resolve(repo, opt.suite);
const results = path.resolve(repo, opt.results ?? `test-results/${path.basename(suite)}.json`);
const desktop = process.env.CIM_NATS_TEST_DESKTOP === '1';
const home = process.env.VSH_HOME || path.join(repo, '.vscode-test');
for (const f of [path.join(repo, 'dist/extension.js'), path.join(suite, 'index.js')]) {
  if (!fs.existsSync(f)) { console.error(`[vscode-tests] missing ${f}: run npm run compile && npm run build`); process.exit(1); }
}

fs.mkdirSync(home, { recursive: true });
const run = fs.mkdtempSync(path.join(home, 'tests-'));
const workspace = path.join(run, 'workspace');
// a copy, so that suites may edit, create and delete files
fs.cpSync(path.resolve(repo, opt.workspace), workspace, { recursive: true });
fs.mkdirSync(path.dirname(results), { recursive: true });
fs.rmSync(results, { force: true });

const decoyLog = path.join(run, 'nats-decoy.log');
const decoy = await startNatsDecoy(decoyLog);
const nats = opt.nats ? await startNatsServer(path.join(run, 'nats')) : undefined;
const env = {
  CIM_NATS_TEST_RESULTS: results,
  CIM_NATS_TEST_WORKSPACE: workspace,
  CIM_NATS_TEST_DECOY_LOG: decoyLog,
  CIM_NATS_TEST_DECOY_URLS: decoy.urls.join(','),
  // the runner's server reaches the extension as users give theirs: NATS_URL
  ...(nats ? { CIM_NATS_TEST_NATS_URL: nats.url, NATS_URL: nats.url } : {}),
  ...(process.env.NATS_SERVER_BIN ? { NATS_SERVER_BIN: process.env.NATS_SERVER_BIN } : {}),
};
const t0 = Date.now();
let code = 1;
try {
  code = await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: suite,
    launchArgs: [workspace, `--user-data-dir=${path.join(run, 'user-data')}`, `--extensions-dir=${path.join(run, 'extensions')}`],
    extensionTestsEnv: env,
    ...(desktop
      ? { version: process.env.CIM_NATS_TEST_VSCODE_VERSION || '1.100.3' }
      : { vscodeExecutablePath: path.join(repo, 'scripts/harness/code-shim.sh') }),
  });
} catch (e) {
  code = typeof e?.code === 'number' && e.code !== 0 ? e.code : 1;
  console.error(`[vscode-tests] ${e.message}`);
} finally {
  await nats?.stop();
  await decoy.stop();
  if (process.env.KEEP !== '1') fs.rmSync(run, { recursive: true, force: true });
}
let summary = 'no results file: the suite did not run to its end';
if (!fs.existsSync(results)) code ||= 1;
else {
  const { stats } = JSON.parse(fs.readFileSync(results, 'utf8'));
  summary = `${stats.passes} passing, ${stats.failures} failing`;
}
console.log(`[vscode-tests] ${path.relative(repo, suite)} in ${desktop ? 'desktop VS Code' : 'code-server'}: ${summary}; exit ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
process.exit(code);
