// The test helper itself: a private server on loopback, stopped by its PID with its store removed, and the
// binary NATS_SERVER_BIN names (npm test runs every NATS suite once per server version).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connectNats } from '../../src/nats/connection/connect';
import { findNatsServer, startNatsServer } from '../../dev/localServer';

// Read once, so that the log says which server every NATS test of this run ran on.
const bin = findNatsServer();
const version = bin ? execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().replace(/^nats-server:\s*v?/, '') : 'not installed';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(`startNatsServer with nats-server ${version} (${bin ?? 'none found'})`, () => {
  it('runs the binary NATS_SERVER_BIN names, when set, and the server reports that version', async () => {
    if (process.env.NATS_SERVER_BIN) assert.equal(bin, process.env.NATS_SERVER_BIN, 'NATS_SERVER_BIN names no file: the tests would silently run on another server');
    const server = await startNatsServer();
    try {
      const session = await connectNats({ servers: server.url });
      assert.equal(session.nc.info?.version, version);
      await session.close();
    } finally {
      await server.stop();
    }
  });

  it('stops the server it started by PID and removes its store', async () => {
    const server = await startNatsServer();
    assert.match(server.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(alive(server.pid));
    assert.ok(existsSync(server.storeDir));
    await server.stop();
    assert.ok(!alive(server.pid));
    assert.ok(!existsSync(server.storeDir));
  });

  it('takes another free port when the preferred one is busy', async () => {
    const first = await startNatsServer();
    const second = await startNatsServer({ port: first.port });
    try {
      assert.notEqual(second.port, first.port);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('says why a server with a broken config did not start', async () => {
    await assert.rejects(startNatsServer({ config: 'accounts {' }), /^Error: nats-server did not start on 127\.0\.0\.1:\d+:\n.+/);
  });
});
