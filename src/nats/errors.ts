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
  /** A permission violation the server reported on the connection around the failure (it may arrive instead of a reply). */
  recentViolation?: { operation: 'publish' | 'subscription'; subject: string };
  /** Streams whose subjects overlap the ones being added, when known. */
  overlapsWith?: { name: string; subjects: string[] }[];
  /** The server's version (`nc.info.version`), for refusals that depend on it. */
  serverVersion?: string;
  /** The subjects of a stream the server refused, and the environment-scoped ones to offer instead. */
  refusedSubjects?: { subjects: string[]; suggestion?: string[] };
}

/** An error whose message is the translated sentence; `cause` keeps the client's error for the log. */
export class NatsUserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsUserError';
  }
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

  if (err instanceof AuthorizationError || /authorization violation/i.test(err.message)) {
    return `Wrong user or password for ${server}${context.user ? ` (user ${context.user})` : ''}: check the credentials.`;
  }
  if (err instanceof UserAuthenticationExpiredError) return `The credentials for ${server} have expired: renew them.`;

  const code = errnoCode(err) ?? errnoCode(cause);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host of ${server} does not resolve: check the server address.`;
  if (err instanceof ConnectionError || (code && /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)$/.test(code))) {
    return `No NATS server answered at ${server}: is it running?`;
  }

  if (err.name === 'AbortError') return `${capital(context.action ?? 'the operation')} was cancelled.`;
  const requires = /requires server ([\d.]+)/.exec(err.message);
  if (requires) return `${capital(context.action ?? 'this')} needs nats-server ${requires[1]} or newer and ${server} runs an older one: upgrade the server or leave the feature out (${err.message}).`;

  if (err instanceof JetStreamApiError) return describeApiError(err, context, server, who);
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
    case 10065: {
      const others = (context.overlapsWith ?? []).map(o => `${o.name} (${o.subjects.join(', ')})`).join(', ');
      return `${stream}'s subjects overlap ${others ? `those of ${others}` : 'an existing stream'} on ${server}: delete or narrow the other stream, or change this one's subjects.`;
    }
    case 10059:
      return `${stream} does not exist on ${server}: create it first or check the name.`;
    case 10014:
      return `The consumer does not exist${context.stream ? ` on stream ${context.stream}` : ''}: create it first or check the name.`;
    case 10039:
      return jetStreamOffForAccount(server, who);
    case 10058:
      return `${stream} already exists on ${server} with another configuration: update it instead of creating it.`;
    case 10052: {
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
