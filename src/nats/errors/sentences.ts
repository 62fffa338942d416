// NATS errors in the user's terms: one sentence that names the problem and the fix.
import {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';
import { API } from './apiCodes';
import { NatsUserError } from './userError';

export { NatsUserError };

/** How a connection logs in, for saying which credential was refused; never the secret itself. */
export interface NatsAuthInfo {
  kind: 'none' | 'user' | 'token' | 'nkey' | 'creds';
  /** The NKey user's public key (`U…`), from the seed or the credentials' JWT. */
  publicKey?: string;
  /** The credentials or seed file. */
  file?: string;
  /** When the credentials' user JWT expires (ms since the epoch), if it says. */
  expiresAt?: number;
}

export interface NatsErrorContext {
  /** The server as the user configured it, e.g. `nats://127.0.0.1:4222`. */
  server?: string;
  /** The user name the connection logs in with (never the password). */
  user?: string;
  /** What was being done, e.g. `creating stream SAGAS`; starts the sentence of errors without a better one. */
  action?: string;
  subject?: string;
  stream?: string;
  /** The JetStream domain the client addressed. */
  domain?: string;
  /** The JetStream domain of the server the client is connected to (`nc.info.domain`); null when it has none. */
  serverDomain?: string | null;
  /** How the connection logs in. */
  auth?: NatsAuthInfo;
  /** Present when the connection asked for TLS (settings or a tls:// address): whether it has a CA and a client certificate. */
  tls?: { caFile?: string; clientCert?: boolean };
  /** What the server's greeting said, read after a connect that timed out. */
  serverInfo?: { tlsRequired: boolean; tlsVerify: boolean };
  /** A permission violation the server reported on the connection around the failure (it may arrive instead of a reply). */
  recentViolation?: { operation: 'publish' | 'subscription'; subject: string };
  /** Streams whose subjects overlap the ones being added, when known. */
  overlapsWith?: { name: string; subjects: string[] }[];
  /** The server's version (`nc.info.version`), for refusals that depend on it. */
  serverVersion?: string;
  /** The subjects of a stream the server refused, and the environment-scoped ones to offer instead. */
  refusedSubjects?: { subjects: string[]; suggestion?: string[] };
}


/** Wildcards that cover what JetStream needs, by the prefix of the subject that was refused. */
const JETSTREAM_NEEDS: { prefix: string; operation: 'publish' | 'subscription'; grant: string; why: string }[] = [
  { prefix: '_INBOX.', operation: 'subscription', grant: '_INBOX.>', why: 'replies from JetStream and requests arrive there' },
  { prefix: '$JS.API.', operation: 'publish', grant: '$JS.API.>', why: "JetStream's API is called there" },
  { prefix: '$JS.ACK.', operation: 'publish', grant: '$JS.ACK.>', why: 'consumers acknowledge messages there' },
];

export function describeNatsError(e: unknown, context: NatsErrorContext = {}): string {
  const server = context.server ?? 'the NATS server';
  const who = context.user ? `user ${context.user}` : 'the connecting user';
  if (e instanceof NatsUserError) return e.message;
  const err = e instanceof Error ? e : new Error(String(e));
  const cause = err.cause instanceof Error ? err.cause : undefined;

  const violation = permissionViolation(err) ?? (err instanceof TimeoutError ? context.recentViolation : undefined);
  if (violation) return describeViolation(violation, who);

  const tls = describeTlsFailure(err, cause, context, server);
  if (tls) return tls;
  if (err instanceof UserAuthenticationExpiredError || /user authentication expired/i.test(err.message)) return expiredCredentials(server, context.auth);
  if (err instanceof AuthorizationError || /authorization violation/i.test(err.message)) return describeAuthFailure(server, context);

  const code = errnoCode(err) ?? errnoCode(cause);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host of ${server} does not resolve: check the server address.`;
  if (err instanceof ConnectionError || (code && /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)$/.test(code))) {
    return `No NATS server answered at ${server}: is it running?`;
  }

  if (err.name === 'AbortError') return `${capital(context.action ?? 'the operation')} was cancelled.`;
  const requires = /requires server ([\d.]+)/.exec(err.message);
  if (requires) return `${capital(context.action ?? 'this')} needs nats-server ${requires[1]} or newer and ${server} runs an older one: upgrade the server or leave the feature out (${err.message}).`;

  if (err instanceof JetStreamApiError) return describeApiError(err, context, server, who);
  const domain = unansweredDomain(err, cause, context, server);
  if (domain) return domain;
  // The package does not export the JetStreamNotEnabled class; its name is stable.
  if (err.name === 'JetStreamNotEnabled') {
    if (/for account/i.test(err.message)) return jetStreamOffForAccount(server, who);
    if (context.subject) return `No JetStream stream on ${server} stores "${context.subject}": create the stream for it first (or enable JetStream on the server).`;
    return `JetStream does not answer on ${server}: start the server with JetStream (-js) and enable it for ${who}'s account.`;
  }
  if (err instanceof TimeoutError || cause instanceof TimeoutError) {
    if (!context.action) return `No NATS server answered at ${server} in time: is it running?`;
    const domain = context.domain ? ` in JetStream domain "${context.domain}"` : '';
    return `${capital(context.action)} got no answer from ${server}${domain} in time: check that JetStream is enabled${domain ? ' and the domain name is right' : ''}, and that ${who} may publish to $JS.API.>.`;
  }
  if (err instanceof RequestError && (err.isNoResponders() || cause instanceof NoRespondersError)) {
    return `Nothing on ${server} answers${context.subject ? ` on "${context.subject}"` : ''}: start the service that should reply (for JetStream: enable it for ${who}'s account).`;
  }
  if (err instanceof ClosedConnectionError || err instanceof DrainingConnectionError) {
    return `The connection to ${server} is closed: connect again.`;
  }
  return `${capital(context.action ?? 'the NATS operation')} failed on ${server}: ${err.message.replace(/\.$/, '')}.`;
}

