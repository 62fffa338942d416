// The streams of each connection, listed once and read by the explorer's tree and by coverage alike. Listed again on
// refresh, on the explorer's interval, and after an action of ours changed them; it never connects by itself
// except when asked for a list it does not hold (the tree connects on expand).
import * as vscode from 'vscode';
import type { StreamSummary } from '../../nats/explorer';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { errorMessage, log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';

export interface CatalogueChange {
  connectionId: string;
  /** The streams whose figures changed, that came or went; undefined: the list was dropped (anything may differ). */
  streams?: readonly string[];
  /** The first list since none was held: whoever asked for it shows it already. */
  first?: boolean;
}

interface Entry {
  /** The last list read; kept while the next one loads, so rows never blink away. */
  list?: StreamSummary[];
  /** The first load (nothing to show before it). */
  loading?: Promise<StreamSummary[]>;
  /** Bumped on every request and on forget: an older answer never overwrites a newer one. */
  requested: number;
  applied: number;
}

export class StreamCatalogue implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CatalogueChange>();
  /** A connection's streams changed (figures, streams added or removed) or were dropped. */
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly registry: ConnectionRegistry) {}

  /** The connection's streams: the last list, or listed now (connecting when needed). */
  streams(connectionId: string): Promise<StreamSummary[]> {
    const entry = this.entryFor(connectionId);
    if (entry.list) return Promise.resolve(entry.list);
    if (!entry.loading) {
      const asked = ++entry.requested;
      const loading = Promise.all([natsRuntime(), this.registry.session(connectionId)]).then(([rt, session]) => rt.listStreams(session));
      entry.loading = loading;
      loading.then(
        list => this.apply(connectionId, entry, asked, list, true),
        () => this.entries.get(connectionId) === entry && entry.loading === loading && (entry.loading = undefined),
      );
    }
    return entry.loading;
  }

  /** The last list read, without asking the server. */
  peek(connectionId: string): readonly StreamSummary[] | undefined {
    return this.entries.get(connectionId)?.list;
  }

  /** Connections whose streams were asked for since they were last dropped: what the interval lists again. */
  held(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Lists a connection's streams again (one paged request) and says which changed. Only over an open session, and only
   * for a connection whose streams were asked for: never connects. A failure drops the list (the tree then says why).
   */
  async reload(connectionId: string): Promise<void> {
    const entry = this.entries.get(connectionId);
    const session = this.registry.current(connectionId);
    if (!entry || !session) return;
    const asked = ++entry.requested;
    try {
      const list = await (await natsRuntime()).listStreams(session);
      this.apply(connectionId, entry, asked, list);
    } catch (e) {
      log().warn(`listing the streams of ${connectionId} again failed: ${errorMessage(e)}`);
      if (this.entries.get(connectionId) === entry && entry.applied < asked) this.forget(connectionId);
    }
  }

  /** Reads these streams again (one info request each), adding new ones and dropping those that are gone. */
  async reread(connectionId: string, names: readonly string[]): Promise<void> {
    const entry = this.entries.get(connectionId);
    const session = this.registry.current(connectionId);
    if (!entry?.list || !session || names.length === 0) return;
    const asked = ++entry.requested;
    try {
      const { streams, gone } = await (await natsRuntime()).streamsNow(session, names);
      if (!entry.list) return;
      const byName = new Map(entry.list.map(s => [s.name, s]));
      for (const name of gone) byName.delete(name);
      for (const s of streams) byName.set(s.name, s);
      this.apply(connectionId, entry, asked, [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    } catch (e) {
      log().warn(`reading streams ${names.join(', ')} of ${connectionId} again failed: ${errorMessage(e)}; listing them all`);
      await this.reload(connectionId);
    }
  }

  /** Drops what was listed for one connection (or all): the next ask lists again. */
  forget(connectionId?: string): void {
    const ids = connectionId ? [connectionId] : [...this.entries.keys()];
    for (const id of ids) {
      if (!this.entries.delete(id)) continue;
      this.changed.fire({ connectionId: id });
    }
  }

  private entryFor(connectionId: string): Entry {
    let entry = this.entries.get(connectionId);
    if (!entry) {
      entry = { requested: 0, applied: 0 };
      this.entries.set(connectionId, entry);
    }
    return entry;
  }

  private apply(connectionId: string, entry: Entry, asked: number, list: StreamSummary[], waitedFor = false): void {
    // dropped meanwhile, or a newer answer already applied
    if (this.entries.get(connectionId) !== entry || asked <= entry.applied) return;
    entry.applied = asked;
    entry.loading = undefined;
    const before = entry.list;
    entry.list = list;
    const streams = before ? changedStreams(before, list) : list.map(s => s.name);
    if (!before || streams.length > 0) this.changed.fire({ connectionId, streams, ...(!before && waitedFor ? { first: true } : {}) });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** What a row shows or a consumer depends on; "x ago" moves by itself and is redrawn on each interval anyway. */
function figures(s: StreamSummary): string {
  return JSON.stringify([s.messages, s.bytes, s.firstSeq, s.lastSeq, s.consumerCount, s.subjects, s.unavailable ?? '', s.cluster ?? null]);
}

export function changedStreams(before: readonly StreamSummary[], after: readonly StreamSummary[]): string[] {
  const old = new Map(before.map(s => [s.name, figures(s)]));
  const out = after.filter(s => old.get(s.name) !== figures(s)).map(s => s.name);
  const now = new Set(after.map(s => s.name));
  for (const s of before) if (!now.has(s.name)) out.push(s.name);
  return out;
}
