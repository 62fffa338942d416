// The one NATS server fixture: a private nats-server (dev/localServer.ts) on a free loopback port with a temp store,
// optionally a session on it, stopped by PID after the suite (or each test); a cluster variant over dev/localCluster.ts.
// No vscode here: the plain-Node and the in-host suites both use it.
import { execFileSync } from 'node:child_process';
import type { JetStreamManager } from '@nats-io/jetstream';
import { findNatsServer, startNatsServer, type NatsServerOptions, type RunningNatsServer } from '../../dev/localServer';
import { startNatsCluster, type NatsClusterOptions, type RunningNatsCluster } from '../../dev/localCluster';
import { connectNats, type NatsConnectOptions, type NatsSession } from '../../src/nats/connection/connect';

export type SessionOptions = Omit<NatsConnectOptions, 'servers'>;

export interface NatsFixtureOptions extends NatsServerOptions {
  /** A fresh server for every test (beforeEach/afterEach) instead of one for the suite (before/after). */
  perTest?: boolean;
  /** Connect `fixture.session` with these options (servers = the server's URL); `false` (default): no session. */
  session?: SessionOptions | boolean;
}

export interface NatsServerFixture {
  readonly server: RunningNatsServer;
  readonly url: string;
  /** The session the fixture opened (needs `session` in the options); closed before the server stops. */
  readonly session: NatsSession;
  /** The session's JetStream manager. */
  jsm(): Promise<JetStreamManager>;
}

/**
 * Call inside a `describe`: registers the hooks that start the server (and session) and stop them again, and returns
 * the fixture whose fields are valid inside tests and later hooks.
 */
export function useNatsServer(options: NatsFixtureOptions = {}): NatsServerFixture {
  const { perTest, session: sessionOptions, ...serverOptions } = options;
  let server: RunningNatsServer | undefined;
  let session: NatsSession | undefined;
  const fixture: NatsServerFixture = {
    get server() {
      return server ?? notStarted('server');
    },
    get url() {
      return fixture.server.url;
    },
    get session() {
      if (!sessionOptions) throw new Error('this NATS fixture opens no session: pass `session: true` (or connect options) to useNatsServer.');
      return session ?? notStarted('session');
    },
    jsm: () => fixture.session.jetstreamManager(),
  };
  const start = async () => {
    server = await startNatsServer(serverOptions);
    if (sessionOptions) session = await connectNats({ ...(sessionOptions === true ? {} : sessionOptions), servers: server.url });
  };
  const stop = async () => {
    const [s, srv] = [session, server];
    session = server = undefined;
    try {
      await s?.close();
    } finally {
      await srv?.stop();
    }
  };
  (perTest ? beforeEach : before)(start);
  (perTest ? afterEach : after)(stop);
  return fixture;
}

/** Starts a server for the body of one test and stops it after, whatever happens (for a server with one test's config). */
export async function withNatsServer<T>(options: NatsServerOptions, body: (server: RunningNatsServer) => Promise<T>): Promise<T> {
  const server = await startNatsServer(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

export interface NatsClusterFixtureOptions extends NatsClusterOptions {
  /** Connect `fixture.session` to every node's URL with these options; `false` (default): no session. */
  session?: SessionOptions | boolean;
}

export interface NatsClusterFixture {
  readonly cluster: RunningNatsCluster;
  readonly session: NatsSession;
}

/** The cluster variant of `useNatsServer`: one cluster for the suite, ready for a stream of every node's replicas. */
export function useNatsCluster(options: NatsClusterFixtureOptions = {}): NatsClusterFixture {
  const { session: sessionOptions, ...clusterOptions } = options;
  let cluster: RunningNatsCluster | undefined;
  let session: NatsSession | undefined;
  before(async () => {
    cluster = await startNatsCluster(clusterOptions);
    if (sessionOptions) session = await connectNats({ ...(sessionOptions === true ? {} : sessionOptions), servers: cluster.urls });
  });
  after(async () => {
    const [s, c] = [session, cluster];
    session = cluster = undefined;
    try {
      await s?.close();
    } finally {
      await c?.stop();
    }
  });
  return {
    get cluster() {
      return cluster ?? notStarted('cluster');
    },
    get session() {
      if (!sessionOptions) throw new Error('this NATS cluster fixture opens no session: pass `session: true` (or connect options) to useNatsCluster.');
      return session ?? notStarted('session');
    },
  };
}

/** The version of the nats-server binary the fixtures start (`2.15.1`), read once; `not installed` when there is none. */
export function natsServerVersion(): string {
  if (cachedVersion === undefined) {
    const bin = findNatsServer();
    cachedVersion = bin ? execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().replace(/^nats-server:\s*v?/, '') : 'not installed';
  }
  return cachedVersion;
}
let cachedVersion: string | undefined;

function notStarted(what: string): never {
  throw new Error(`the NATS fixture's ${what} is not running: use it inside a test or a hook that runs after the fixture's own.`);
}
