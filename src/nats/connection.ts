// One NATS connection with its JetStream handles; every failure leaves here as a sentence for the user.
import { connect, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { describeNatsError, NatsUserError, type NatsErrorContext } from './errors';

export interface NatsConnectOptions {
  /** `nats://host:port`, `host:port` or several of them. */
  servers: string | string[];
  user?: string;
  pass?: string;
  token?: string;
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

/** Connects or throws a `NatsUserError` whose message says what is wrong and how to fix it. */
export async function connectNats(options: NatsConnectOptions): Promise<NatsSession> {
  const server = displayServers(options.servers);
  const timeout = options.timeoutMs ?? 5_000;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.servers,
      ...(options.user !== undefined ? { user: options.user, pass: options.pass ?? '' } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      name: options.name ?? 'cim-nats',
      timeout,
    });
  } catch (e) {
    throw new NatsUserError(describeNatsError(e, { server, user: options.user }), { cause: e });
  }
  return openSession(nc, options, server, timeout);
}

function openSession(nc: NatsConnection, options: NatsConnectOptions, server: string, timeout: number): NatsSession {
  // The server reports some violations (e.g. on a JetStream domain's mapped API subject) only on the
  // connection's status, while the request itself times out: remember them to explain that timeout.
  let violation: { operation: 'publish' | 'subscription'; subject: string; at: number } | undefined;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'error' && s.error instanceof PermissionViolationError) {
        violation = { operation: s.error.operation, subject: s.error.subject, at: Date.now() };
      }
    }
  })();

  const domain = options.jetStreamDomain || undefined;
  const describe = (e: unknown, context: NatsErrorContext = {}) => {
    const recent = violation && Date.now() - violation.at < VIOLATION_MEMORY_MS ? violation : undefined;
    return describeNatsError(e, { server, user: options.user, domain, ...(recent ? { recentViolation: recent } : {}), ...context });
  };
  let jsm: Promise<JetStreamManager> | undefined;
  return {
    nc,
    server,
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
