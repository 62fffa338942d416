// The one owner of every NatsConnection: the tree, publishing, tails and coverage ask it for sessions, never connect().
import type { ConnectionConfig, ConnectionOrigin } from '../../core/connections/schema';
import { connectNats, type NatsConnectOptions, type NatsSession } from './connect';
import { NatsUserError } from '../errors/sentences';

export interface ConnectionEntry {
  /** Stable within a run: `settings:<name>` or `environment`. */
  id: string;
  config: ConnectionConfig;
  origin: ConnectionOrigin;
}

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; server: string }
  | { kind: 'reconnecting'; attempt: number; server: string }
  | { kind: 'failed'; reason: string };

export interface ConnectionEvent {
  id: string;
  state: ConnectionState;
  /** The connection came back after an outage: views should reload. */
  recovered?: boolean;
}

export interface ConnectionManagerOptions {
  /** The options with secrets for one entry (asks the user where needed); rejects with a sentence when it cannot. */
  resolve(entry: ConnectionEntry): Promise<NatsConnectOptions>;
  /** Wait between reconnect attempts (ms). */
  reconnectWaitMs?: number;
  timeoutMs?: number;
  /** Lines for the log; never given a secret. */
  log?(line: string): void;
}

interface Live {
  entry: ConnectionEntry;
  state: ConnectionState;
  session?: NatsSession;
  pending?: Promise<NatsSession>;
  /** What the open session connected with (secrets included, in memory only): a second connection asks nothing again. */
  options?: NatsConnectOptions;
  /** Bumped on every connect/disconnect, so a late result of an older attempt is dropped. */
  generation: number;
}

type Listener = (event: ConnectionEvent) => void;

export class ConnectionManager {
  private readonly live = new Map<string, Live>();
  private readonly listeners = new Set<Listener>();
  private disposed = false;

  constructor(private readonly options: ConnectionManagerOptions) {}

  entries(): ConnectionEntry[] {
    return [...this.live.values()].map(l => l.entry);
  }

  entry(id: string): ConnectionEntry | undefined {
    return this.live.get(id)?.entry;
  }

  /** Replaces the known connections; a removed one, or one whose config changed, is disconnected. */
  setEntries(entries: readonly ConnectionEntry[]): void {
    const next = new Map(entries.map(e => [e.id, e]));
    for (const [id, l] of this.live) {
      const e = next.get(id);
      if (!e) {
        void this.close(l, 'removed');
        this.live.delete(id);
      } else if (JSON.stringify(e.config) !== JSON.stringify(l.entry.config)) {
        void this.close(l, 'changed');
        l.entry = e;
      } else l.entry = e;
    }
    for (const [id, e] of next) if (!this.live.has(id)) this.live.set(id, { entry: e, state: { kind: 'idle' }, generation: 0 });
  }

  state(id: string): ConnectionState {
    return this.live.get(id)?.state ?? { kind: 'idle' };
  }

