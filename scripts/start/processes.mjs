// Child processes of `npm start`: run to completion with their output in a log file, killed by PID on Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

const children = new Set();

/** Runs a command; resolves when it exits 0, rejects with the last lines of its log otherwise. */
export function run(command, args, { cwd, env, logFile }) {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  return new Promise((resolve, reject) => {
    // Its own process group, so Ctrl+C can stop the whole tree (npm rebuild, node-gyp, make) and nothing more.
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    let stdout = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.once('error', e => {
      children.delete(child);
      reject(new Error(`${command} could not start: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      children.delete(child);
      out.end(() => {
        if (code === 0) return resolve(stdout);
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-12).join('\n');
        reject(new Error(`${command} ${args.join(' ')} ${signal ? `was stopped by ${signal}` : `failed (exit ${code})`}; log ${logFile}:\n${tail}`));
      });
    });
  });
}

/** Stops what `run` started and has not finished (Ctrl+C during a build or the code-server install). */
export function killRunning() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  }
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The PID in a pid file when that process still runs and its command line holds `marker`; a stale file is removed. */
export function livePid(pidFile, marker) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  // A pid file that outlived a reboot may name an unrelated process: the command line must match.
  const command = pid > 0 && isAlive(pid) ? spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout : '';
  if (command.includes(marker)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}