function describeApiError(err: JetStreamApiError, context: NatsErrorContext, server: string, who: string): string {
  const stream = context.stream ? `Stream ${context.stream}` : 'The stream';
  switch (err.code) {
    case API.STREAM_SUBJECT_OVERLAP: {
      const others = (context.overlapsWith ?? []).map(o => `${o.name} (${o.subjects.join(', ')})`).join(', ');
      return `${stream}'s subjects overlap ${others ? `those of ${others}` : 'an existing stream'} on ${server}: delete or narrow the other stream, or change this one's subjects.`;
    }
    case API.STREAM_NOT_FOUND:
      return `${stream} does not exist on ${server}: create it first or check the name.`;
    case API.CONSUMER_NOT_FOUND:
      return `The consumer does not exist${context.stream ? ` on stream ${context.stream}` : ''}: create it first or check the name.`;
    case API.JETSTREAM_OFF_FOR_ACCOUNT:
      return jetStreamOffForAccount(server, who);
    case API.STREAM_NAME_IN_USE:
      return `${stream} already exists on ${server} with another configuration: update it instead of creating it.`;
    case API.STREAM_CONFIG_INVALID: {
      // 10052 is the server's "invalid stream config" for many rules: only its description tells them apart.
      const description = err.apiError().description;
      if (/change storage type/i.test(description)) return `${stream} cannot change its storage type on ${server}: delete and recreate it to move it.`;
      return describeSubjectRefusal(description, context, server)
        ?? `${capital(context.action ?? 'the JetStream request')} was refused by ${server}: ${description.replace(/\.$/, '')}.`;
    }
    default: {
      const what = (err.apiError().description || err.message).replace(/\.$/, '');
      return `${capital(context.action ?? 'the JetStream request')} was refused by ${server}: ${what}.`;
    }
  }
}

