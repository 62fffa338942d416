// Starts a private nats-server for a test (or the local demo) and stops exactly that process again.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian's binary; elsewhere `NATS_SERVER_BIN` or the first `nats-server` on PATH. */
export const NATS_SERVER_BIN = '/usr/sbin/nats-server';
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;

export interface NatsServerOptions {
  /** nats-server config text (accounts, `jetstream { domain: … }`); listen address and store dir come from flags. */
  config?: string;
  /** JetStream on (default) or off. */
  jetstream?: boolean;
  /** A JetStream domain; written as a `jetstream { domain }` block, so `config` must not hold its own. */
  domain?: string;
  /** A port to prefer when it is free (e.g. 4222); otherwise a free one is picked. */
  port?: number;
}

export interface RunningNatsServer {
  url: string;
  port: number;
  /** The current process (a new one after `restart()`). */
  readonly pid: number;
  storeDir: string;
  /** The server's log so far (stderr), for error messages. */
  log(): string;
  /** Starts the same binary on the same port, config and store again, once the current process is gone (stopping it if need be). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Servers started by this process, killed if the process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startNatsServer(options: NatsServerOptions = {}): Promise<RunningNatsServer> {
  const bin = findNatsServer();
  if (!bin) throw new Error('nats-server is not installed: run `apt-get install -y nats-server` (as root on Debian/Ubuntu).');
  const tempDir = await mkdtemp(join(tmpdir(), 'cim-nats-server-'));
  const storeDir = join(tempDir, 'store');
  try {
    // A free port can be taken between the probe and the bind; one retry covers that race.
    for (let attempt = 0; ; attempt++) {
      const port = attempt === 0 && options.port && (await isPortFree(options.port)) ? options.port : await freePort();
      try {
        return await launch(bin, options, tempDir, storeDir, port);
      } catch (e) {
        if (attempt >= 1 || !/address already in use/i.test(String(e))) throw e;
      }
    }
  } catch (e) {
    await rm(tempDir, { recursive: true, force: true });
    throw e;
  }
}

async function launch(bin: string, options: NatsServerOptions, tempDir: string, storeDir: string, port: number): Promise<RunningNatsServer> {
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (options.jetstream !== false) args.push('-js', '-sd', storeDir);
  const configText = [options.config ?? '', options.domain ? `jetstream { domain: "${options.domain}" }` : ''].join('\n');
  if (configText.trim()) {
    const configFile = join(tempDir, 'nats-server.conf');
    await writeFile(configFile, configText, { mode: 0o600 });
    args.push('-c', configFile);
  }
  let current = await spawnReady(bin, args, port);
  let earlierLogs = '';
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= current.kill().then(() => rm(tempDir, { recursive: true, force: true })));
  const restart = async () => {
    if (stopped) throw new Error(`nats-server on 127.0.0.1:${port} was stopped; it cannot be restarted.`);
    await current.kill();
    earlierLogs += current.log();
    current = await spawnReady(bin, args, port);
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return current.pid;
    },
    storeDir,
    log: () => earlierLogs + current.log(),
    restart,
    stop,
  };
}

interface ServerProcess {
  pid: number;
  log(): string;
  /** Ends the process (SIGTERM, then SIGKILL) and resolves once it has exited; at once if it already had. */
  kill(): Promise<void>;
}

async function spawnReady(bin: string, args: string[], port: number): Promise<ServerProcess> {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let log = '';
  child.stderr!.setEncoding('utf8');
  // Keeps draining stderr for the server's whole life so it never blocks on a full pipe.
  child.stderr!.on('data', (chunk: string) => {
    log = (log + chunk).slice(-64_000);
  });
  // A binary that cannot be spawned reports 'error' and may never report 'exit'.
  const exited = new Promise<void>(resolve => {
    child.once('exit', () => resolve());
    child.once('error', e => {
      log += `\n${e.message}`;
      resolve();
    });
  }).then(() => {
    running.delete(child);
  });

  const ready = await new Promise<boolean>(resolve => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    const check = () => {
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stderr!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
    check();
  });

  const kill = async () => {
    if (running.has(child)) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
  };
  if (!ready) {
    await kill();
    const tail = log.trim().split('\n').slice(-5).join('\n');
    throw new Error(`nats-server did not start on 127.0.0.1:${port}:\n${tail}`);
  }
  return { pid: child.pid!, log: () => log, kill };
}

export function findNatsServer(): string | undefined {
  const candidates = [process.env.NATS_SERVER_BIN, NATS_SERVER_BIN, ...(process.env.PATH ?? '').split(delimiter).map(d => d && join(d, 'nats-server'))];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** A loopback port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
