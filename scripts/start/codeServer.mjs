// The VS Code side of `npm start`: the harness's code-server, with the built extension linked into its extensions dir.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { livePid, run } from './processes.mjs';

export function harnessPaths(root) {
  const home = process.env.VSH_HOME ?? join(root, '.vscode-test');
  return { home, harness: join(root, 'scripts', 'harness'), state: join(home, 'start', 'code-server'), logs: join(home, 'start', 'logs') };
}

/** Installs code-server into VSH_HOME when it is not there yet (the harness's script is idempotent). */
export async function setupHarness(root) {
  const p = harnessPaths(root);
  const script = join(p.harness, 'setup.sh');
  if (!existsSync(script)) throw new Error(`${script} is missing: the VS Code harness has not been added to this checkout.`);
  await run('bash', [script], { cwd: root, env: { VSH_HOME: p.home }, logFile: join(p.logs, 'harness-setup.log') });
}

/** A code-server left running by an earlier `npm start` that was killed hard; its pid file is in our own state dir. */
export function staleCodeServer(root) {
  return livePid(join(harnessPaths(root).state, 'server.pid'), 'code-server');
}

/** Links the repository into the extensions dir under the name an installed copy would have; VS Code reads its dist/. */
export function linkExtension(root) {
  const { state } = harnessPaths(root);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  const extDir = join(state, 'ext');
  mkdirSync(extDir, { recursive: true });
  const link = join(extDir, `${id}-${pkg.version}`);
  for (const entry of readdirSync(extDir)) {
    if (entry.toLowerCase().startsWith(`${id}-`) && join(extDir, entry) !== link) remove(join(extDir, entry));
  }
  // Another checkout may have linked itself here before (the state dir lives in VSH_HOME, which can be shared).
  const linked = lstatSync(link, { throwIfNoEntry: false });
  if (!linked?.isSymbolicLink() || readlinkSync(link) !== root) {
    if (linked) remove(link);
    symlinkSync(root, link, 'dir');
  }
  return `${pkg.publisher}.${pkg.name}@${pkg.version}`;
}

/** Removes a link itself (never what it points to), or an installed copy. */
function remove(path) {
  if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
  else rmSync(path, { recursive: true, force: true });
}

/** Starts code-server on the port; resolves with its PID and base URL. `env` reaches its extension hosts (NATS_URL …). */
export async function startCodeServer(root, port, env = {}) {
  const p = harnessPaths(root);
  const out = await run('bash', [join(p.harness, 'start-code-server.sh'), String(port)], {
    cwd: root,
    env: { ...env, VSH_HOME: p.home, VSH_STATE: p.state },
    logFile: join(p.logs, 'code-server-start.log'),
  });
  const [pid, url] = out.trim().split('\n').at(-1).split(' ');
  return { pid: Number(pid), url };
}

export async function stopCodeServer(root) {
  const p = harnessPaths(root);
  await run('bash', [join(p.harness, 'stop-code-server.sh'), p.state], { cwd: root, logFile: join(p.logs, 'code-server-stop.log') });
}
