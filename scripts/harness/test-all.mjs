// `npm test`: every stage in order, each to the end even after a failure, one closing line per stage and the
// plain "N passed, N failed" line last. Tests are counted from mocha's "N passing"/"N failing" lines; a stage
// without such lines (lint, build) counts as one check, and a stage that failed without a failing test as one failure.
import { spawn } from 'node:child_process';

const stages = [
  ['lint', 'npm run -s lint'],
  ['build', 'npm run -s build'],
  ['unit', 'npm run -s test:unit'],
  ['integration', 'npm run -s test:integration'],
  ['vscode', 'npm run -s test:vscode'],
  ['ui', 'npm run -s test:ui'],
  ['harness', 'npm run -s test:harness'],
];

function runStage(command) {
  return new Promise(resolve => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
for (const [name, command] of stages) {
  console.log(`\n[test-all] ${name}: ${command}`);
  const start = Date.now();
  const { code, out } = await runStage(command);
  const counted = /^\s*\d+ (passing|failing)\b/m.test(out);
  const p = counted ? sum(out, 'passing') : code === 0 ? 1 : 0;
  let f = counted ? sum(out, 'failing') : code === 0 ? 0 : 1;
  if (code !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  console.log(`[test-all] ${name} ${code === 0 ? 'ok' : 'FAILED'}: ${p} ${counted ? 'tests' : 'checks'} passed and ${f} failed, exit ${code}, ${((Date.now() - start) / 1000).toFixed(1)}s`);
}
console.log(`[test-all] all stages in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
