// The test helper itself: a private server on loopback, stopped by its PID with its store removed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startNatsServer } from '../../src/nats/localServer';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startNatsServer', () => {
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
