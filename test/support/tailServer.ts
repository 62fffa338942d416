// For a tail suite (inside its describe): a private nats-server and a session on it, every tail the suite keeps in
// `tails` stopped after each test, the server stopped at the end.
import type { JetStreamManager } from '@nats-io/jetstream';
import { connectNats, type NatsSession } from '../../src/nats/connection/connect';
import { startNatsServer, type RunningNatsServer } from '../../dev/localServer';
import type { TailSession } from '../../src/nats/tail/tail';

export interface TailServer {
  server: RunningNatsServer;
  session: NatsSession;
  jsm: JetStreamManager;
  tails: TailSession[];
}

export function useTailServer(): TailServer {
  const ctx = { tails: [] as TailSession[] } as TailServer;
  before(async () => {
    ctx.server = await startNatsServer();
    ctx.session = await connectNats({ servers: ctx.server.url, reconnect: { timeWaitMs: 250 } });
    ctx.jsm = await ctx.session.jetstreamManager();
  });
  afterEach(async () => {
    await Promise.all(ctx.tails.splice(0).map(t => t.stop()));
  });
  after(async () => {
    await ctx.session?.close();
    await ctx.server?.stop();
  });
  return ctx;
}
