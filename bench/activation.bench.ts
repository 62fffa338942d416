// Activation's cost: the bundle VS Code loads at activation against an eager bundle of the same entry (what it would
// be if the NATS code were imported statically), and the time activate() takes in VS Code (code-server 1.100.3, the
// in-host harness) against activating and then loading the NATS code, which the lazy bundle defers to first use.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { percentile, type Figure } from './lib';

const REPO = path.resolve(__dirname, '../..');
const RUNS = 3;

export async function run(): Promise<Figure[]> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-nats-activation-'));
  try {
    const eager = path.join(tmp, 'eager.js');
    execFileSync(path.join(REPO, 'node_modules/.bin/esbuild'), ['src/extension.ts', '--bundle', '--platform=node', '--target=node20', '--format=cjs', '--external:vscode', `--outfile=${eager}`, '--log-level=warning'], { cwd: REPO });
    const lazyBytes = fs.statSync(path.join(REPO, 'dist/extension.js')).size;
    const eagerBytes = fs.statSync(eager).size;
    const samples: { activateMs: number; natsLoadMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(tmp, `run-${i}.json`);
      const r = spawnSync(process.execPath, ['scripts/harness/run-vscode-tests.mjs', '--suite', 'out/test/vscode-lazy', '--workspace', 'test/fixtures/plain-workspace', '--results', path.join(tmp, `results-${i}.json`)], {
        cwd: REPO, env: { ...process.env, CIM_NATS_BENCH_ACTIVATION: out }, encoding: 'utf8',
      });
      if (!fs.existsSync(out)) throw new Error(`the in-host activation run wrote no timing (exit ${r.status}): ${r.stdout.slice(-500)}${r.stderr.slice(-500)}`);
      samples.push(JSON.parse(fs.readFileSync(out, 'utf8')) as { activateMs: number; natsLoadMs: number });
    }
    const activateMs = percentile(samples.map(s => s.activateMs), 50);
    const eagerMs = percentile(samples.map(s => s.activateMs + s.natsLoadMs), 50);
    const sizeRatio = lazyBytes / eagerBytes;
    const timeRatio = activateMs / eagerMs;
    return [
      { name: `activation bundle vs an eager bundle of the same entry (${(lazyBytes / 1024).toFixed(0)} KB vs ${(eagerBytes / 1024).toFixed(0)} KB)`, value: sizeRatio, unit: 'x', goal: '<= 0.8x', ok: sizeRatio <= 0.8 },
      { name: `activate() in VS Code vs activating and loading the NATS code (${activateMs.toFixed(0)} ms vs ${eagerMs.toFixed(0)} ms, median of ${RUNS})`, value: timeRatio, unit: 'x', goal: '<= 0.8x', ok: timeRatio <= 0.8 },
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