/** Subjects that could capture JetStream's API: `>` alone (2.10+), a leading wildcard token such as `*.domain.sales.>` (2.11+). */
function describeSubjectRefusal(description: string, context: NatsErrorContext, server: string): string | undefined {
  const who = context.serverVersion ? `nats-server ${context.serverVersion} on ${server}` : context.server ? `The NATS server at ${server}` : 'The NATS server';
  const subjects = context.refusedSubjects?.subjects ?? [];
  const suggestion = context.refusedSubjects?.suggestion;
  const quote = (list: string[]) => list.map(s => `"${s}"`).join(', ');
  if (/capturing all subjects/i.test(description)) {
    const scoped = suggestion?.[subjects.indexOf('>')];
    return `${who} refuses a stream on ">" because it would capture every subject, JetStream's API included: ${scoped ? `use "${scoped}" (the environment's subjects)` : 'list the subjects the stream should store'} instead.`;
  }
  if (!/overlap with jetstream api/i.test(description)) return undefined;
  const wild = subjects.flatMap((s, i) => (s.startsWith('*.') ? [i] : []));
  if (wild.length === 0) return `${who} refuses stream subjects that overlap JetStream's API ($JS.>, $JSC.>, $NRG.>): start every subject with a literal token, such as the environment.`;
  const scoped = suggestion ? wild.map(i => suggestion[i]!) : [];
  const fix = scoped.length > 0
    ? `use the environment-scoped form${scoped.length > 1 ? 's' : ''} ${quote(scoped)} (one stream per environment) instead`
    : 'start them with the environment instead (one stream per environment)';
  return `${who} refuses stream subjects that start with a wildcard (${quote(wild.map(i => subjects[i]!))}, CIM-Start's all-environments form) because they overlap JetStream's API: ${fix}.`;
}

function describeViolation(v: { operation: 'publish' | 'subscription'; subject: string }, who: string): string {
  const verb = v.operation === 'publish' ? 'publish' : 'subscribe';
  const need = JETSTREAM_NEEDS.find(n => n.operation === v.operation && v.subject.startsWith(n.prefix));
  if (need) {
    return `The account of ${who} lacks ${verb} permission for ${need.grant} (${need.why}, here "${v.subject}"): add "${need.grant}" to its ${verb} permissions in the server config.`;
  }
  return `${capital(who)} may not ${verb} to "${v.subject}": add it, or a pattern covering it, to the account's ${verb} permissions in the server config.`;
}

function jetStreamOffForAccount(server: string, who: string): string {
  return `JetStream is not enabled for the account of ${who} on ${server}: add "jetstream: enabled" to that account in the server config.`;
}

/** The permission violation behind an error: the client nests it as a request error's cause. */
function permissionViolation(err: Error): { operation: 'publish' | 'subscription'; subject: string } | undefined {
  for (let x: unknown = err; x instanceof Error; x = x.cause) {
    if (x instanceof PermissionViolationError) return { operation: x.operation, subject: x.subject };
    const parsed = PermissionViolationError.parse(x.message);
    if (parsed) return { operation: parsed.operation, subject: parsed.subject };
  }
  return undefined;
}

function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A server at the start of a sentence: "The NATS server", but an address as written. */
function lead(server: string): string {
  return server.startsWith('the ') ? capital(server) : server;
}

// ---- Logging in, TLS and the files they read ----

function describeAuthFailure(server: string, context: NatsErrorContext): string {
  const auth = context.auth;
  switch (auth?.kind) {
    case 'token':
      return `The token for ${server} was refused: check the connection's token.`;
    case 'nkey':
      return `${lead(server)} does not accept NKey user ${auth.publicKey ?? ''}: add its public key to the server's users, or use the seed of a user it knows.`;
    case 'creds':
      // The server says only "Authorization Violation" for an expired user JWT at connect (2.9.10 and 2.15.1): the JWT says why.
      if (auth.expiresAt !== undefined && auth.expiresAt <= Date.now()) return expiredCredentials(server, auth);
      return `${lead(server)} refused the credentials in ${auth.file ?? 'the credentials file'}${auth.publicKey ? ` (user ${auth.publicKey})` : ''}: check that they were issued for an account of this server's operator.`;
    case 'none':
      return `${lead(server)} requires authentication: set the connection's user, token, NKey or credentials file.`;
    default:
      return `Wrong user or password for ${server}${context.user ? ` (user ${context.user})` : ''}: check the credentials.`;
  }
}

function expiredCredentials(server: string, auth: NatsAuthInfo | undefined): string {
  const when = auth?.expiresAt !== undefined ? `, expired ${new Date(auth.expiresAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  const detail = auth?.kind === 'creds' && auth.file ? ` (${auth.file}${when})` : '';
  return `The credentials for ${server} have expired${detail}: renew them.`;
}

/** Node's verification codes for a certificate chain that ends in no trusted CA. */
const UNTRUSTED_CERT = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED']);

type AltNameError = Error & { host?: string; cert?: { subjectaltname?: string; subject?: { CN?: string } } };

function describeTlsFailure(err: Error, cause: Error | undefined, context: NatsErrorContext, server: string): string | undefined {
  const coded = errnoCode(err) ? err : cause;
  const code = errnoCode(coded) ?? '';
  if (UNTRUSTED_CERT.has(code)) {
    return context.tls
      ? `The certificate of ${server} is signed by an authority this connection does not trust: set the connection's CA file to the CA that signed it.`
      : `${lead(server)} requires TLS with a certificate from an authority this connection does not trust: set the connection's CA file to the CA that signed it.`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const e = coded as AltNameError;
    const names = (e.cert?.subjectaltname ?? '').split(/,\s*/).map(n => n.replace(/^(DNS|IP Address):/, '')).filter(Boolean);
    const held = names.length > 0 ? names.join(', ') : (e.cert?.subject?.CN ?? 'no name');
    return `The certificate of ${server} is not valid for "${e.host ?? '?'}" (it names ${held}): connect with a name it holds, or reissue it.`;
  }
  if (code === 'CERT_HAS_EXPIRED') return `The certificate of ${server} has expired: renew it on the server.`;
  if (code === 'CERT_NOT_YET_VALID') return `The certificate of ${server} is not valid yet: check the clocks of this machine and the server.`;
  if (err instanceof ConnectionError && /does not support 'tls'/.test(err.message)) {
    return `${lead(server)} does not offer TLS, but this connection requires it: enable TLS on the server, or remove the connection's TLS settings and the tls:// scheme.`;
  }
  // A server that verifies clients ends the TLS 1.3 session after the client's handshake: the client sees only its connect timeout.
  const timedOut = err instanceof TimeoutError || cause instanceof TimeoutError;
  const alert = /ALERT_CERTIFICATE_REQUIRED/.test(code) ? 'required' : /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|UNSUPPORTED_CERTIFICATE|CERTIFICATE_UNKNOWN)/.test(code) ? 'refused' : undefined;
  if (alert || (timedOut && context.serverInfo?.tlsVerify)) {
    return context.tls?.clientCert && alert !== 'required'
      ? `${lead(server)} did not accept this connection's client certificate: use one issued for client authentication by a CA the server trusts.`
      : `${lead(server)} requires a client certificate (mutual TLS): set the connection's certificate and key files.`;
  }
  return undefined;
}

