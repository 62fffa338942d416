// One NATS connection with its JetStream handles; every failure leaves here as a sentence for the user.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { checkServerIdentity as nodeCheckServerIdentity, type PeerCertificate } from 'node:tls';
import {
  AuthorizationError,
  connect,
  ConnectionError,
  jwtAuthenticator,
  nkeyAuthenticator,
  nkeys,
  PermissionViolationError,
  UserAuthenticationExpiredError,
  type Authenticator,
  type ConnectionOptions,
  type NatsConnection,
  type TlsOptions,
} from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import {
  describeFileProblem,
  describeNatsError,
  describeStoredSeedProblem,
  NatsUserError,
  type NatsAuthInfo,
  type NatsErrorContext,
  type NatsFileKind,
  type NatsFileProblem,
} from '../errors/sentences';

export interface NatsConnectOptions {
  /** `nats://host:port`, `tls://host:port` (TLS required), `host:port` or several of them. */
  servers: string | string[];
  user?: string;
  pass?: string;
  token?: string;
  /** NKey seed text ("SU..."), as kept in SecretStorage. */
  nkeySeed?: string;
  /** Path of an NKey seed file. */
  nkeySeedFile?: string;
  /** Path of a natscli/nsc .creds file (user JWT + seed). */
  credsFile?: string;
  /** TLS: a CA to trust, and a client certificate and key (mutual TLS). Paths. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** Keep reconnecting for ever with this wait between attempts (the explorer); absent = the client's default behaviour. */
  reconnect?: { timeWaitMs?: number };
  /** The client name the server shows in its connection list. */
  name?: string;
  /** How long to wait for the server, and for each JetStream API reply, in milliseconds. */
  timeoutMs?: number;
  /** The JetStream domain to address (`$JS.<domain>.API`), e.g. `cim`. */
  jetStreamDomain?: string;
}

export interface NatsSession {
  readonly nc: NatsConnection;
  /** The servers as shown to the user, without any credentials. */
  readonly server: string;
  readonly user: string | undefined;
  readonly jetStreamDomain: string | undefined;
  /** The JetStream manager, opened (and its API checked) on first use. */
  jetstreamManager(): Promise<JetStreamManager>;
  jetstream(): JetStreamClient;
  /** Translates an error from this connection, filling in server, user, domain and a recent permission violation. */
  describe(e: unknown, context?: NatsErrorContext): string;
  close(): Promise<void>;
}

const VIOLATION_MEMORY_MS = 15_000;
const PROBE_TIMEOUT_MS = 1_000;

