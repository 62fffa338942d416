// Test fixtures for every way of logging in to nats-server: certificates (openssl CLI), NKeys, signed JWTs and .creds files.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';

const OPENSSL = '/usr/bin/openssl';

export interface CertFiles {
  certFile: string;
  keyFile: string;
}

/** A test CA, server certificates signed by it and a client certificate for mutual TLS. */
export interface TestPki {
  dir: string;
  /** The CA that signed every certificate below. */
  caFile: string;
  /** Another CA, which signed none of them: trusting it alone fails. */
  otherCaFile: string;
  /** Server certificate for DNS:localhost and IP:127.0.0.1. */
  server: CertFiles;
  /** Server certificate naming only DNS:localhost (no IP address). */
  serverLocalhostOnly: CertFiles;
  /** Server certificate naming only DNS:nats.example. */
  serverOtherName: CertFiles;
  /** Server certificate for DNS:localhost and IP:127.0.0.1 that expired in 2020. */
  serverExpired: CertFiles;
  /** Client certificate (CN=cim-nats-test-client, clientAuth). */
  client: CertFiles;
  /** A file that exists but holds no PEM. */
  notPemFile: string;
  remove(): void;
}

/** Creates the PKI in a fresh temp dir; EC P-256 keys, valid for one day. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'cim-nats-pki-'));
  const file = (name: string) => join(dir, name);
  const ca = selfSigned('ca', 'cim-nats test CA');
  const other = selfSigned('other-ca', 'cim-nats other CA');

  function selfSigned(name: string, cn: string): CertFiles {
    const ext = file(`${name}.ext`);
    writeFileSync(ext, ['[req]', 'distinguished_name = dn', 'x509_extensions = v3', '[dn]', '[v3]',
      'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', ''].join('\n'));
    const files = { certFile: file(`${name}.pem`), keyFile: file(`${name}.key`) };
    openssl('req', '-x509', '-config', ext, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', files.keyFile, '-out', files.certFile, '-days', '1', '-subj', `/CN=${cn}`);
    return files;
  }

  function signed(name: string, cn: string, extensions: string[], validity?: { start: string; end: string }): CertFiles {
    const files = { certFile: file(`${name}.pem`), keyFile: file(`${name}.key`) };
    const csr = file(`${name}.csr`);
    const ext = file(`${name}.ext`);
    writeFileSync(ext, ['basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment', ...extensions, ''].join('\n'));
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', files.keyFile, '-out', csr, '-subj', `/CN=${cn}`);
    if (!validity) {
      openssl('x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
        '-days', '1', '-extfile', ext, '-out', files.certFile);
      return files;
    }
    // Only `openssl ca` (in OpenSSL 3.0) sets dates in the past; it wants its database files.
    const caDir = file(`${name}-ca`);
    mkdirSync(caDir);
    writeFileSync(join(caDir, 'index.txt'), '');
    writeFileSync(join(caDir, 'serial'), `${randomBytes(8).toString('hex')}\n`);
    const config = join(caDir, 'ca.cnf');
    writeFileSync(config, ['[ca]', 'default_ca = test', '[test]', `database = ${join(caDir, 'index.txt')}`, `new_certs_dir = ${caDir}`, `serial = ${join(caDir, 'serial')}`,
      'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', ''].join('\n'));
    openssl('ca', '-batch', '-config', config, '-cert', ca.certFile, '-keyfile', ca.keyFile, '-in', csr, '-out', files.certFile,
      '-notext', '-startdate', validity.start, '-enddate', validity.end, '-extfile', ext);
    return files;
  }

  const server = (sans: string) => ['extendedKeyUsage = serverAuth', `subjectAltName = ${sans}`];
  const pki: TestPki = {
    dir,
    caFile: ca.certFile,
    otherCaFile: other.certFile,
    server: signed('server', 'localhost', server('DNS:localhost, IP:127.0.0.1')),
    serverLocalhostOnly: signed('server-localhost', 'localhost', server('DNS:localhost')),
    serverOtherName: signed('server-other', 'nats.example', server('DNS:nats.example')),
    serverExpired: signed('server-expired', 'localhost', server('DNS:localhost, IP:127.0.0.1'), { start: '20200101000000Z', end: '20200102000000Z' }),
    client: signed('client', 'cim-nats-test-client', ['extendedKeyUsage = clientAuth']),
    notPemFile: file('not-pem.txt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  writeFileSync(pki.notPemFile, 'this is not a certificate\n');
  return pki;
}

function openssl(...args: string[]): void {
  execFileSync(OPENSSL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** nats-server `tls {}` block for a server certificate; `verify` asks every client for a certificate. */
