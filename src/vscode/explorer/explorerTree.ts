// The JetStream explorer: connections → server, the algebra's categories, other streams, KV, object stores → streams
// → event types and consumers. Streams come from the catalogue (shared with coverage); the server overview, consumers
// and event-type counts are loaded when a node expands and cached per connection. What an action of ours changed is
// read again at once; while the view is visible the streams are listed again every few seconds.
import * as vscode from 'vscode';
import { declaredEventTypes } from '../../core/domain/lookup';
import { categoryOfStream, eventTypeLayout, groupStreams } from '../../core/explorer/streamGroups';
import { formatCount } from '../../core/text/format';
import type { ConnectionEvent } from '../../nats/connection/manager';
import type { ConsumerSummary, EventTypeCounts, ServerOverview, StreamSummary } from '../../nats/explorer';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry, ServerChange } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import { errorMessage, log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { onSettingsChange, settingsFor } from '../platform/configuration';
import { treeItem } from './items';
import { serverDetails } from './items/serverItem';
import type { ExplorerNode, NodeOf } from './nodes';
import { StreamCatalogue, type CatalogueChange } from './streamCatalogue';
import type { HealthSource } from '../dashboards/health';
import type { HealthProblem } from '../../core/metrics/history';
import { ObjectStoreRows } from '../obj/objTree';
import { KvRows } from '../kv/kvTree';

interface ConnectionData {
  overview?: Promise<ServerOverview>;
  consumers: Map<string, Promise<ConsumerSummary[]>>;
  eventTypes: Map<string, Promise<EventTypeCounts>>;
}

export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly data = new Map<string, ConnectionData>();
  /** The consumers seen at the previous load, to tell acks that stopped moving. */
  private readonly previousConsumers = new Map<string, ConsumerSummary>();
  private roots = new Map<string, NodeOf<'connection'>>();
  private filterText: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Whether the view shows: the interval runs only then. */
  private visible = false;
  private ticking: Promise<void> | undefined;
  /** After each interval's stream lists, with the connections listed (the health badges poll then). */
  private readonly ticked = new vscode.EventEmitter<string[]>();
  readonly onDidTick = this.ticked.event;
  /** Health badges (src/vscode/dashboards/health.ts), when on. */
  private health: HealthSource | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.ticked];
  /** The connections' streams, which coverage reads too. */
  readonly catalogue: StreamCatalogue;
  /** The "Object stores" group's rows (src/vscode/obj). */
  private readonly objectRows = new ObjectStoreRows(() => this.registry);
  /** The "Key-value buckets" group's rows (src/vscode/kv); its commands change what a bucket shows. */
  readonly kvRows = new KvRows(() => this.registry);

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly algebra: AlgebraService,
    private readonly domains: DomainService,
    catalogue?: StreamCatalogue,
  ) {
    // a catalogue the wiring module made is disposed there; one made here goes with the tree
    this.catalogue = catalogue ?? new StreamCatalogue(registry);
    if (!catalogue) this.disposables.push(this.catalogue);
    this.disposables.push(
      registry.onDidChangeEntries(() => this.fire(undefined)),
      registry.onDidChangeState(e => this.onState(e)),
      registry.onDidChangeServer(change => void this.onServerChange(change)),
      this.catalogue.onDidChange(change => this.onCatalogueChange(change)),
      algebra.onDidChange(() => this.fire(undefined)),
      onSettingsChange(['explorer'], () => this.schedule()),
    );
  }

  /** Keeps the figures of `view` fresh on the interval while it is visible, and at once when it shows again. */
  showIn(view: vscode.TreeView<ExplorerNode>): vscode.Disposable {
    this.visible = view.visible;
    this.schedule();
    return view.onDidChangeVisibility(e => {
      this.visible = e.visible;
      this.schedule();
      if (e.visible) void this.tick();
    });
  }

  get filter(): string | undefined {
    return this.filterText;
  }

  setFilter(text: string | undefined): void {
    this.filterText = text?.trim() || undefined;
    void vscode.commands.executeCommand('setContext', 'cimNats.explorer.filtered', !!this.filterText);
    this.fire(undefined);
  }

  setHealth(source: HealthSource): void {
    this.health = source;
  }

  /** A connection's health changed: its rows are drawn again. */
  healthChanged(entryId: string): void {
    this.fire(this.roots.get(entryId));
  }

  /** Consumers a poll just listed replace the ones the tree holds (only of streams it has shown). */
  acceptConsumers(entryId: string, consumers: ReadonlyMap<string, ConsumerSummary[]>): void {
    const d = this.data.get(entryId);
    if (!d) return;
    let changed = false;
    for (const stream of d.consumers.keys()) {
      const list = consumers.get(stream);
      if (!list) continue;
      d.consumers.set(stream, Promise.resolve(list));
      changed = true;
    }
    if (changed) this.fire(this.roots.get(entryId));
  }

  /** Drops what was loaded for one connection (or all) and reloads what is shown. */
  refresh(entryId?: string): void {
    if (entryId) this.data.delete(entryId);
    else this.data.clear();
    this.catalogue.forget(entryId);
    this.objectRows.forget(entryId);
    this.kvRows.forget(entryId);
    this.fire(entryId ? this.roots.get(entryId) : undefined);
  }

  /** Counts a stream's event types again, exactly where the counts were estimates, and shows them. */
  countEventTypesExactly(node: NodeOf<'eventTypes'>): void {
    this.dataFor(node.entryId).eventTypes.delete(node.stream.name);
    this.exactEventTypes.add(`${node.entryId}\0${node.stream.name}`);
    this.fire(node);
  }

  /** Connection and stream of the event types the user asked to count exactly: kept across refreshes. */
  private readonly exactEventTypes = new Set<string>();

  /** The streams of a connection (for pickers), from the catalogue. */
  streams(entryId: string): Promise<StreamSummary[]> {
    return this.catalogue.streams(entryId);
  }

  /** The server overview (permissions included) of a connection, loading it when needed. */
  overview(entryId: string): Promise<ServerOverview> {
    const d = this.dataFor(entryId);
    d.overview ??= this.load(entryId, (rt, s) => rt.serverOverview(s));
    return d.overview;
  }

  private onState(e: ConnectionEvent): void {
    // an outage empties the tree into an offline note; the recovery loads it again
    if (e.recovered || e.state.kind === 'reconnecting' || e.state.kind === 'idle' || e.state.kind === 'failed') {
      this.data.delete(e.id);
      this.catalogue.forget(e.id);
    }
    this.fire(this.roots.get(e.id));
  }

  /** Changes told while one is being read, per connection: a burst of publishes costs two reads, not one each. */
  private readonly pendingChanges = new Map<string, Set<string> | 'all'>();
  private readonly draining = new Set<string>();

  /** An action of ours changed a server: what it changed is read again (only where the tree has read it before). */
  private onServerChange(change: ServerChange): void {
    const id = change.connectionId;
    const before = this.pendingChanges.get(id);
    this.pendingChanges.set(id, !change.streams?.length || before === 'all' ? 'all' : new Set([...(before ?? []), ...change.streams]));
    if (this.draining.has(id)) return;
    this.draining.add(id);
    void (async () => {
      try {
        for (let next = this.pendingChanges.get(id); next; next = this.pendingChanges.get(id)) {
          this.pendingChanges.delete(id);
          await this.reread(id, next === 'all' ? undefined : [...next]);
        }
      } finally {
        this.draining.delete(id);
      }
    })();
  }

  private async reread(id: string, streams: string[] | undefined): Promise<void> {
    const d = this.data.get(id);
    if (d) {
      // the account's usage moved too
      d.overview = undefined;
      for (const s of streams ?? [...d.consumers.keys()]) d.consumers.delete(s);
      for (const s of streams ?? [...d.eventTypes.keys()]) d.eventTypes.delete(s);
    }
    if (streams) await this.catalogue.reread(id, streams);
    else await this.catalogue.reload(id);
    this.fire(this.roots.get(id));
  }

  /** The streams that changed lose their consumers (read again when shown); a dropped list loses everything. */
  private onCatalogueChange(change: CatalogueChange): void {
    if (change.first) return;
    if (this.ticking) this.changedInTick.add(change.connectionId);
    const d = this.data.get(change.connectionId);
    if (d && change.streams) for (const s of change.streams) d.consumers.delete(s);
    else if (d) this.data.delete(change.connectionId);
    this.fire(this.roots.get(change.connectionId));
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const seconds = settingsFor()['explorer.refreshIntervalSeconds'];
    if (seconds > 0 && this.visible) this.timer = setInterval(() => void this.tick(), seconds * 1000);
  }

  private readonly changedInTick = new Set<string>();

  /** One stream list per connected connection the tree has shown; rows redrawn for their "x ago" even when unchanged. */
  private tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        const ids = this.catalogue.held().filter(id => this.registry.state(id).kind === 'connected' && this.registry.current(id));
        await Promise.all(ids.map(id => this.catalogue.reload(id)));
        for (const id of ids) if (!this.changedInTick.has(id)) this.fire(this.roots.get(id));
        this.ticked.fire(ids);
      } finally {
        this.changedInTick.clear();
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItem(node, {
      state: id => this.registry.state(id),
      activeId: () => this.registry.activeId(),
      readOnly: n => this.readOnly(n),
      streamHasChildren: n => !n.stream.unavailable && (n.stream.consumerCount > 0 || !!this.layout(n)),
    });
  }

  /** Children being loaded: a refresh fired meanwhile would make VS Code register the same ids twice. */
  private readonly loading = new Set<Promise<unknown>>();

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const p = this.loadChildren(node);
    this.loading.add(p);
    void p.finally(() => this.loading.delete(p));
    return p;
  }

  /** Fires a change once no load is in flight ("Element with id … is already registered" otherwise). */
  private fire(node: ExplorerNode | undefined): void {
    if (this.loading.size === 0) this.changed.fire(node);
    else void Promise.allSettled([...this.loading]).then(() => this.fire(node));
  }

  private async loadChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      if (!node) return this.rootNodes();
      switch (node.kind) {
        case 'connection': return await this.connectionChildren(node.entry.id);
        case 'server': return serverDetails(node);
        case 'group': if (node.key.kind === 'kv') return await this.kvRows.bucketNodes(node.entryId, node.streams);
          if (node.key.kind === 'object') return await this.objectRows.storeNodes(node.entryId, node.streams);
          return node.streams.map(stream => ({ kind: 'stream', entryId: node.entryId, stream, ...this.categoryOf(stream), ...nonEmpty(this.health?.stream(node.entryId, stream.name)) }));
        case 'stream': return await this.streamChildren(node);
        case 'eventTypes': return await this.eventTypeChildren(node);
        case 'objStore': return this.objectRows.objectNodes(node);
        case 'kvBucket': return await this.kvRows.keyNodes(node);
        default: return [];
      }
    } catch (e) {
      log().error('explorer load failed:', e instanceof Error ? (e.stack ?? e.message) : e);
      return [{ kind: 'error', message: errorMessage(e) }];
    }
  }

  private rootNodes(): ExplorerNode[] {
    const next = new Map<string, NodeOf<'connection'>>();
    for (const entry of this.registry.entries()) {
      const old = this.roots.get(entry.id);
      const node = old && old.entry === entry ? old : { kind: 'connection' as const, entry };
      next.set(entry.id, node);
    }
    this.roots = next;
    return [...next.values()];
  }

  private dataFor(entryId: string): ConnectionData {
    let d = this.data.get(entryId);
    if (!d) {
      d = { consumers: new Map(), eventTypes: new Map() };
      this.data.set(entryId, d);
    }
    return d;
  }

  private async connectionChildren(entryId: string): Promise<ExplorerNode[]> {
    const state = this.registry.state(entryId);
    if (state.kind === 'reconnecting') {
      return [{ kind: 'note', entryId, message: `Offline: ${state.server} does not answer. Reconnecting${state.attempt ? ` (attempt ${state.attempt})` : ''}; this reloads by itself when it is back.` }];
    }
    let streams: StreamSummary[];
    let server: ExplorerNode;
    try {
      await this.registry.session(entryId);
      // a failed overview shows under the server node; a failed stream list replaces the groups
      const [overview, list] = await Promise.all([this.overview(entryId).then(o => ({ o }), (e: unknown) => ({ problem: errorMessage(e) })), this.catalogue.streams(entryId)]);
      server = 'o' in overview ? { kind: 'server', entryId, overview: overview.o } : { kind: 'server', entryId, problem: overview.problem };
      streams = list;
    } catch (e) {
      this.data.delete(entryId);
      return [{ kind: 'error', entryId, message: errorMessage(e) }];
    }
    const { algebra } = await this.algebra.algebraFor();
    this.algebraNow = algebra;
    const shown = this.filterText ? streams.filter(s => s.name.toLowerCase().includes(this.filterText!.toLowerCase())) : streams;
    const groups: ExplorerNode[] = groupStreams(algebra, shown).map(g => ({ kind: 'group', entryId, key: g.key, title: g.title, streams: g.streams }));
    const out: ExplorerNode[] = [server, ...groups];
    if (this.filterText) out.push({ kind: 'note', entryId, message: `Filtered by "${this.filterText}": ${shown.length} of ${streams.length} streams` });
    return out;
  }

  private async load<T>(entryId: string, f: (rt: Awaited<ReturnType<typeof natsRuntime>>, s: Awaited<ReturnType<ConnectionRegistry['session']>>) => Promise<T>): Promise<T> {
    const [rt, session] = await Promise.all([natsRuntime(), this.registry.session(entryId)]);
    return f(rt, session);
  }

  private categoryOf(stream: StreamSummary): { category?: NonNullable<ReturnType<typeof categoryOfStream>> } {
    const category = this.algebraNow ? categoryOfStream(this.algebraNow, stream) : undefined;
    return category ? { category } : {};
  }

  /** The algebra last seen (categories are looked up synchronously while building rows). */
  private algebraNow: Awaited<ReturnType<AlgebraService['algebraFor']>>['algebra'] | undefined;

  private layout(node: NodeOf<'stream'>) {
    if (!node.category || node.stream.kind !== 'stream' || !this.algebraNow) return undefined;
    const hasEvents = node.category.tokens.some(t => t.role === 'aggregate') && node.category.tokens.some(t => t.role === 'event');
    return hasEvents ? eventTypeLayout(this.algebraNow, node.category, node.stream.subjects) : undefined;
  }

  private async streamChildren(node: NodeOf<'stream'>): Promise<ExplorerNode[]> {
    const { entryId, stream } = node;
    const out: ExplorerNode[] = [];
    const layout = this.layout(node);
    if (layout && stream.messages > 0) out.push({ kind: 'eventTypes', entryId, stream, ...layout });
    if (stream.consumerCount === 0) return out;
    const d = this.dataFor(entryId);
    let consumers = d.consumers.get(stream.name);
    if (!consumers) {
      consumers = this.load(entryId, (rt, s) => rt.listConsumers(s, stream.name));
      d.consumers.set(stream.name, consumers);
    }
    let list: ConsumerSummary[];
    try {
      list = await consumers;
    } catch (e) {
      d.consumers.delete(stream.name);
      return [...out, { kind: 'error', entryId, message: errorMessage(e) }];
    }
    const rt = await natsRuntime();
    const threshold = settingsFor()['explorer.pendingWarningThreshold'];
    for (const c of list) {
      const key = `${entryId}/${c.stream}/${c.name}`;
      const { warning } = rt.consumerHealth(c, threshold, this.previousConsumers.get(key));
      this.previousConsumers.set(key, c);
      out.push({ kind: 'consumer', entryId, consumer: c, ...(warning ? { warning } : {}), ...nonEmpty(this.health?.consumer(entryId, c.stream, c.name)) });
    }
    return out;
  }

  private async eventTypeChildren(node: NodeOf<'eventTypes'>): Promise<ExplorerNode[]> {
    const { entryId, stream, prefix } = node;
    const d = this.dataFor(entryId);
    let counts = d.eventTypes.get(stream.name);
    if (!counts) {
      const declared = await this.declaredEvents(node.domain);
      const exact = this.exactEventTypes.has(`${entryId}\0${stream.name}`);
      const loading = this.load(entryId, (rt, s) => rt.countEventTypes(s, stream, { prefix, declared, exact }));
      void vscode.window.withProgress({ location: { viewId: 'cimNats.explorer' }, title: `Counting event types of ${stream.name}` }, () => loading.catch(() => undefined));
      d.eventTypes.set(stream.name, loading);
      counts = loading;
    }
    let result: EventTypeCounts;
    try {
      result = await counts;
    } catch (e) {
      d.eventTypes.delete(stream.name);
      return [{ kind: 'error', entryId, message: errorMessage(e) }];
    }
    const rows: ExplorerNode[] = result.types.map(type => ({ kind: 'eventType', entryId, stream, prefix, type }));
    if (result.other > 0) rows.push({ kind: 'note', entryId, message: `${formatCount(result.other)} messages of other, rarer event types (not sampled)` });
    if (result.note) rows.push({ kind: 'note', entryId, message: result.note });
    if (rows.length === 0) rows.push({ kind: 'note', entryId, message: 'No event messages in this stream.' });
    return rows;
  }

  /** The aggregate › event pairs the workspace's domain definitions declare for a domain. */
  private async declaredEvents(domain: string | undefined): Promise<{ aggregate: string; event: string }[]> {
    return domain ? declaredEventTypes(await this.domains.all(), domain) : [];
  }

  private readOnly(node: ExplorerNode): boolean {
    const id = node.kind === 'connection' ? node.entry.id : node.entryId;
    return id ? (this.registry.entry(id)?.config.readOnly ?? false) : false;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** A node's health problems, only when there are some. */
function nonEmpty(problems: HealthProblem[] | undefined): { health?: HealthProblem[] } {
  return problems?.length ? { health: problems } : {};
}
