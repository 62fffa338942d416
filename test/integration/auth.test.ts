// Every way of logging in (password, token, NKey, credentials, TLS, mutual TLS) against a real nats-server, and what a user reads when one fails.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { connectNats, type NatsConnectOptions, type NatsSession } from '../../src/nats/connection/connect';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import { freePort, type NatsServerOptions } from '../../dev/localServer';
import { createTestPki, credsText, nkeyServerConfig, testOperator, tlsServerConfig, userNkey, type TestPki } from '../support/natsAuth';
import { useNatsServers } from '../support/natsFixture';
import { rejection } from '../support/rejection';


const { domain: DOMAIN } = CIM_DEV_USERS;

describe('Logging in to nats-server, and what a user reads when it fails', () => {
  let pki: TestPki;
  let dir: string;
  const nats = useNatsServers();
  let session: NatsSession | undefined;

  before(() => {
    pki = createTestPki();
    dir = mkdtempSync(join(tmpdir(), 'cim-nats-auth-'));
  });
  after(() => {
    pki?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const start = (options: NatsServerOptions) => nats.start(options);
  const tlsUrl = () => `tls://127.0.0.1:${nats.server.port}`;
  /** Connects, opens JetStream and asks for the account: what "it works" means for the explorer. */
  async function connectAndOpenJetStream(options: NatsConnectOptions): Promise<NatsSession> {
    session = await nats.connect({ timeoutMs: 3000, ...options });
    const account = await (await session.jetstreamManager()).getAccountInfo();
    assert.equal(account.streams, 0);
    return session;
  }
  const fail = (options: NatsConnectOptions) => rejection(connectNats({ timeoutMs: 3000, ...options }));

  describe('user and password', () => {
    it('connects and opens JetStream', async () => {
      await start({ config: cimDevServerConfig() });
      await connectAndOpenJetStream({ servers: nats.server.url, user: DOMAIN.user, pass: DOMAIN.pass });
      assert.equal(session!.server, nats.server.url);
    });

    it('says the server requires authentication when the connection has none', async () => {
      await start({ config: cimDevServerConfig() });
      const e = await fail({ servers: nats.server.url });
      assert.equal(e.message, `${nats.server.url} requires authentication: set the connection's user, token, NKey or credentials file.`);
    });
  });

  describe('token', () => {
    const token = 'tok-8c1f0e7d-secret';

    it('connects and opens JetStream', async () => {
      await start({ config: `authorization { token: ${JSON.stringify(token)} }` });
      await connectAndOpenJetStream({ servers: nats.server.url, token });
    });

    it('says the token was refused, without showing either token', async () => {
      await start({ config: `authorization { token: ${JSON.stringify(token)} }` });
      const e = await fail({ servers: nats.server.url, token: 'tok-wrong-secret' });
      assert.equal(e.message, `The token for ${nats.server.url} was refused: check the connection's token.`);
    });
  });

  describe('NKey', () => {
    it('connects and opens JetStream with the seed text kept in SecretStorage', async () => {
      const user = userNkey();
      await start({ config: nkeyServerConfig(user.publicKey) });
      await connectAndOpenJetStream({ servers: nats.server.url, nkeySeed: `${user.seed}\n` });
    });

    it('connects with a seed file (bare, as nsc writes .nk files)', async () => {
      const user = userNkey();
      const file = join(dir, 'user.nk');
      writeFileSync(file, `${user.seed}\n`, { mode: 0o600 });
      await start({ config: nkeyServerConfig(user.publicKey) });
      await connectAndOpenJetStream({ servers: nats.server.url, nkeySeedFile: file });
    });

    it('names the NKey user the server does not know, by its public key only', async () => {
      const known = userNkey();
      const stranger = userNkey();
      await start({ config: nkeyServerConfig(known.publicKey) });
      const e = await fail({ servers: nats.server.url, nkeySeed: stranger.seed });
      assert.equal(e.message, `${nats.server.url} does not accept NKey user ${stranger.publicKey}: add its public key to the server's users, or use the seed of a user it knows.`);
    });

    it('says what is wrong with a seed file before connecting', async () => {
      const url = `nats://127.0.0.1:${await freePort()}`;
      const missing = join(dir, 'missing.nk');
      assert.equal((await fail({ servers: url, nkeySeedFile: missing })).message,
        `The NKey seed file ${missing} cannot be read (ENOENT): check the path in the connection's settings.`);
      const empty = join(dir, 'empty.nk');
      writeFileSync(empty, 'no seed in here\n');
      assert.equal((await fail({ servers: url, nkeySeedFile: empty })).message,
        `The NKey seed file ${empty} holds no NKey seed (a line starting with SU): point it at the user's seed file.`);
      const account = join(dir, 'account.nk');
      writeFileSync(account, new TextDecoder().decode(nkeys.createAccount().getSeed()));
      assert.equal((await fail({ servers: url, nkeySeedFile: account })).message,
        `The NKey seed file ${account} holds the seed of an account, not of a user: use the user's seed (it starts with SU).`);
      const garbled = join(dir, 'garbled.nk');
      writeFileSync(garbled, `${userNkey().seed.slice(0, -2)}AA\n`);
      assert.equal((await fail({ servers: url, nkeySeedFile: garbled })).message,
        `The NKey seed file ${garbled} holds an invalid NKey seed: point it at the user's seed file.`);
      assert.equal((await fail({ servers: url, nkeySeed: 'SUnot-a-seed' })).message,
        'The NKey seed kept for this connection is not a valid NKey seed: enter the user\'s seed again (it starts with SU).');
    });
  });

  describe('credentials file (operator mode)', () => {
    it('connects and opens JetStream', async () => {
      const operator = testOperator();
      const file = join(dir, 'ok.creds');
      operator.writeCreds(file);
      await start({ config: operator.config });
      await connectAndOpenJetStream({ servers: nats.server.url, credsFile: file });
    });

    it('says the credentials have expired when the user JWT\'s exp is past (the server says only "Authorization Violation")', async () => {
      const operator = testOperator();
      const file = join(dir, 'expired.creds');
      const { jwt } = operator.writeCreds(file, { expiresInSec: -60 });
      const exp = (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
      await start({ config: operator.config });
      const e = await fail({ servers: nats.server.url, credsFile: file });
      const when = new Date(exp * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      assert.equal(e.message, `The credentials for ${nats.server.url} have expired (${file}, expired ${when}): renew them.`);
    });

    it('says the credentials have expired when they run out while connected (the server says "User Authentication Expired")', async function () {
      this.timeout(10_000);
      const operator = testOperator();
      const file = join(dir, 'short.creds');
      operator.writeCreds(file, { expiresInSec: 2 });
      await start({ config: operator.config });
      session = await nats.connect({ credsFile: file, reconnect: { timeWaitMs: 100 } });
      let expired: unknown;
      for await (const s of session.nc.status()) {
        if (s.type === 'error') {
          expired = s.error;
          break;
        }
      }
      const sentence = new RegExp(`^The credentials for ${nats.server.url} have expired \\(${file}, expired \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\): renew them\\.$`);
      assert.match(session.describe(expired), sentence);
      // Refused again at reconnect, the client gives up with a bare "connection refused": the session still says why.
      const closed = await session.nc.closed();
      assert.ok(closed instanceof Error);
      assert.match(session.describe(closed), sentence);
    });

    it('says credentials of another operator were refused, naming the file and the user', async () => {
      const operator = testOperator();
      const file = join(dir, 'foreign.creds');
      const { userPublicKey } = testOperator().writeCreds(file);
      await start({ config: operator.config });
      const e = await fail({ servers: nats.server.url, credsFile: file });
      assert.equal(e.message, `${nats.server.url} refused the credentials in ${file} (user ${userPublicKey}): check that they were issued for an account of this server's operator.`);
    });

    it('says what is wrong with a credentials file before connecting', async () => {
      const url = `nats://127.0.0.1:${await freePort()}`;
      const missing = join(dir, 'y.creds');
      assert.equal((await fail({ servers: url, credsFile: missing })).message,
        `The credentials file ${missing} cannot be read (ENOENT): check the path in the connection's settings.`);
      assert.equal((await fail({ servers: url, credsFile: dir })).message,
        `The credentials file ${dir} cannot be read (EISDIR): check the path in the connection's settings.`);
      const notCreds = join(dir, 'not.creds');
      writeFileSync(notCreds, '{"this": "is json"}\n');
      assert.equal((await fail({ servers: url, credsFile: notCreds })).message,
        `The credentials file ${notCreds} is not a NATS credentials file (no user JWT block): use the .creds file that nsc or the NATS operator issued.`);
      const mixed = join(dir, 'mixed.creds');
      const a = testOperator().writeCreds(join(dir, 'a.creds'));
      writeFileSync(mixed, credsText(a.jwt, userNkey().seed));
      assert.equal((await fail({ servers: url, credsFile: mixed })).message,
        `The credentials file ${mixed} is not a NATS credentials file (its NKey seed does not belong to its user JWT): use the .creds file that nsc or the NATS operator issued.`);
    });
  });

  describe('TLS', () => {
    it('connects to tls:// and opens JetStream, trusting the test CA', async () => {
      await start({ config: tlsServerConfig(pki) });
      await connectAndOpenJetStream({ servers: tlsUrl(), tls: { caFile: pki.caFile } });
      assert.equal(session!.server, tlsUrl());
    });

    it('says the server\'s certificate comes from an authority the connection does not trust', async () => {
      await start({ config: tlsServerConfig(pki) });
      const e = await fail({ servers: tlsUrl(), tls: { caFile: pki.otherCaFile } });
      assert.equal(e.message, `The certificate of ${tlsUrl()} is signed by an authority this connection does not trust: set the connection's CA file to the CA that signed it.`);
    });

    it('says the server requires TLS when the connection has no TLS settings', async () => {
      await start({ config: tlsServerConfig(pki) });
      const e = await fail({ servers: nats.server.url });
      assert.equal(e.message, `${nats.server.url} requires TLS with a certificate from an authority this connection does not trust: set the connection's CA file to the CA that signed it.`);
    });

    it('checks an IP address against the certificate\'s addresses and says which name it lacks', async () => {
      await start({ config: tlsServerConfig(pki, pki.serverLocalhostOnly) });
      const e = await fail({ servers: tlsUrl(), tls: { caFile: pki.caFile } });
      assert.equal(e.message, `The certificate of ${tlsUrl()} is not valid for "127.0.0.1" (it names localhost): connect with a name it holds, or reissue it.`);
      // The same certificate by the name it holds.
      await connectAndOpenJetStream({ servers: `tls://localhost:${nats.server.port}`, tls: { caFile: pki.caFile } });
    });

    it('says which name a certificate lacks when connecting by host name', async () => {
      await start({ config: tlsServerConfig(pki, pki.serverOtherName) });
      const url = `tls://localhost:${nats.server.port}`;
      const e = await fail({ servers: url, tls: { caFile: pki.caFile } });
      assert.equal(e.message, `The certificate of ${url} is not valid for "localhost" (it names nats.example): connect with a name it holds, or reissue it.`);
    });

    it('says the server\'s certificate has expired', async () => {
      await start({ config: tlsServerConfig(pki, pki.serverExpired) });
      const e = await fail({ servers: tlsUrl(), tls: { caFile: pki.caFile } });
      assert.equal(e.message, `The certificate of ${tlsUrl()} has expired: renew it on the server.`);
    });

    it('says the server offers no TLS when the connection asks for it', async () => {
      await start({});
      const e = await fail({ servers: tlsUrl() });
      assert.equal(e.message, `${tlsUrl()} does not offer TLS, but this connection requires it: enable TLS on the server, or remove the connection's TLS settings and the tls:// scheme.`);
      const e2 = await fail({ servers: nats.server.url, tls: { caFile: pki.caFile } });
      assert.equal(e2.message, `${nats.server.url} does not offer TLS, but this connection requires it: enable TLS on the server, or remove the connection's TLS settings and the tls:// scheme.`);
    });

    it('says what is wrong with a CA file before connecting', async () => {
      const url = `tls://127.0.0.1:${await freePort()}`;
      const missing = join(dir, 'missing-ca.pem');
      assert.equal((await fail({ servers: url, tls: { caFile: missing } })).message,
        `The CA file ${missing} cannot be read (ENOENT): check the path in the connection's settings.`);
      assert.equal((await fail({ servers: url, tls: { caFile: pki.notPemFile } })).message,
        `The CA file ${pki.notPemFile} is not a PEM certificate: point it at a certificate file (BEGIN CERTIFICATE).`);
    });
  });

  describe('mutual TLS', () => {
    it('connects and opens JetStream with a client certificate', async () => {
      await start({ config: tlsServerConfig(pki, pki.server, { verify: true }) });
      await connectAndOpenJetStream({ servers: tlsUrl(), tls: { caFile: pki.caFile, ...pki.client } });
    });

    it('says the server requires a client certificate when the connection has none', async () => {
      await start({ config: tlsServerConfig(pki, pki.server, { verify: true }) });
      const e = await fail({ servers: tlsUrl(), tls: { caFile: pki.caFile }, timeoutMs: 1000 });
      assert.equal(e.message, `${tlsUrl()} requires a client certificate (mutual TLS): set the connection's certificate and key files.`);
    });

    it('says the server did not accept a certificate that is not for client authentication', async () => {
      await start({ config: tlsServerConfig(pki, pki.server, { verify: true }) });
      const e = await fail({ servers: tlsUrl(), tls: { caFile: pki.caFile, ...pki.server }, timeoutMs: 1000 });
      assert.equal(e.message, `${tlsUrl()} did not accept this connection's client certificate: use one issued for client authentication by a CA the server trusts.`);
    });

    it('says what is wrong with the certificate and key files before connecting', async () => {
      const url = `tls://127.0.0.1:${await freePort()}`;
      assert.equal((await fail({ servers: url, tls: { caFile: pki.caFile, certFile: pki.client.certFile, keyFile: pki.server.keyFile } })).message,
        `The client certificate file ${pki.client.certFile} does not belong to the key in ${pki.server.keyFile}: set the key that was issued with it.`);
      assert.equal((await fail({ servers: url, tls: { certFile: pki.client.certFile } })).message,
        `The connection's TLS settings have a client certificate file (${pki.client.certFile}) but no client key file: set both, or neither.`);
      assert.equal((await fail({ servers: url, tls: { certFile: pki.client.certFile, keyFile: pki.notPemFile } })).message,
        `The client key file ${pki.notPemFile} is not an unencrypted PEM private key: point it at the key of the client certificate (decrypt an encrypted key first).`);
    });
  });

  describe('JetStream domain', () => {
    it('says which domain does not answer, and the server\'s own', async () => {
      await start({ domain: 'cim' });
      session = await nats.connect({ jetStreamDomain: 'foo', timeoutMs: 2000 });
      const e = await rejection(session.jetstreamManager());
      assert.equal(e.message, `JetStream domain "foo" does not answer on ${nats.server.url}: check the domain name (the server's is "cim").`);
    });

    it('says so when the server has no domain at all', async () => {
      await start({});
      session = await nats.connect({ jetStreamDomain: 'cim', timeoutMs: 2000 });
      const e = await rejection(session.jetstreamManager());
      assert.equal(e.message, `JetStream domain "cim" does not answer on ${nats.server.url}: check the domain name (the server has none: leave it empty).`);
    });
  });

  it('keeps every secret out of the messages and the server it shows', async () => {
    const operator = testOperator();
    const creds = join(dir, 'secret.creds');
    const expired = operator.writeCreds(creds, { expiresInSec: -5 });
    const seedUser = userNkey();
    const srv = await start({ config: operator.config });
    const secrets = ['pass-9d2c-secret', 'tok-77ab-secret', seedUser.seed, expired.seed, expired.jwt];
    const messages = [
      (await fail({ servers: `nats://someone:${secrets[0]}@127.0.0.1:${srv.port}`, user: 'someone', pass: secrets[0] })).message,
      (await fail({ servers: srv.url, token: secrets[1] })).message,
      (await fail({ servers: srv.url, nkeySeed: secrets[2] })).message,
      (await fail({ servers: srv.url, credsFile: creds })).message,
    ];
    assert.equal(messages.length, 4);
    for (const m of messages) for (const s of secrets) assert.ok(!m.includes(s!), `"${m}" shows a secret`);
    assert.equal(messages[0], `Wrong user or password for nats://127.0.0.1:${srv.port} (user someone): check the credentials.`);
  });

  describe('reconnecting', () => {
    it('comes back by itself after the server is killed and restarted, and works afterwards', async function () {
      this.timeout(20_000);
      await start({});
      session = await nats.connect({ reconnect: { timeWaitMs: 100 } });
      const jsm = await session.jetstreamManager();
      await jsm.streams.add({ name: 'RECONNECT_EVENTS', subjects: ['dev.domain.reconnect.>'] });
      const js = session.jetstream();
      await js.publish('dev.domain.reconnect.order.created.1', '{}');

      const seen: string[] = [];
      const back = (async () => {
        for await (const s of session!.nc.status()) {
          seen.push(s.type);
          if (s.type === 'reconnect') return;
        }
      })();
      process.kill(nats.server.pid, 'SIGKILL');
      await nats.server.restart();
      await back;

      assert.equal(seen[0], 'disconnect');
      assert.ok(seen.includes('reconnecting'));
      const ack = await js.publish('dev.domain.reconnect.order.created.2', '{}');
      assert.equal(ack.seq, 2);
      assert.equal((await jsm.streams.info('RECONNECT_EVENTS')).state.messages, 2);
      assert.equal(session.nc.isClosed(), false);
    });

    it('still fails at once with a sentence when no server answers the first connect', async function () {
      this.timeout(3000);
      const port = await freePort();
      const e = await fail({ servers: `nats://127.0.0.1:${port}`, reconnect: { timeWaitMs: 100 }, timeoutMs: 10_000 });
      assert.equal(e.message, `No NATS server answered at nats://127.0.0.1:${port}: is it running?`);
    });
  });
});