export function tlsServerConfig(pki: TestPki, cert: CertFiles = pki.server, options: { verify?: boolean } = {}): string {
  return [
    'tls {',
    `  cert_file: ${JSON.stringify(cert.certFile)}`,
    `  key_file: ${JSON.stringify(cert.keyFile)}`,
    `  ca_file: ${JSON.stringify(pki.caFile)}`,
    ...(options.verify ? ['  verify: true'] : []),
    '  timeout: 2',
    '}',
  ].join('\n');
}

// ---- NKeys, JWTs and .creds ----

export interface TestNkey {
  publicKey: string;
  seed: string;
}

export function userNkey(): TestNkey {
  const kp = nkeys.createUser();
  return { publicKey: kp.getPublicKey(), seed: new TextDecoder().decode(kp.getSeed()) };
}

/** `authorization { users: [{ nkey }] }` for NKey users. */
export function nkeyServerConfig(...publicKeys: string[]): string {
  return `authorization { users: [ ${publicKeys.map(k => `{ nkey: ${JSON.stringify(k)} }`).join(', ')} ] }`;
}

type Claims = Record<string, unknown> & { sub: string; name: string; nats: Record<string, unknown> };

/** A JWT as nsc writes it: base64url(header).base64url(claims).base64url(ed25519 signature by the issuer's NKey). */
export function signJwt(claims: Claims, issuer: ReturnType<typeof nkeys.createAccount>): string {
  const header = { typ: 'JWT', alg: 'ed25519-nkey' };
  const body: Record<string, unknown> = { iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), ...claims };
  // nsc's jti is a hash of the claims without it; the server does not check it.
  body.jti = base32(createHash('sha256').update(JSON.stringify(body)).digest());
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(body))}`;
  const signature = Buffer.from(issuer.sign(new TextEncoder().encode(signingInput))).toString('base64url');
  return `${signingInput}.${signature}`;
}

export interface TestOperator {
  /** Server config: operator JWT, memory resolver with the account preloaded. */
  config: string;
  accountPublicKey: string;
  /** A .creds file for a new user of the account; `expiresInSec` negative = already expired. */
  writeCreds(path: string, options?: { name?: string; expiresInSec?: number }): { userPublicKey: string; jwt: string; seed: string };
}

/** Operator mode with one JetStream-enabled account, as nsc would set it up. */
export function testOperator(): TestOperator {
  const operator = nkeys.createOperator();
  const account = nkeys.createAccount();
  const system = nkeys.createAccount();
  const operatorJwt = signJwt({ sub: operator.getPublicKey(), name: 'cim-test-operator', nats: { type: 'operator', version: 2 } }, operator);
  const unlimited = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
  const accountJwt = (kp: typeof account, name: string, jetstream: boolean) => signJwt({
    sub: kp.getPublicKey(),
    name,
    nats: {
      limits: { ...unlimited, ...(jetstream ? { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 } : {}) },
      default_permissions: { pub: {}, sub: {} },
      type: 'account',
      version: 2,
    },
  }, operator);
  const config = [
    `operator: ${JSON.stringify(operatorJwt)}`,
    `system_account: ${JSON.stringify(system.getPublicKey())}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    `  ${JSON.stringify(account.getPublicKey())}: ${JSON.stringify(accountJwt(account, 'CIM', true))}`,
    `  ${JSON.stringify(system.getPublicKey())}: ${JSON.stringify(accountJwt(system, 'SYS', false))}`,
    '}',
  ].join('\n');
  return {
    config,
    accountPublicKey: account.getPublicKey(),
    writeCreds(path, options = {}) {
      const user = nkeys.createUser();
      const jwt = signJwt({
        sub: user.getPublicKey(),
        name: options.name ?? 'cim-test-user',
        ...(options.expiresInSec !== undefined ? { exp: Math.floor(Date.now() / 1000) + options.expiresInSec } : {}),
        nats: { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 },
      }, account);
      const seed = new TextDecoder().decode(user.getSeed());
      writeFileSync(path, credsText(jwt, seed), { mode: 0o600 });
      return { userPublicKey: user.getPublicKey(), jwt, seed };
    },
  };
}

/** The text of a .creds file as `nsc generate creds` writes it. */
export function credsText(jwt: string, seed: string): string {
  return [
    '-----BEGIN NATS USER JWT-----', jwt, '------END NATS USER JWT------', '',
    '************************* IMPORTANT *************************',
    'NKEY Seed printed below can be used to sign and prove identity.',
    'NKEYs are sensitive and should be treated as secrets.', '',
    '-----BEGIN USER NKEY SEED-----', seed, '------END USER NKEY SEED------', '',
    '*************************************************************', '',
  ].join('\n');
}

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}
