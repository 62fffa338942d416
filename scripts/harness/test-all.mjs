// `npm test`: every stage in order, each to the end even after a failure, one closing line per stage and the
// plain "N passed, N failed" line last. Tests are counted from mocha's "N passing"/"N failing" lines; a stage
// without such lines (lint, build) counts as one check, and a stage that failed without a failing test as one failure.
// The NATS stages run once per server: bookworm's nats-server 2.9.10 and Debian sid's (scripts/nats/fetch-debian-nats.sh),
// the binary passed as NATS_SERVER_BIN and its version, read from `--version`, in the stage's name.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { natsServers, repo } from './natsServers.mjs';

/** One stage per server, named by its version; a server that is missing or does not run fails its stage with a sentence. */
const perServer = (name, command) => natsServers.map(s => ({
  name: `${name} (nats-server ${s.version ?? `from ${s.from}`})`,
  command,
  env: { NATS_SERVER_BIN: s.bin },
  missing: s.version ? undefined : `${fs.existsSync(s.bin) ? `${s.bin} does not run or print a version` : `no nats-server at ${s.bin}`}: ${s.fix}.`,
}));

const stages = [
  { name: 'lint', command: 'npm run -s lint' },
  { name: 'build', command: 'npm run -s build' },
  { name: 'unit', command: 'npm run -s test:unit' },
  ...perServer('integration', 'npm run -s test:integration'),
  { name: 'vscode', command: 'npm run -s test:vscode' },
  // in-host suites that start their own servers from NATS_SERVER_BIN (dev/localServer.ts); the vscode stage built them
  ...(fs.existsSync(path.join(repo, 'test/vscode-nats'))
    ? perServer('vscode-nats', 'node scripts/harness/run-vscode-tests.mjs --suite out/test/vscode-nats --workspace test/fixtures/workspace --nats')
    : []),
  { name: 'ui', command: 'npm run -s test:ui' },
  { name: 'harness', command: 'npm run -s test:harness' },
];

function runStage(command, env) {
  return new Promise(resolve => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', d => { out += d; process.stdout.write(d); });
    child.stderr.on('data', d => { out += d; process.stderr.write(d); });
    child.on('close', code => resolve({ code: code ?? 1, out }));
  });
}

const sum = (out, word) => [...out.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
let passed = 0;
let failed = 0;
const t0 = Date.now();
for (const { name, command, env, missing } of stages) {
  console.log(`\n[test-all] ${name}: ${env ? `${Object.entries(env).map(([k, v]) => `${k}=${v.startsWith(`${repo}/`) ? path.relative(repo, v) : v}`).join(' ')} ` : ''}${command}`);
  if (missing) {
    failed += 1;
    console.log(`[test-all] ${name} FAILED: ${missing}`);
    continue;
  }
  const start = Date.now();
  const { code, out } = await runStage(command, env);
  const counted = /^\s*\d+ (passing|failing)\b/m.test(out);
  const p = counted ? sum(out, 'passing') : code === 0 ? 1 : 0;
  let f = counted ? sum(out, 'failing') : code === 0 ? 0 : 1;
  if (code !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  console.log(`[test-all] ${name} ${code === 0 ? 'ok' : 'FAILED'}: ${p} ${counted ? 'tests' : 'checks'} passed and ${f} failed, exit ${code}, ${((Date.now() - start) / 1000).toFixed(1)}s`);
}
console.log(`[test-all] all stages in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
const ran = natsServers.filter(s => s.version).map(s => s.version);
const lacking = natsServers.filter(s => !s.version).map(s => `${s.from}'s`);
console.log(`[test-all] NATS tests ran on ${ran.length ? `nats-server ${ran.join(' and ')}` : 'no nats-server'}${lacking.length ? ` (${lacking.join(' and ')} missing)` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