/** Connects or throws a `NatsUserError` whose message says what is wrong and how to fix it. */
export async function connectNats(options: NatsConnectOptions): Promise<NatsSession> {
  const server = displayServers(options.servers);
  const timeout = options.timeoutMs ?? 5_000;
  const login = await loginFor(options);
  const tls = await tlsFor(options);
  const context: NatsErrorContext = { server, user: options.user, auth: login.info, ...(tls ? { tls: tls.context } : {}) };
  let nc: NatsConnection;
  try {
    const connectOptions: ConnectionOptions = {
      servers: options.servers,
      ...(options.user !== undefined ? { user: options.user, pass: options.pass ?? '' } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(login.authenticator ? { authenticator: login.authenticator } : {}),
      ...(tls ? { tls: tls.options } : {}),
      ...(options.reconnect ? { maxReconnectAttempts: -1, reconnectTimeWait: options.reconnect.timeWaitMs ?? 2_000, waitOnFirstConnect: false } : {}),
      name: options.name ?? 'cim-nats',
      timeout,
    };
    nc = await connect(connectOptions);
  } catch (e) {
    // A timeout hides why: a server that wants a client certificate says so in its greeting.
    const serverInfo = isTimeout(e) ? await probeServerInfo(options.servers, Math.min(timeout, PROBE_TIMEOUT_MS)) : undefined;
    throw new NatsUserError(describeNatsError(e, { ...context, ...(serverInfo ? { serverInfo } : {}) }), { cause: e });
  }
  return openSession(nc, options, context, timeout);
}

function openSession(nc: NatsConnection, options: NatsConnectOptions, base: NatsErrorContext, timeout: number): NatsSession {
  // The server reports some violations (e.g. on a JetStream domain's mapped API subject) only on the
  // connection's status, while the request itself times out: remember them to explain that timeout.
  let violation: { operation: 'publish' | 'subscription'; subject: string; at: number } | undefined;
  // Refused again at reconnect (e.g. expired credentials), the client closes with a bare "connection refused".
  let authFailure: { error: Error; at: number } | undefined;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'error' && s.error instanceof PermissionViolationError) {
        // only JetStream's own subjects explain a JetStream timeout; a refused $SYS.REQ.USER.INFO (asked by the
        // explorer's server overview) or an application subject must not be blamed for one later
        if (/^(\$JS\.|_INBOX\.)/.test(s.error.subject)) violation = { operation: s.error.operation, subject: s.error.subject, at: Date.now() };
      }
      if (s.type === 'error' && (s.error instanceof UserAuthenticationExpiredError || s.error instanceof AuthorizationError)) {
        authFailure = { error: s.error, at: Date.now() };
      }
    }
  })();

  const domain = options.jetStreamDomain || undefined;
  const describe = (e: unknown, context: NatsErrorContext = {}) => {
    const recent = violation && Date.now() - violation.at < VIOLATION_MEMORY_MS ? violation : undefined;
    if (e instanceof ConnectionError && authFailure && Date.now() - authFailure.at < VIOLATION_MEMORY_MS) e = authFailure.error;
    return describeNatsError(e, {
      ...base,
      domain,
      // `domain` is in the INFO of a server with a JetStream domain; the client does not type it.
      serverDomain: (nc.info as { domain?: string } | undefined)?.domain ?? null,
      ...(recent ? { recentViolation: recent } : {}),
      ...context,
    });
  };
  let jsm: Promise<JetStreamManager> | undefined;
  return {
    nc,
    server: base.server!,
    user: options.user,
    jetStreamDomain: domain,
    jetstreamManager() {
      jsm ??= jetstreamManager(nc, { domain, timeout }).catch((e: unknown) => {
        jsm = undefined;
        throw new NatsUserError(describe(e, { action: 'opening JetStream' }), { cause: e });
      });
      return jsm;
    },
    jetstream: () => jetstream(nc, { domain, timeout }),
    describe,
    async close() {
      if (!nc.isClosed()) await nc.close();
    },
  };
}

