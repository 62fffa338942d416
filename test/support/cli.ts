// `cim-nats` as a user runs it: a process of the compiled CLI (dist/cli.js bundles the same module unchanged), with
// none of this process's NATS_* or CIM_* variables unless a test gives them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment (which has no NATS_* or CIM_* of its own). */
  env?: Record<string, string>;
  /** Standard input (closed empty without it). */
  input?: string;
  timeoutMs?: number;
  /** Run the bundle (dist/cli.js) instead of the compiled module. */
  bundle?: boolean;
}

const ROOT = join(__dirname, '../../..');
const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NATS_|CIM_)/.test(k)));

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const entry = options.bundle ? join(ROOT, 'dist/cli.js') : join(ROOT, 'out/src/cli/main.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...BASE_ENV, ...options.env },
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', code => resolve({ code, out, err }));
    child.stdin.end(options.input ?? '');
  });
}
