// What a user reads when a connection or JetStream fails: one sentence naming the problem and the fix.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { connectNats, displayServers } from '../../src/nats/connection/connect';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import { freePort } from '../../dev/localServer';
import { useNatsServers } from '../support/natsFixture';
import { rejection } from '../support/rejection';

const { domain: DOMAIN, query: QUERY } = CIM_DEV_USERS;

describe('NATS connection errors in the user\'s terms', () => {
  const nats = useNatsServers();

  it('says the user or password is wrong, without showing the password', async () => {
    const server = await nats.start({ config: cimDevServerConfig() });
    const e = await rejection(connectNats({ servers: server.url, user: DOMAIN.user, pass: 'not-the-password' }));
    assert.equal(e.message, `Wrong user or password for ${server.url} (user domain_user): check the credentials.`);
    assert.equal(e.name, 'NatsUserError');
  });

  it('says no server answered when nothing listens on the port, without waiting for the timeout', async function () {
    this.timeout(3000);
    const port = await freePort();
    const e = await rejection(connectNats({ servers: `nats://127.0.0.1:${port}`, timeoutMs: 10_000 }));
    assert.equal(e.message, `No NATS server answered at nats://127.0.0.1:${port}: is it running?`);
  });

  it('says no server answered in time when the port is open but nothing speaks NATS there', async () => {
    // The client leaves its socket open after the timeout: the listener closes it, or mocha would never exit.
    const sockets: Socket[] = [];
    const silent = createServer(socket => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    try {
      const e = await rejection(connectNats({ servers: `127.0.0.1:${port}`, timeoutMs: 500 }));
      assert.equal(e.message, `No NATS server answered at 127.0.0.1:${port} in time: is it running?`);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('keeps credentials out of the server it shows', () => {
    assert.equal(displayServers(['nats://domain_user:domain_pass@127.0.0.1:4222', 'tls://nats.example:4443']), 'nats://127.0.0.1:4222, tls://nats.example:4443');
  });

  describe('with the seed\'s accounts and JetStream domain "cim"', () => {
    it('names the missing _INBOX.> subscribe permission when the seed config is used as written', async () => {
      await nats.start({ config: cimDevServerConfig({ jetStreamPermissions: false }), domain: 'cim' });
      const session = await nats.connect({ user: DOMAIN.user, pass: DOMAIN.pass, jetStreamDomain: 'cim', timeoutMs: 2000 });
      const e = await rejection(session.jetstreamManager());
      assert.match(e.message, /^The account of user domain_user lacks subscribe permission for _INBOX\.> \(replies from JetStream and requests arrive there, here "_INBOX\.[^"]+"\): add "_INBOX\.>" to its subscribe permissions in the server config\.$/);
    });

    it('names the missing $JS.API.> publish permission, although the server answers the domain\'s API only with a timeout', async () => {
      const config = cimDevServerConfig().replace(/"\$JS\.API\.>", /g, '');
      await nats.start({ config, domain: 'cim' });
      const session = await nats.connect({ user: DOMAIN.user, pass: DOMAIN.pass, jetStreamDomain: 'cim', timeoutMs: 1000 });
      const e = await rejection(session.jetstreamManager());
      assert.equal(e.message, 'The account of user domain_user lacks publish permission for $JS.API.> (JetStream\'s API is called there, here "$JS.API.INFO"): add "$JS.API.>" to its publish permissions in the server config.');
    });

    it('opens JetStream in the domain with the permissions granted, and the QUERY account sees none of DOMAIN\'s streams', async () => {
      await nats.start({ config: cimDevServerConfig(), domain: 'cim' });
      const session = await nats.connect({ user: DOMAIN.user, pass: DOMAIN.pass, jetStreamDomain: 'cim' });
      const jsm = await session.jetstreamManager();
      await jsm.streams.add({ name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'] });
      assert.equal((await jsm.getAccountInfo()).streams, 1);

      const query = await nats.connect({ user: QUERY.user, pass: QUERY.pass, jetStreamDomain: 'cim' });
      assert.equal((await (await query.jetstreamManager()).getAccountInfo()).streams, 0);
    });

    it('names the subject an account may not publish to', async () => {
      await nats.start({ config: cimDevServerConfig(), domain: 'cim' });
      const session = await nats.connect({ user: QUERY.user, pass: QUERY.pass, jetStreamDomain: 'cim' });
      const e = await rejection(session.jetstream().publish('dev.domain.sales.order.created.550e8400-e29b-41d4-a716-446655440000', '{}'));
      assert.equal(session.describe(e), 'User query_user may not publish to "dev.domain.sales.order.created.550e8400-e29b-41d4-a716-446655440000": add it, or a pattern covering it, to the account\'s publish permissions in the server config.');
    });

    it('says JetStream is off for an account without "jetstream: enabled"', async () => {
      const server = await nats.start({ config: cimDevServerConfig({ jetStreamAccounts: false }), domain: 'cim' });
      const session = await nats.connect({ user: DOMAIN.user, pass: DOMAIN.pass });
      const e = await rejection(session.jetstreamManager());
      assert.equal(e.message, `JetStream is not enabled for the account of user domain_user on ${server.url}: add "jetstream: enabled" to that account in the server config.`);
    });
  });

  it('says a feature needs a newer server on 2.9.10, and uses it on 2.10+', async () => {
    const server = await nats.start();
    const session = await nats.connect();
    const jsm = await session.jetstreamManager();
    const created = jsm.streams.add({ name: 'META_EVENTS', subjects: ['dev.domain.meta.>'], metadata: { owner: 'sales' } });
    if (/^2\.9\./.test(session.nc.info!.version)) {
      const e = await rejection(created);
      assert.equal(session.describe(e, { action: 'creating stream META_EVENTS' }), `Creating stream META_EVENTS needs nats-server 2.10.0 or newer and ${server.url} runs an older one: upgrade the server or leave the feature out (stream 'metadata' requires server 2.10.0).`);
    } else {
      assert.equal((await created).config.metadata?.owner, 'sales');
    }
  });

  it('says no stream stores a subject that nothing captures', async () => {
    const server = await nats.start();
    const session = await nats.connect();
    const subject = 'dev.domain.nowhere.thing.happened.550e8400-e29b-41d4-a716-446655440000';
    const e = await rejection(session.jetstream().publish(subject, '{}'));
    assert.equal(session.describe(e, { subject }), `No JetStream stream on ${server.url} stores "${subject}": create the stream for it first (or enable JetStream on the server).`);
  });
});
