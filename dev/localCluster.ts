// Starts a private three-node JetStream cluster on loopback for tests; every node can be killed and restarted by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { findNatsServer, freePort } from './localServer';

const READY_TIMEOUT_MS = 10_000;
const META_LEADER_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

export interface NatsClusterOptions {
  /** Number of servers (default 3). */
  nodes?: number;
  /** Config text shared by every node (accounts, users); must not hold `listen`, `server_name`, `jetstream` or `cluster`. */
  config?: string;
  /** A JetStream domain for the whole cluster. */
  domain?: string;
  /** The cluster's name (default "C"). */
  name?: string;
  /** A user with JetStream to wait for the meta leader with, when `config` requires a login. */
  auth?: { user: string; pass: string };
}

export interface NatsClusterNode {
  /** `n1`, `n2`, … as the server names itself (also its server tag, for placement). */
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly clusterPort: number;
  readonly storeDir: string;
  /** The running process's id, or undefined while the node is down. */
  readonly pid: number | undefined;
  /** This node's log (stderr) since it was last started. */
  log(): string;
}

export interface RunningNatsCluster {
  readonly name: string;
  /** The client URLs of every node, in node order. */
  readonly urls: string[];
  readonly nodes: readonly NatsClusterNode[];
  /** Index of the node with this server name, e.g. a stream's leader. */
  indexOf(serverName: string): number;
  /** SIGKILL node i and wait until it has exited: a crash, not a shutdown. */
  kill(i: number): Promise<void>;
  /** Start node i again on the same ports and store, and wait until it is ready. */
  restart(i: number): Promise<void>;
  /** Stop every node (SIGTERM, then SIGKILL) and remove the store dirs. */
  stop(): Promise<void>;
}

/** Nodes started by this process, killed if it exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

interface NodeState {
  name: string;
  port: number;
  clusterPort: number;
  storeDir: string;
  configFile: string;
  child?: ChildProcess;
  exited?: Promise<void>;
  logText: string;
}

export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<RunningNatsCluster> {
  const bin = findNatsServer();
  if (!bin) throw new Error('nats-server is not installed: run `apt-get install -y nats-server` (as root on Debian/Ubuntu).');
  const count = options.nodes ?? 3;
  const clusterName = options.name ?? 'C';
  const tempDir = await mkdtemp(join(tmpdir(), 'cim-nats-cluster-'));
  const nodes: NodeState[] = [];
  try {
    const ports = await distinctFreePorts(count * 2);
    for (let i = 0; i < count; i++) {
      const name = `n${i + 1}`;
      const storeDir = join(tempDir, name);
      await mkdir(storeDir);
      nodes.push({ name, port: ports[2 * i]!, clusterPort: ports[2 * i + 1]!, storeDir, configFile: join(tempDir, `${name}.conf`), logText: '' });
    }
    const routes = nodes.map(n => `"nats-route://127.0.0.1:${n.clusterPort}"`).join(', ');
    for (const n of nodes) {
      // The one config that works on 2.9.10 through 2.15 (see the NATS facts); a tag per node allows placement.
      const text = [
        `listen: "127.0.0.1:${n.port}"`,
        `server_name: "${n.name}"`,
        `server_tags: ["${n.name}"]`,
        `jetstream { store_dir: ${JSON.stringify(n.storeDir)}${options.domain ? `, domain: ${JSON.stringify(options.domain)}` : ''} }`,
        `cluster { name: ${JSON.stringify(clusterName)}, listen: "127.0.0.1:${n.clusterPort}", routes: [${routes}] }`,
        options.config ?? '',
        '',
      ].join('\n');
      await writeFile(n.configFile, text, { mode: 0o600 });
    }
    await Promise.all(nodes.map(n => launch(bin, n)));
    await waitForMetaLeader(nodes.map(n => `nats://127.0.0.1:${n.port}`), options.auth);
  } catch (e) {
    await Promise.all(nodes.map(n => terminate(n)));
    await rm(tempDir, { recursive: true, force: true });
    throw e;
  }

  let stopped: Promise<void> | undefined;
  const at = (i: number) => {
    const n = nodes[i];
    if (!n) throw new Error(`the cluster has no node ${i} (nodes 0..${nodes.length - 1})`);
    return n;
  };
  return {
    name: clusterName,
    urls: nodes.map(n => `nats://127.0.0.1:${n.port}`),
    nodes: nodes.map(n => ({
      name: n.name,
      url: `nats://127.0.0.1:${n.port}`,
      port: n.port,
      clusterPort: n.clusterPort,
      storeDir: n.storeDir,
      get pid() {
        return n.child && running.has(n.child) ? n.child.pid : undefined;
      },
      log: () => n.logText,
    })),
    indexOf: serverName => nodes.findIndex(n => n.name === serverName),
    async kill(i) {
      const n = at(i);
      if (n.child && running.has(n.child)) {
        n.child.kill('SIGKILL');
        await n.exited;
      }
    },
    async restart(i) {
      const n = at(i);
      if (n.child && running.has(n.child)) throw new Error(`node ${n.name} is still running (pid ${n.child.pid})`);
      await launch(bin, n);
    },
    stop: () =>
      (stopped ??= Promise.all(nodes.map(n => terminate(n))).then(() => rm(tempDir, { recursive: true, force: true }))),
  };
}

async function launch(bin: string, n: NodeState): Promise<void> {
  n.logText = '';
  const child = spawn(bin, ['-c', n.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  n.child = child;
  child.stderr!.setEncoding('utf8');
  // Drains stderr for the node's whole life so it never blocks on a full pipe.
  child.stderr!.on('data', (chunk: string) => {
    n.logText = (n.logText + chunk).slice(-64_000);
  });
  n.exited = new Promise<void>(resolve => {
    child.once('exit', () => resolve());
    child.once('error', e => {
      n.logText += `\n${e.message}`;
      resolve();
    });
  }).then(() => {
    running.delete(child);
  });
  const ready = await new Promise<boolean>(resolve => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    const check = () => {
      if (n.logText.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stderr!.on('data', check);
    void n.exited!.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
    check();
  });
  if (!ready) {
    await terminate(n);
    const tail = n.logText.trim().split('\n').slice(-5).join('\n');
    throw new Error(`nats-server ${n.name} did not start on 127.0.0.1:${n.port}:\n${tail}`);
  }
}

async function terminate(n: NodeState): Promise<void> {
  const child = n.child;
  if (!child || !running.has(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await n.exited;
  clearTimeout(timer);
}

/**
 * Until a meta leader exists, JetStream API requests time out; and until it has heard from every peer, an
 * R=nodes stream is refused ("no suitable peers for placement" on 2.15). Ready means such a stream can be made:
 * a probe stream is created and deleted again.
 */
async function waitForMetaLeader(urls: string[], auth: { user: string; pass: string } | undefined): Promise<void> {
  const nc = await connect({ servers: urls, ...(auth ?? {}) });
  const probe = `CLUSTER_READY_${process.pid}_${Date.now()}`;
  try {
    const deadline = Date.now() + META_LEADER_TIMEOUT_MS;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: 2_000 });
        await jsm.getAccountInfo();
        await jsm.streams.add({ name: probe, subjects: [`cluster-ready.${probe}`], num_replicas: urls.length, storage: StorageType.Memory });
        await jsm.streams.delete(probe);
        return;
      } catch (e) {
        last = e;
        await new Promise(r => setTimeout(r, 200));
      }
    }
    throw new Error(`the cluster was not ready for a ${urls.length}-replica stream in ${META_LEADER_TIMEOUT_MS / 1000} s: ${String(last)}`);
  } finally {
    await nc.close();
  }
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}