/** `nats://user:secret@host:4222` → `nats://host:4222`: what may appear in messages and logs. */
export function displayServers(servers: string | string[]): string {
  const list = Array.isArray(servers) ? servers : [servers];
  return list.map(s => s.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1')).join(', ');
}

// ---- Logging in: NKey seeds and credentials files, read and checked before connecting ----

interface Login {
  info: NatsAuthInfo;
  authenticator?: Authenticator;
}

const encoder = new TextEncoder();

async function loginFor(options: NatsConnectOptions): Promise<Login> {
  if (options.credsFile !== undefined) {
    const file = options.credsFile;
    let creds = parseCreds(file, await readText('credentials file', file));
    // Re-read at every (re)connect so that renewed credentials are picked up; a file gone bad keeps the last good ones.
    const current = () => {
      try {
        creds = parseCreds(file, readFileSync(file, 'utf8'));
      } catch {
        // keep the last good credentials
      }
      return creds;
    };
    const info: NatsAuthInfo = { kind: 'creds', file, publicKey: creds.publicKey };
    if (creds.expiresAt !== undefined) info.expiresAt = creds.expiresAt;
    return { info, authenticator: jwtAuthenticator(() => current().jwt, () => current().seed) };
  }
  if (options.nkeySeedFile !== undefined) {
    const file = options.nkeySeedFile;
    const text = await readText('NKey seed file', file);
    const found = text.split(/\r?\n/).map(l => l.trim()).find(l => /^S[A-Z2-7]{50,}$/.test(l));
    if (!found) throw fileError('NKey seed file', file, { kind: 'no-seed' });
    const key = userSeed(found);
    if (!key.ok) throw fileError('NKey seed file', file, key.role ? { kind: 'not-user-seed', role: key.role } : { kind: 'invalid-seed' });
    return { info: { kind: 'nkey', file, publicKey: key.publicKey }, authenticator: nkeyAuthenticator(key.seed) };
  }
  if (options.nkeySeed !== undefined) {
    const key = userSeed(options.nkeySeed.trim());
    if (!key.ok) throw new NatsUserError(describeStoredSeedProblem(key.role));
    return { info: { kind: 'nkey', publicKey: key.publicKey }, authenticator: nkeyAuthenticator(key.seed) };
  }
  if (options.token !== undefined) return { info: { kind: 'token' } };
  if (options.user !== undefined) return { info: { kind: 'user' } };
  return { info: { kind: 'none' } };
}

const SEED_ROLES: Record<string, string> = { O: 'an operator', A: 'an account', N: 'a server', C: 'a cluster', X: 'a curve key' };

type SeedCheck = { ok: true; seed: Uint8Array; publicKey: string } | { ok: false; role?: string };

function userSeed(text: string): SeedCheck {
  try {
    const seed = encoder.encode(text);
    const publicKey = nkeys.fromSeed(seed).getPublicKey();
    if (!publicKey.startsWith('U')) return { ok: false, role: SEED_ROLES[publicKey[0] ?? ''] ?? 'another kind of key' };
    return { ok: true, seed, publicKey };
  } catch {
    return { ok: false };
  }
}

interface Creds {
  jwt: string;
  seed: Uint8Array;
  publicKey: string;
  expiresAt?: number;
}

/** nsc's layout: a `-----BEGIN NATS USER JWT-----` block, then a `-----BEGIN USER NKEY SEED-----` block. */
function parseCreds(file: string, text: string): Creds {
  const block = (what: string) => new RegExp(`-{3,}BEGIN [^\\n]*${what}[^\\n]*-{3,}\\s*\\n\\s*(\\S+)\\s*\\n\\s*-{3,}END`, 'i').exec(text)?.[1];
  const bad = (why: string) => fileError('credentials file', file, { kind: 'not-creds', why });
  const jwt = block('JWT');
  if (!jwt) throw bad('no user JWT block');
  const seedText = block('SEED');
  if (!seedText) throw bad('no NKey seed block');
  let claims: { sub?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as typeof claims;
  } catch {
    throw bad('its user JWT cannot be decoded');
  }
  const key = userSeed(seedText);
  if (!key.ok) throw bad(key.role ? `its seed is the seed of ${key.role}, not of a user` : 'its NKey seed is not valid');
  if (typeof claims.sub === 'string' && claims.sub !== key.publicKey) throw bad('its NKey seed does not belong to its user JWT');
  return { jwt, seed: key.seed, publicKey: key.publicKey, ...(typeof claims.exp === 'number' && claims.exp > 0 ? { expiresAt: claims.exp * 1000 } : {}) };
}

// ---- TLS ----

interface Tls {
  options: TlsOptions;
  context: NonNullable<NatsErrorContext['tls']>;
}

/** TLS options when the connection asks for TLS (settings or a tls:// address); the files are checked here, read by the client. */
async function tlsFor(options: NatsConnectOptions): Promise<Tls | undefined> {
  const servers = Array.isArray(options.servers) ? options.servers : [options.servers];
  const settings = options.tls ?? {};
  const wanted = options.tls !== undefined || servers.some(s => /^tls:\/\//i.test(s.trim()));
  if (!wanted) return undefined;
  const { caFile, certFile, keyFile } = settings;
  if (caFile) await certificate('CA file', caFile);
  if (certFile && !keyFile) throw fileError('client certificate file', certFile, { kind: 'missing-pair', other: 'client key file' });
  if (keyFile && !certFile) throw fileError('client key file', keyFile, { kind: 'missing-pair', other: 'client certificate file' });
  if (certFile && keyFile) {
    const cert = await certificate('client certificate file', certFile);
    const key = await privateKey(keyFile);
    if (!cert.checkPrivateKey(key)) throw fileError('client certificate file', certFile, { kind: 'key-mismatch', keyFile });
  }
  // The client reads the files at each (re)connect, so renewed certificates are picked up.
  const tlsOptions: TlsOptions & { checkServerIdentity: typeof checkServerIdentity } = {
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
    checkServerIdentity,
  };
  return { options: tlsOptions, context: { ...(caFile ? { caFile } : {}), clientCert: !!certFile } };
}

/**
 * The client names no TLS server for an IP address, and Node then checks the certificate against
 * "localhost": check it against the address actually dialled, as natscli does. Node calls this with
 * the connect options as `this`, which hold the plain socket the client upgrades.
 */
function checkServerIdentity(this: { servername?: string; socket?: Socket } | undefined, host: string, cert: PeerCertificate): Error | undefined {
  const address = !this?.servername ? this?.socket?.remoteAddress : undefined;
  return nodeCheckServerIdentity(address ?? host, cert);
}

async function certificate(kind: NatsFileKind, file: string): Promise<X509Certificate> {
  const data = await readBytes(kind, file);
  try {
    return new X509Certificate(data);
  } catch {
    throw fileError(kind, file, { kind: 'not-pem-certificate' });
  }
}

async function privateKey(file: string): Promise<KeyObject> {
  const data = await readBytes('client key file', file);
  try {
    return createPrivateKey(data);
  } catch {
    throw fileError('client key file', file, { kind: 'not-private-key' });
  }
}

// ---- Files and the server's greeting ----

async function readBytes(kind: NatsFileKind, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw fileError(kind, file, { kind: 'unreadable', error: e });
  }
}

async function readText(kind: NatsFileKind, file: string): Promise<string> {
  return (await readBytes(kind, file)).toString('utf8');
}

function fileError(kind: NatsFileKind, file: string, problem: NatsFileProblem): NatsUserError {
  return new NatsUserError(describeFileProblem(kind, file, problem));
}

function isTimeout(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (x.name === 'TimeoutError') return true;
  return false;
}

/** The INFO line each server sends before TLS starts: whether it requires TLS and verifies client certificates. */
async function probeServerInfo(servers: string | string[], ms: number): Promise<NatsErrorContext['serverInfo']> {
  const list = Array.isArray(servers) ? servers : [servers];
  const infos = await Promise.all(list.map(s => readInfo(s, ms)));
  return infos.find(i => i?.tlsVerify) ?? infos.find(i => i !== undefined);
}

function readInfo(server: string, ms: number): Promise<NatsErrorContext['serverInfo']> {
  const m = /^(?:[a-z]+:\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(server.trim());
  if (!m) return Promise.resolve(undefined);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = Number(m[2] ?? 4222);
  return new Promise(resolve => {
    let text = '';
    const socket = tcpConnect({ host, port });
    const done = (info: NatsErrorContext['serverInfo']) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    const timer = setTimeout(() => done(undefined), ms);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const line = /^INFO\s+(\{.*\})\s*\n/.exec(text);
      if (line) {
        try {
          const info = JSON.parse(line[1]!) as { tls_required?: boolean; tls_verify?: boolean };
          done({ tlsRequired: info.tls_required === true, tlsVerify: info.tls_verify === true });
        } catch {
          done(undefined);
        }
      } else if (text.length > 64_000 || text.includes('\n')) {
        done(undefined);
      }
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}
