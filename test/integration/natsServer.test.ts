// The test helpers themselves: a private server on loopback, stopped by its PID with its store removed, the binary
// NATS_SERVER_BIN names (npm test runs every NATS suite once per server version), and the one fixture every suite uses.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connectNats, type NatsSession } from '../../src/nats/connection/connect';
import { findNatsServer, startNatsServer, type RunningNatsServer } from '../../dev/localServer';
import { natsServerVersion, useNatsServer, useNatsServers, withNatsServer } from '../support/natsFixture';

// Read once, so that the log says which server every NATS test of this run ran on.
const bin = findNatsServer();
const version = natsServerVersion();

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

  describe('the fixture every suite uses', () => {
    const seen: { server: RunningNatsServer; session: NatsSession; closedBeforeStop?: boolean }[] = [];

    describe('useNatsServer({ perTest: true, session: true })', () => {
      const nats = useNatsServer({ perTest: true, session: true });
      for (const n of [1, 2]) {
        it(`gives test ${n} a server of its own with a session on it, and JetStream`, async () => {
          assert.ok(alive(nats.server.pid));
          assert.equal(nats.url, nats.server.url);
          assert.equal(nats.session.nc.info?.version, version);
          assert.equal((await (await nats.jsm()).getAccountInfo()).streams, 0);
          assert.ok(!seen.some(s => s.server.pid === nats.server.pid));
          const entry: (typeof seen)[number] = { server: nats.server, session: nats.session };
          nats.defer(() => (entry.closedBeforeStop = !entry.session.nc.isClosed() && alive(entry.server.pid)));
          seen.push(entry);
        });
      }
    });

    // (mocha runs a suite's tests before its child suites: each check after a fixture is a suite of its own)
    describe('after each of those tests', () => {
      it('had run what the test deferred first, then closed its session and stopped its server by PID, store removed', () => {
        assert.equal(seen.length, 2);
        for (const s of seen) {
          assert.equal(s.closedBeforeStop, true, 'the deferred clean-up ran while session and server were up');
          assert.ok(s.session.nc.isClosed());
          assert.ok(!alive(s.server.pid));
          assert.ok(!existsSync(s.server.storeDir));
        }
      });
    });

    describe('useNatsServers()', () => {
      const nats = useNatsServers();
      it('starts the servers a test asks for, with their own config, and connects to the last one', async () => {
        const plain = await nats.start();
        const secured = await nats.start({ config: 'authorization { token: "t0k" }' });
        assert.equal(nats.server, secured);
        const session = await nats.connect({ token: 't0k' });
        assert.equal(session.server, secured.url);
        seen.splice(0, seen.length, { server: plain, session }, { server: secured, session });
      });
    });

    describe('after that test', () => {
      it('had stopped both servers and closed the session', () => {
        assert.equal(seen.length, 2);
        for (const s of seen) {
          assert.ok(!alive(s.server.pid));
          assert.ok(s.session.nc.isClosed());
        }
      });
    });

    it('withNatsServer stops its server when the body fails', async () => {
      let pid = 0;
      await assert.rejects(withNatsServer({}, async server => {
        pid = server.pid;
        throw new Error('the body failed');
      }), /the body failed/);
      assert.ok(pid > 0 && !alive(pid));
    });

    describe('useNatsServer() without a session', () => {
      const nats = useNatsServer();
      it('says how to get one', () => {
        assert.ok(alive(nats.server.pid));
        assert.throws(() => nats.session, /^Error: this NATS fixture opens no session: pass `session: true` \(or connect options\) to useNatsServer\.$/);
      });
    });
  });
});
