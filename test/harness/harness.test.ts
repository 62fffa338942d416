// The harness's own tests: a failing in-host suite must make it exit non-zero, for the right reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

describe('VS Code test harness', function () {
  this.timeout(600_000);

  it('exits non-zero when an in-host test fails, and reports that test', function () {
    const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cim-nats-harness-')), 'failing.json');
    const run = spawnSync(process.execPath, ['scripts/harness/run-vscode-tests.mjs', '--suite', 'out/test/harness/failing', '--results', results], {
      cwd: repo,
      encoding: 'utf8',
    });
    const output = `${run.stdout}\n${run.stderr}`;
    assert.notEqual(run.status, 0, `the harness exited 0 for a failing suite:\n${output}`);
    const { tests } = JSON.parse(fs.readFileSync(results, 'utf8')) as { tests: { title: string; state: string }[] };
    const state = Object.fromEntries(tests.map(t => [t.title, t.state]));
    assert.deepEqual(state, {
      'negative control fails on purpose': 'failed',
      'negative control sees a connection from the extension host in the NATS decoy log': 'passed',
    });
    assert.match(output, /deliberate failure/);
    fs.rmSync(path.dirname(results), { recursive: true, force: true });
  });

  it('soaks a suite: repeats it, counts each failing test over the runs, and exits non-zero', function () {
    const run = spawnSync(process.execPath, ['scripts/harness/soak.mjs', '--runs', '2', '--no-build', '--suite', 'out/test/harness/failing'], { cwd: repo, encoding: 'utf8' });
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 1, output);
    assert.match(run.stdout, /^soak: run 2\/2: failing 1 passed, 1 failed in \d+s$/m);
    assert.match(run.stdout, /^ {2}2\/2 {2}failing › negative control fails on purpose {2}\(runs 1, 2\)\n {8}deliberate failure/m);
    assert.match(run.stdout, /\nsoak: 2 runs, 2 failures\n$/);
  });

  it('refuses a code-shim call without the extension paths', function () {
    const run = spawnSync('scripts/harness/code-shim.sh', ['--no-sandbox'], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 64);
    assert.match(run.stderr, /need --extensionDevelopmentPath and --extensionTestsPath/);
  });
});
