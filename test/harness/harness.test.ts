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

  it('refuses a code-shim call without the extension paths', function () {
    const run = spawnSync('scripts/harness/code-shim.sh', ['--no-sandbox'], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 64);
    assert.match(run.stderr, /need --extensionDevelopmentPath and --extensionTestsPath/);
  });
});
