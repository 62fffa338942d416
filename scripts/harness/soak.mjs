// `npm run test:soak -- --runs N`: the in-host suites N times in a row after one compile and build, to prove that none
// flakes. Every run of every suite writes its mocha results (test-results/soak/run-<i>/<suite>.json) and its output
// (…/<suite>.log); the report counts failures per test over all runs, and the last line says "soak: N runs, F failures".
// Exit 0 only when nothing failed.
//   --runs N        how many times (default 10)
//   --suite NAME    limit to vscode, vscode-lazy, vscode-nats (both servers) or vscode-nats@<version>; repeatable.
//                   A path (out/test/…) runs that suite folder in test/fixtures/workspace.
//   --grep REGEX    only the tests whose full title matches (CIM_NATS_TEST_GREP)
//   --no-build      use out/ and dist/ as they are
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { natsServers, repo } from './natsServers.mjs';

const usage = 'usage: npm run test:soak -- [--runs N] [--suite vscode|vscode-lazy|vscode-nats|vscode-nats@<version>|out/test/<dir>]… [--grep REGEX] [--no-build]';
let opt;
try {
  ({ values: opt } = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      suite: { type: 'string', multiple: true },
      grep: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  fail(`${e.message}\n${usage}`);
}
const runs = Number(opt.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs wants a whole number of runs from 1 up, not "${opt.runs}".\n${usage}`);

// The in-host suites as test-all.mjs runs them: vscode and vscode-lazy once, vscode-nats once per nats-server.
const known = [
  { name: 'vscode', args: ['--suite', 'out/test/vscode', '--workspace', 'test/fixtures/workspace'] },
  { name: 'vscode-lazy', args: ['--suite', 'out/test/vscode-lazy', '--workspace', 'test/fixtures/plain-workspace'] },
  ...natsServers.filter(s => s.version).map(s => ({
    name: `vscode-nats@${s.version}`,
    args: ['--suite', 'out/test/vscode-nats', '--workspace', 'test/fixtures/workspace', '--nats'],
    env: { NATS_SERVER_BIN: s.bin },
  })),
];
const missing = natsServers.filter(s => !s.version);
if (missing.length) console.log(`soak: vscode-nats will not run on ${missing.map(s => `${s.from}'s nats-server (${s.fix})`).join(', nor on ')}`);

const suites = (opt.suite ?? []).length === 0 ? known : opt.suite.flatMap(wanted => {
  if (wanted.includes('/')) {
    const dir = path.resolve(repo, wanted);
    return [{ name: path.basename(dir), args: ['--suite', path.relative(repo, dir), '--workspace', 'test/fixtures/workspace'] }];
  }
  const found = known.filter(s => s.name === wanted || s.name.startsWith(`${wanted}@`));
  if (found.length === 0) fail(`there is no in-host suite "${wanted}": choose ${known.map(s => s.name).join(', ')}, or a suite folder such as out/test/vscode.\n${usage}`);
  return found;
});

if (!opt['no-build']) {
  for (const step of ['compile', 'build']) {
    console.log(`soak: npm run ${step}`);
    const r = spawnSync('npm', ['run', '-s', step], { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) fail(`npm run ${step} failed (exit ${r.status}): nothing was soaked.`);
  }
}

const outDir = path.join(repo, 'test-results/soak');
fs.rmSync(outDir, { recursive: true, force: true });
/** title → { suite, title, failures, runs: [i], error } */
const failures = new Map();
let failed = 0;
const t0 = Date.now();
for (let i = 1; i <= runs; i++) {
  const parts = [];
  for (const suite of suites) {
    const r = await runSuite(suite, i);
    parts.push(`${suite.name} ${r.passed} passed, ${r.failed.length} failed${r.broken ? ` (${r.broken})` : ''} in ${r.seconds}s`);
    for (const f of r.failed) {
      const key = `${suite.name} › ${f.title}`;
      const entry = failures.get(key) ?? { key, runs: [], error: f.error };
      entry.runs.push(i);
      failures.set(key, entry);
      failed++;
    }
  }
  console.log(`soak: run ${i}/${runs}: ${parts.join('; ')}`);
}

if (failures.size > 0) {
  console.log(`\nsoak: failures per test (of ${runs} runs; logs and results in ${path.relative(repo, outDir)}/run-<i>/):`);
  for (const f of [...failures.values()].sort((a, b) => b.runs.length - a.runs.length || a.key.localeCompare(b.key))) {
    console.log(`  ${f.runs.length}/${runs}  ${f.key}  (runs ${f.runs.join(', ')})${f.error ? `\n        ${firstLine(f.error)}` : ''}`);
  }
}
console.log(`soak: ${runs} run${runs === 1 ? '' : 's'} of ${suites.map(s => s.name).join(', ')} in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
console.log(`soak: ${runs} run${runs === 1 ? '' : 's'}, ${failed} failure${failed === 1 ? '' : 's'}`);
process.exit(failed === 0 ? 0 : 1);

/** One suite once; a suite that ends without its results, or non-zero with no failed test, counts as one failure. */
async function runSuite(suite, i) {
  const dir = path.join(outDir, `run-${i}`);
  fs.mkdirSync(dir, { recursive: true });
  const results = path.join(dir, `${suite.name}.json`);
  const log = fs.openSync(path.join(dir, `${suite.name}.log`), 'w');
  const start = Date.now();
  const env = { ...process.env, ...suite.env, ...(opt.grep ? { CIM_NATS_TEST_GREP: opt.grep } : {}) };
  const code = await new Promise(resolve => {
    const child = spawn(process.execPath, ['scripts/harness/run-vscode-tests.mjs', ...suite.args, '--results', results], { cwd: repo, env, stdio: ['ignore', log, log] });
    child.on('error', () => resolve(1));
    child.on('close', c => resolve(c ?? 1));
  });
  fs.closeSync(log);
  const seconds = ((Date.now() - start) / 1000).toFixed(0);
  let tests = [];
  try {
    tests = JSON.parse(fs.readFileSync(results, 'utf8')).tests ?? [];
  } catch {
    return { passed: 0, failed: [{ title: '(the suite did not finish: no results file)', error: lastLines(path.join(dir, `${suite.name}.log`)) }], broken: `exit ${code}`, seconds };
  }
  const failedTests = tests.filter(t => t.state === 'failed');
  const passed = tests.filter(t => t.state === 'passed').length;
  if (code !== 0 && failedTests.length === 0) {
    return { passed, failed: [{ title: `(the suite exited ${code} with no failed test)`, error: lastLines(path.join(dir, `${suite.name}.log`)) }], broken: `exit ${code}`, seconds };
  }
  return { passed, failed: failedTests, seconds };
}

function lastLines(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

function firstLine(text) {
  const line = String(text).split('\n').find(l => l.trim()) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function fail(message) {
  console.error(`soak: ${message}`);
  process.exit(2);
}
