// Mocha entry point that the extension host loads (extensionTestsPath): runs the *.test.js files beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}

/** Runs every `*.test.js` in `dir`, writes the results as JSON to $CIM_NATS_TEST_RESULTS, rejects on any failure. */
export function runSuite(dir: string): Promise<void> {
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.test.js')).sort();
  // a suite that finds no test must fail, or a broken build would pass as "0 failing"
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${dir}`));
  // CIM_NATS_TEST_GREP runs only the tests whose full title matches (a regular expression), e.g. "palette|tails"
  const grep = process.env.CIM_NATS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const f of files) mocha.addFile(path.join(dir, f));
  // out/test/vscode/index.js -> <repo>/test-results/
  const resultsFile = process.env.CIM_NATS_TEST_RESULTS ?? path.resolve(__dirname, '../../../test-results', `${path.basename(dir)}.json`);
  const tests: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
      fs.writeFileSync(resultsFile, JSON.stringify({ suite: dir, stats: runner.stats, tests }, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', t => tests.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: err?.message }));
    runner.on('pending', t => tests.push({ title: t.fullTitle(), state: 'pending' }));
  });
}

export function run(): Promise<void> {
  return runSuite(__dirname);
}