  /** The open session, without connecting. */
  current(id: string): NatsSession | undefined {
    const l = this.live.get(id);
    return l?.state.kind === 'connected' || l?.state.kind === 'reconnecting' ? l.session : undefined;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The session for a connection, connecting it first when needed; concurrent callers share one attempt. */
  session(id: string): Promise<NatsSession> {
    const l = this.live.get(id);
    if (!l) return Promise.reject(new NatsUserError(`There is no connection "${id.replace(/^settings:/, '')}" any more: pick another one.`));
    if (this.disposed) return Promise.reject(new NatsUserError('The extension is shutting down.'));
    if (l.session && !l.session.nc.isClosed()) return Promise.resolve(l.session);
    l.pending ??= this.open(l).finally(() => (l.pending = undefined));
    return l.pending;
  }

  /**
   * What connecting this entry takes, secrets included, for a connection of its own elsewhere (a tail in a worker
   * thread): the options its sessions are opened with. Never logged.
   */
  async connectOptions(id: string, purpose: string): Promise<NatsConnectOptions> {
    const l = this.live.get(id);
    if (!l) throw new NatsUserError(`There is no connection "${id.replace(/^settings:/, '')}" any more: pick another one.`);
    const name = `cim-nats vscode ${purpose} (${l.entry.config.name})`;
    return l.options && l.session && !l.session.nc.isClosed() ? { ...l.options, name } : this.optionsFor(l.entry, name);
  }

  async disconnect(id: string): Promise<void> {
    const l = this.live.get(id);
    if (l) await this.close(l, 'disconnected by the user');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.live.values()].map(l => this.close(l, 'shutdown')));
    this.listeners.clear();
  }

  private async optionsFor(entry: ConnectionEntry, name: string): Promise<NatsConnectOptions> {
    return { name, timeoutMs: this.options.timeoutMs, ...(await this.options.resolve(entry)), reconnect: { timeWaitMs: this.options.reconnectWaitMs ?? 1000 } };
  }

  private async open(l: Live): Promise<NatsSession> {
    const generation = ++l.generation;
    this.set(l, { kind: 'connecting' });
    let session: NatsSession;
    let options: NatsConnectOptions;
    try {
      options = await this.optionsFor(l.entry, `cim-nats vscode (${l.entry.config.name})`);
      session = await connectNats(options);
    } catch (e) {
      if (generation === l.generation) this.set(l, { kind: 'failed', reason: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    if (generation !== l.generation || this.disposed) {
      await session.close();
      throw new NatsUserError(`Connecting to ${l.entry.config.name} was cancelled.`);
    }
    l.session = session;
    l.options = options;
    this.options.log?.(`connected ${l.entry.config.name} to ${session.nc.getServer()} (nats-server ${session.nc.info?.version ?? '?'})`);
    this.set(l, { kind: 'connected', server: session.nc.getServer() });
    void this.watch(l, session, generation);
    return session;
  }

  /** Follows the client's status: reconnect attempts are counted and shown, a recovery makes views reload. */
  private async watch(l: Live, session: NatsSession, generation: number): Promise<void> {
    let attempt = 0;
    const mine = () => generation === l.generation && l.session === session;
    try {
      for await (const s of session.nc.status()) {
        if (!mine()) break;
        if (s.type === 'disconnect') {
          attempt = 0;
          this.options.log?.(`${l.entry.config.name}: lost ${s.server}, reconnecting`);
          this.set(l, { kind: 'reconnecting', attempt, server: s.server });
        } else if (s.type === 'reconnecting') {
          this.set(l, { kind: 'reconnecting', attempt: ++attempt, server: session.nc.getServer() });
        } else if (s.type === 'reconnect') {
          this.options.log?.(`${l.entry.config.name}: reconnected to ${s.server} after ${attempt} attempt(s)`);
          this.set(l, { kind: 'connected', server: s.server }, true);
        }
      }
    } catch {
      // the status iterator ends with the connection; the close below reports it
    }
    const err = await session.nc.closed();
    if (mine()) {
      l.session = undefined;
      l.options = undefined;
      this.set(l, err ? { kind: 'failed', reason: session.describe(err) } : { kind: 'idle' });
    }
  }

  private async close(l: Live, why: string): Promise<void> {
    l.generation++;
    const session = l.session;
    l.session = undefined;
    l.options = undefined;
    l.pending = undefined;
    if (l.state.kind !== 'idle') this.set(l, { kind: 'idle' });
    if (session) {
      this.options.log?.(`closing ${l.entry.config.name} (${why})`);
      await session.close().catch(() => undefined);
    }
  }

  private set(l: Live, state: ConnectionState, recovered = false): void {
    l.state = state;
    const event: ConnectionEvent = { id: l.entry.id, state, ...(recovered ? { recovered } : {}) };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.options.log?.(`a connection listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
