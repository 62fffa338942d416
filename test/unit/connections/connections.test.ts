// Named connections: the settings shape, NATS_URL from the environment, natscli contexts.
import assert from 'node:assert/strict';
import { connectionFromEnvironment, orderContexts, parseConnections, parseNatsContext, readSettings } from '../../../src/core';

describe('cimNats.connections', () => {
  it('keeps the valid entries and names the broken one with its index and reason', () => {
    const { connections, problems } = parseConnections([
      { name: 'local', servers: ['nats://127.0.0.1:4222'] },
      { name: 'broken', servers: [] },
      { name: 'prod', servers: ['tls://a:4443', 'tls://b:4443'], auth: 'user', user: 'ops', protected: true, readOnly: true, jetStreamDomain: 'cim' },
      { name: 'local', servers: ['nats://other:4222'] },
    ]);
    assert.deepEqual(connections.map(c => [c.name, c.auth, c.protected, c.readOnly]), [['local', 'none', false, false], ['prod', 'user', true, true]]);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^Connection 2 in cimNats\.connections\.servers is invalid \(.+\); it is left out\.$/);
    assert.equal(problems[1], 'Connection 4 in cimNats.connections has the name "local" of an earlier one; it is left out.');
  });

  it('refuses a password written into a server address', () => {
    const { connections, problems } = parseConnections([{ name: 'x', servers: ['nats://u:secret@host:4222'] }]);
    assert.equal(connections.length, 0);
    assert.match(problems[0]!, /put the password in the connection's auth/);
    assert.ok(!problems[0]!.includes('secret'), 'the message repeats the password');
  });

  it('asks for a user name when auth is "user", and a file when auth is "creds"', () => {
    const { problems } = parseConnections([{ name: 'a', servers: ['x:1'], auth: 'user' }, { name: 'b', servers: ['x:1'], auth: 'creds' }]);
    assert.deepEqual(problems.map(p => /\.(user|credsFile) is invalid/.exec(p)?.[1]), ['user', 'credsFile']);
  });

  it('reads through readSettings entry by entry, with the other settings unharmed', () => {
    const raw: Record<string, unknown> = { connections: [{ name: 'ok', servers: ['x:1'] }, 42] };
    const { settings, problems } = readSettings(k => raw[k]);
    assert.deepEqual(settings.connections.map(c => c.name), ['ok']);
    assert.equal(settings['explorer.pendingWarningThreshold'], 1000);
    assert.equal(problems.length, 1);
  });
});

describe('a connection from NATS_URL', () => {
  it('is absent without NATS_URL', () => {
    assert.equal(connectionFromEnvironment({ NATS_USER: 'x' }), undefined);
  });

  it('is labelled with its server address, takes the user and keeps the password apart from the config', () => {
    const c = connectionFromEnvironment({ NATS_URL: 'nats://127.0.0.1:4222', NATS_USER: 'domain_user', NATS_PASS: 'domain_pass', CIM_ENVIRONMENT: 'dev', NATS_JS_DOMAIN: 'cim' })!;
    assert.equal(c.config.name, 'nats://127.0.0.1:4222');
    assert.deepEqual([c.config.auth, c.config.user, c.config.environment, c.config.jetStreamDomain], ['user', 'domain_user', 'dev', 'cim']);
    assert.equal(c.secret, 'domain_pass');
    assert.ok(!JSON.stringify(c.config).includes('domain_pass'));
  });

  it('lists every server of a cluster and prefers a credentials file over a user', () => {
    const c = connectionFromEnvironment({ NATS_URL: 'nats://a:4222,nats://b:4222 nats://c:4222', NATS_CREDS: '/k/u.creds', NATS_USER: 'ignored' })!;
    assert.deepEqual(c.config.servers, ['nats://a:4222', 'nats://b:4222', 'nats://c:4222']);
    assert.deepEqual([c.config.auth, c.config.credsFile, c.secret], ['creds', '/k/u.creds', undefined]);
  });
});

describe('natscli contexts', () => {
  it('becomes a connection named after the file, the password handed back as a secret', () => {
    const r = parseNatsContext('prod', JSON.stringify({ url: 'tls://n1:4222,tls://n2:4222', user: 'ops', password: 's3cret', ca: '~/ca.pem', jetstream_domain: 'hub', color_scheme: 'x' }), '/home/me');
    assert.ok(r.ok);
    assert.deepEqual(r.context.config, { name: 'prod', servers: ['tls://n1:4222', 'tls://n2:4222'], auth: 'user', user: 'ops', protected: false, readOnly: false, tls: { caFile: '/home/me/ca.pem' }, jetStreamDomain: 'hub' });
    assert.equal(r.context.secret, 's3cret');
  });

  it('references creds and nkey files by path, and says which file is not JSON', () => {
    const creds = parseNatsContext('a', '{"url":"nats://x:4222","creds":"/c/u.creds"}');
    assert.ok(creds.ok && creds.context.config.auth === 'creds' && creds.context.config.credsFile === '/c/u.creds' && creds.context.secret === undefined);
    const nkey = parseNatsContext('b', '{"nkey":"/c/u.nk"}');
    assert.ok(nkey.ok && nkey.context.config.auth === 'nkey' && nkey.context.config.servers[0] === 'nats://127.0.0.1:4222');
    const bad = parseNatsContext('c', '{"url":');
    assert.ok(!bad.ok && /^natscli context "c" is not valid JSON/.test(bad.problem));
  });

  it('puts the context selected in context.txt first', () => {
    assert.deepEqual(orderContexts(['b', 'prod', 'a'], 'prod\n'), ['prod', 'a', 'b']);
    assert.deepEqual(orderContexts(['b', 'a'], 'gone'), ['a', 'b']);
  });
});