/** A request to another JetStream domain than the server's that nobody answers: most likely a misspelt domain. */
function unansweredDomain(err: Error, cause: Error | undefined, context: NatsErrorContext, server: string): string | undefined {
  const { domain, serverDomain } = context;
  if (!domain || serverDomain === undefined || serverDomain === domain || context.subject) return undefined;
  const noAnswer = (err.name === 'JetStreamNotEnabled' && !/for account/i.test(err.message))
    || err instanceof TimeoutError || cause instanceof TimeoutError
    || (err instanceof RequestError && (err.isNoResponders() || cause instanceof NoRespondersError));
  if (!noAnswer) return undefined;
  const theirs = serverDomain ? `the server's is "${serverDomain}"` : 'the server has none: leave it empty';
  return `JetStream domain "${domain}" does not answer on ${server}: check the domain name (${theirs}).`;
}

/** Files a connection reads before it connects. */
export type NatsFileKind = 'credentials file' | 'NKey seed file' | 'CA file' | 'client certificate file' | 'client key file';

export type NatsFileProblem =
  | { kind: 'unreadable'; error: unknown }
  /** A credentials file that lacks or garbles a part, in the user's words: "no user JWT block". */
  | { kind: 'not-creds'; why: string }
  | { kind: 'no-seed' }
  | { kind: 'invalid-seed' }
  | { kind: 'not-user-seed'; role: string }
  | { kind: 'not-pem-certificate' }
  | { kind: 'not-private-key' }
  | { kind: 'key-mismatch'; keyFile: string }
  | { kind: 'missing-pair'; other: 'client key file' | 'client certificate file' };

/** A file of the connection's settings that cannot be used, in one sentence naming the file and the fix (never its content). */
export function describeFileProblem(file: NatsFileKind, path: string, problem: NatsFileProblem): string {
  const issued = 'use the .creds file that nsc or the NATS operator issued';
  switch (problem.kind) {
    case 'unreadable':
      return `The ${file} ${path} cannot be read (${errnoCode(problem.error) ?? 'unreadable'}): check the path in the connection's settings.`;
    case 'not-creds':
      return `The credentials file ${path} is not a NATS credentials file (${problem.why}): ${issued}.`;
    case 'no-seed':
      return `The NKey seed file ${path} holds no NKey seed (a line starting with SU): point it at the user's seed file.`;
    case 'invalid-seed':
      return `The NKey seed file ${path} holds an invalid NKey seed: point it at the user's seed file.`;
    case 'not-user-seed':
      return `The NKey seed file ${path} holds the seed of ${problem.role}, not of a user: use the user's seed (it starts with SU).`;
    case 'not-pem-certificate':
      return `The ${file} ${path} is not a PEM certificate: point it at a certificate file (BEGIN CERTIFICATE).`;
    case 'not-private-key':
      return `The client key file ${path} is not an unencrypted PEM private key: point it at the key of the client certificate (decrypt an encrypted key first).`;
    case 'key-mismatch':
      return `The client certificate file ${path} does not belong to the key in ${problem.keyFile}: set the key that was issued with it.`;
    case 'missing-pair':
      return `The connection's TLS settings have a ${file} (${path}) but no ${problem.other}: set both, or neither.`;
  }
}

/** The seed kept in SecretStorage (there is no file to name). */
export function describeStoredSeedProblem(role?: string): string {
  return role
    ? `The NKey seed kept for this connection is the seed of ${role}, not of a user: enter the user's seed (it starts with SU).`
    : `The NKey seed kept for this connection is not a valid NKey seed: enter the user's seed again (it starts with SU).`;
}
