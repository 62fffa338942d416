// Loopback helpers for the in-host runner: a free port, a real nats-server, and a decoy posing as NATS.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, ms = 10000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    const ok = await new Promise(r => net.connect(port, '127.0.0.1').once('connect', function () { this.destroy(); r(true); }).once('error', () => r(false)));
    if (ok) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`nats-server did not listen on ${port} within ${ms} ms`);
}

/** nats-server with JetStream on a free loopback port and a store dir inside `dir`; stop() ends it by PID. */
export async function startNatsServer(dir) {
  const port = await freePort();
  const store = path.join(dir, 'jetstream');
  fs.mkdirSync(store, { recursive: true });
  // the same override as src/nats/localServer.ts (this runner starts before any build, so it cannot import it)
  const bin = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';
  const child = spawn(bin, ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.pipe(fs.createWriteStream(path.join(dir, 'nats-server.log')));
  await waitForPort(port, child);
  const stop = () => new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid, 'SIGTERM');
  });
  return { url: `nats://127.0.0.1:${port}`, pid: child.pid, stop };
}

/**
 * A plain TCP listener that greets like a NATS server and appends one line per accepted connection to `logFile`,
 * so a suite can assert that nothing connected. It takes the default NATS port 4222 too when that is free,
 * because a client given no server falls back to it.
 */
export async function startNatsDecoy(logFile) {
  fs.writeFileSync(logFile, '');
  const servers = [];
  const sockets = new Set();
  const listen = port => new Promise(resolve => {
    const s = net.createServer(sock => {
      fs.appendFileSync(logFile, `${new Date().toISOString()} connection to ${sock.localPort} from ${sock.remotePort}\n`);
      sockets.add(sock);
      sock.on('error', () => {}).on('close', () => sockets.delete(sock));
      sock.write(`INFO {"server_id":"decoy","version":"2.9.10","host":"127.0.0.1","port":${sock.localPort},"max_payload":1048576,"proto":1}\r\n`);
    });
    s.once('error', () => resolve(undefined)).listen(port, '127.0.0.1', () => { servers.push(s); resolve(s.address().port); });
  });
  const ports = [await listen(0), await listen(4222)].filter(p => p !== undefined);
  const stop = () => {
    for (const sock of sockets) sock.destroy();
    return Promise.all(servers.map(s => new Promise(r => s.close(() => r()))));
  };
  return { urls: ports.map(p => `nats://127.0.0.1:${p}`), stop };
}
