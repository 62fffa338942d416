// For a tail suite (inside its describe): a private nats-server (the one NATS fixture) and a session on it, every
// tail the suite keeps in `tails` stopped after each test, the server stopped at the end.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsSession } from '../../src/nats/connection/connect';
import type { RunningNatsServer } from '../../dev/localServer';
import type { TailSession } from '../../src/nats/tail/tail';
import { useNatsServer } from './natsFixture';

export interface TailServer {
  server: RunningNatsServer;
  session: NatsSession;
  jsm: JetStreamManager;
  tails: TailSession[];
}

export function useTailServer(): TailServer {
  const nats = useNatsServer({ session: { reconnect: { timeWaitMs: 250 } } });
  const ctx = { tails: [] as TailSession[] } as TailServer;
  before(async () => {
    ctx.server = nats.server;
    ctx.session = nats.session;
    ctx.jsm = await nats.jsm();
  });
  afterEach(async () => {
    await Promise.all(ctx.tails.splice(0).map(t => t.stop()));
  });
  return ctx;
}
