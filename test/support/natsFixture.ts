// The one NATS server fixture: private nats-servers (dev/localServer.ts) on free loopback ports with temp stores,
// sessions on them, and a cluster variant (dev/localCluster.ts); everything stopped again by PID, sessions closed
// first. No vscode here: the plain-Node and the in-host suites both use it.
import { execFileSync } from 'node:child_process';
import type { JetStreamManager } from '@nats-io/jetstream';
import { findNatsServer, startNatsServer, type NatsServerOptions, type RunningNatsServer } from '../../dev/localServer';
import { startNatsCluster, type NatsClusterOptions, type RunningNatsCluster } from '../../dev/localCluster';
import { connectNats, type NatsConnectOptions, type NatsSession } from '../../src/nats/connection/connect';

export type SessionOptions = Omit<NatsConnectOptions, 'servers'>;

/** What every fixture offers: sessions and clean-ups that end with it, the last one first, before its servers stop. */
export interface FixtureScope {
  /** Connects to the fixture's server (or every node of its cluster) unless `servers` is given; closed with the fixture. */
  connect(options?: Partial<NatsConnectOptions>): Promise<NatsSession>;
  /** Runs `cleanup` when the fixture stops, before its sessions close and its servers stop (e.g. disposing a manager). */
  defer(cleanup: () => unknown): void;
}

export interface NatsFixtureOptions extends NatsServerOptions {
  /** A fresh server for every test (beforeEach/afterEach) instead of one for the suite (before/after). */
  perTest?: boolean;
  /** Connect `fixture.session` with these options (servers = the server's URL); `false` (default): no session. */
  session?: SessionOptions | boolean;
}

export interface NatsServerFixture extends FixtureScope {
  readonly server: RunningNatsServer;
  readonly url: string;
  /** The session the fixture opened (needs `session` in the options). */
  readonly session: NatsSession;
  /** The session's JetStream manager. */
  jsm(): Promise<JetStreamManager>;
}

/**
 * Call inside a `describe`: registers the hooks that start the server (and session) before the suite (or each test)
 * and stop them after; returns the fixture, whose fields are valid inside tests and in hooks registered after it.
 */
export function useNatsServer(options: NatsFixtureOptions = {}): NatsServerFixture {
  const { perTest, session: sessionOptions, ...serverOptions } = options;
  const scope = new Scope();
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
    connect: options => scope.connect({ ...options, servers: options?.servers ?? fixture.url }),
    defer: cleanup => scope.defer(cleanup),
  };
  (perTest ? beforeEach : before)(async () => {
    const started = await startNatsServer(serverOptions);
    scope.defer(() => started.stop());
    server = started;
    if (sessionOptions) session = await fixture.connect(sessionOptions === true ? {} : sessionOptions);
  });
  (perTest ? afterEach : after)(async () => {
    session = server = undefined;
    await scope.end();
  });
  return fixture;
}

export interface NatsServersFixture extends FixtureScope {
  /** Starts a server for the current test (each test may want its own config); stopped after the test. */
  start(options?: NatsServerOptions): Promise<RunningNatsServer>;
  /** The server the current test started last. */
  readonly server: RunningNatsServer;
}

/** Call inside a `describe` whose tests start their own servers: whatever a test started or connected ends after it. */
export function useNatsServers(): NatsServersFixture {
  const scope = new Scope();
  let server: RunningNatsServer | undefined;
  afterEach(async () => {
    server = undefined;
    await scope.end();
  });
  return {
    async start(options = {}) {
      const started = await startNatsServer(options);
      scope.defer(() => started.stop());
      return (server = started);
    },
    get server() {
      return server ?? notStarted('server (call start() in the test first)');
    },
    connect: options => scope.connect({ ...options, servers: options?.servers ?? server?.url ?? notStarted('server (call start() in the test first)') }),
    defer: cleanup => scope.defer(cleanup),
  };
}

/** Starts a server for `body` alone and stops it after, whatever happens. */
export async function withNatsServer<T>(options: NatsServerOptions, body: (server: RunningNatsServer) => Promise<T>): Promise<T> {
  const server = await startNatsServer(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

export interface NatsClusterFixtureOptions extends NatsClusterOptions {
  /** Connect `fixture.session` to every node with these options; `false` (default): no session. */
  session?: SessionOptions | boolean;
}

export interface NatsClusterFixture extends FixtureScope {
  readonly cluster: RunningNatsCluster;
  readonly session: NatsSession;
}

/** The cluster variant of `useNatsServer`: one cluster for the suite, ready for a stream with a replica on every node. */
export function useNatsCluster(options: NatsClusterFixtureOptions = {}): NatsClusterFixture {
  const { session: sessionOptions, ...clusterOptions } = options;
  const scope = new Scope();
  let cluster: RunningNatsCluster | undefined;
  let session: NatsSession | undefined;
  const fixture: NatsClusterFixture = {
    get cluster() {
      return cluster ?? notStarted('cluster');
    },
    get session() {
      if (!sessionOptions) throw new Error('this NATS cluster fixture opens no session: pass `session: true` (or connect options) to useNatsCluster.');
      return session ?? notStarted('session');
    },
    connect: options => scope.connect({ ...options, servers: options?.servers ?? fixture.cluster.urls }),
    defer: cleanup => scope.defer(cleanup),
  };
  before(async () => {
    const started = await startNatsCluster(clusterOptions);
    scope.defer(() => started.stop());
    cluster = started;
    if (sessionOptions) session = await fixture.connect(sessionOptions === true ? {} : sessionOptions);
  });
  after(async () => {
    session = cluster = undefined;
    await scope.end();
  });
  return fixture;
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

/** Clean-ups run last first; every one runs even when an earlier one fails, and the first failure is reported. */
class Scope {
  private cleanups: (() => unknown)[] = [];

  defer(cleanup: () => unknown): void {
    this.cleanups.push(cleanup);
  }

  async connect(options: NatsConnectOptions): Promise<NatsSession> {
    const session = await connectNats(options);
    this.defer(() => session.close());
    return session;
  }

  async end(): Promise<void> {
    let failure: unknown;
    for (let cleanup = this.cleanups.pop(); cleanup; cleanup = this.cleanups.pop()) {
      try {
        await cleanup();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }
}

function notStarted(what: string): never {
  throw new Error(`the NATS fixture's ${what} is not running: use it inside a test, or in a hook registered after the fixture.`);
}
