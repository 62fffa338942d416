// The JetStream explorer: connections → server, the algebra's categories, other streams, KV, object stores → streams
// → event types and consumers. Data is loaded when a node expands, cached per connection, dropped on refresh.
import * as vscode from 'vscode';
import { declaredEventTypes } from '../../core/domain/lookup';
import { categoryOfStream, eventTypeLayout, groupStreams } from '../../core/explorer/streamGroups';
import { formatBytes, formatCount, formatUsage } from '../../core/text/format';
import type { ConnectionEvent } from '../../nats/connection/manager';
import type { ConsumerSummary, EventTypeCounts, ServerOverview, StreamSummary } from '../../nats/explorer';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import { errorMessage, log } from '../log';
import { natsRuntime } from '../natsRuntime';
import { settingsFor } from '../settings';
import { connectionItem, consumerItem, eventTypeItem, streamItem, type ExplorerNode } from './nodes';

interface ConnectionData {
  overview?: Promise<ServerOverview>;
  streams?: Promise<StreamSummary[]>;
  consumers: Map<string, Promise<ConsumerSummary[]>>;
  eventTypes: Map<string, Promise<EventTypeCounts>>;
}

export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly data = new Map<string, ConnectionData>();
  /** The consumers seen at the previous load, to tell acks that stopped moving. */
  private readonly previousConsumers = new Map<string, ConsumerSummary>();
  private roots = new Map<string, Extract<ExplorerNode, { kind: 'connection' }>>();
  private filterText: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly registry: ConnectionRegistry, private readonly algebra: AlgebraService, private readonly domains: DomainService) {
    this.disposables.push(
      registry.onDidChangeEntries(() => this.fire(undefined)),
      registry.onDidChangeState(e => this.onState(e)),
      algebra.onDidChange(() => this.fire(undefined)),
      vscode.workspace.onDidChangeConfiguration(e => e.affectsConfiguration('cimNats.explorer') && this.schedule()),
    );
    this.schedule();
  }

  get filter(): string | undefined {
    return this.filterText;
  }

  setFilter(text: string | undefined): void {
    this.filterText = text?.trim() || undefined;
    void vscode.commands.executeCommand('setContext', 'cimNats.explorer.filtered', !!this.filterText);
    this.fire(undefined);
  }

  /** Drops what was loaded for one connection (or all) and reloads what is shown. */
  refresh(entryId?: string): void {
    if (entryId) this.data.delete(entryId);
    else this.data.clear();
    this.fire(entryId ? this.roots.get(entryId) : undefined);
  }

  /** Counts a stream's event types again, exactly where the counts were estimates, and shows them. */
  countEventTypesExactly(node: Extract<ExplorerNode, { kind: 'eventTypes' }>): void {
    this.dataFor(node.entryId).eventTypes.delete(node.stream.name);
    this.exactEventTypes.add(`${node.entryId}\0${node.stream.name}`);
    this.fire(node);
  }

  /** Connection and stream of the event types the user asked to count exactly: kept across refreshes. */
  private readonly exactEventTypes = new Set<string>();

  /** The streams last loaded for a connection (for pickers), loading them when needed. */
  async streams(entryId: string): Promise<StreamSummary[]> {
    return this.loadStreams(entryId);
  }

  /** The server overview (permissions included) of a connection, loading it when needed. */
  overview(entryId: string): Promise<ServerOverview> {
    const d = this.dataFor(entryId);
    d.overview ??= this.load(entryId, (rt, s) => rt.serverOverview(s));
    return d.overview;
  }

  private onState(e: ConnectionEvent): void {
    // an outage empties the tree into an offline note; the recovery loads it again
    if (e.recovered || e.state.kind === 'reconnecting' || e.state.kind === 'idle' || e.state.kind === 'failed') this.data.delete(e.id);
    this.fire(this.roots.get(e.id));
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const seconds = settingsFor()['explorer.refreshIntervalSeconds'];
    if (seconds > 0) {
      this.timer = setInterval(() => {
        for (const e of this.registry.entries()) if (this.registry.current(e.id)) this.refresh(e.id);
      }, seconds * 1000);
    }
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const readOnly = this.readOnly(node);
    switch (node.kind) {
      case 'connection':
        return connectionItem(node.entry, this.registry.state(node.entry.id), this.registry.activeId() === node.entry.id);
      case 'server': {
        const item = new vscode.TreeItem('Server', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `server:${node.entryId}`;
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = 'server';
        const o = node.overview;
        // a server without server_name calls itself by its 56-character id: not worth a row's width
        item.description = o ? (o.serverName && o.serverName !== o.serverId ? `${o.serverName} · nats-server ${o.version}` : `nats-server ${o.version}`) : 'unavailable';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.tooltip = node.tooltip ?? (node.description ? `${node.label}: ${node.description}` : node.label);
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = 'detail';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.title, node.streams.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `group:${node.entryId}:${JSON.stringify(node.key)}`;
        item.description = node.streams.length === 1 ? '1 stream' : `${node.streams.length} streams`;
        item.iconPath = new vscode.ThemeIcon(node.key.kind === 'kv' ? 'symbol-key' : node.key.kind === 'object' ? 'file-binary' : 'folder');
        item.contextValue = 'group';
        return item;
      }
      case 'stream': {
        const hasChildren = !node.stream.unavailable && (node.stream.consumerCount > 0 || !!this.layout(node));
        return streamItem(node, readOnly, hasChildren);
      }
      case 'eventTypes': {
        const item = new vscode.TreeItem('Event types', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `eventTypes:${node.entryId}:${node.stream.name}`;
        item.description = `${node.prefix}.‹aggregate›.‹event›`;
        item.iconPath = new vscode.ThemeIcon('symbol-event');
        item.tooltip = 'The stream\'s aggregates and events as the algebra reads its subjects, counted when expanded.';
        item.contextValue = 'eventtypes';
        return item;
      }
      case 'eventType':
        return eventTypeItem(node);
      case 'consumer':
        return consumerItem(node, readOnly);
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.tooltip = node.message;
        item.contextValue = 'error';
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        item.tooltip = node.message;
        item.contextValue = 'note';
        return item;
      }
    }
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
        case 'server': return this.serverChildren(node);
        case 'group': return node.streams.map(stream => ({ kind: 'stream', entryId: node.entryId, stream, ...this.categoryOf(stream) }));
        case 'stream': return await this.streamChildren(node);
        case 'eventTypes': return await this.eventTypeChildren(node);
        default: return [];
      }
    } catch (e) {
      log().error('explorer load failed:', e instanceof Error ? (e.stack ?? e.message) : e);
      return [{ kind: 'error', message: errorMessage(e) }];
    }
  }

  private rootNodes(): ExplorerNode[] {
    const next = new Map<string, Extract<ExplorerNode, { kind: 'connection' }>>();
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
      const [overview, list] = await Promise.all([this.overview(entryId).then(o => ({ o }), (e: unknown) => ({ problem: errorMessage(e) })), this.loadStreams(entryId)]);
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

  private loadStreams(entryId: string): Promise<StreamSummary[]> {
    const d = this.dataFor(entryId);
    d.streams ??= this.load(entryId, (rt, s) => rt.listStreams(s));
    return d.streams;
  }

  private async load<T>(entryId: string, f: (rt: Awaited<ReturnType<typeof natsRuntime>>, s: Awaited<ReturnType<ConnectionRegistry['session']>>) => Promise<T>): Promise<T> {
    const [rt, session] = await Promise.all([natsRuntime(), this.registry.session(entryId)]);
    return f(rt, session);
  }

  private serverChildren(node: Extract<ExplorerNode, { kind: 'server' }>): ExplorerNode[] {
    const { entryId, overview: o } = node;
    if (!o) return [{ kind: 'error', entryId, message: node.problem ?? 'The server did not describe itself.' }];
    const row = (label: string, description: string | undefined, icon?: string, tooltip?: string): ExplorerNode =>
      ({ kind: 'detail', entryId, label, description: description ?? '–', ...(icon ? { icon } : {}), ...(tooltip ? { tooltip } : {}) });
    const rows: ExplorerNode[] = [
      row('Name', o.serverName, 'server', `server id ${o.serverId}`),
      row('Version', `nats-server ${o.version}`, 'versions'),
    ];
    if (o.cluster) rows.push(row('Cluster', `${o.cluster.name} · ${o.cluster.urls.length} peers`, 'type-hierarchy', o.cluster.urls.join('\n')));
    rows.push(row('Max payload', formatBytes(o.maxPayload), 'package'));
    rows.push(row('JetStream domain', o.jetStreamDomain ?? 'none', 'globe'));
    if (o.account) {
      const a = o.account;
      rows.push(row('Storage', formatUsage(a.storage, a.limits.maxStorage), 'database'));
      rows.push(row('Memory', formatUsage(a.memory, a.limits.maxMemory), 'chip'));
      rows.push(row('Streams', formatUsage(a.streams, a.limits.maxStreams, formatCount), 'list-tree'));
      rows.push(row('Consumers', formatUsage(a.consumers, a.limits.maxConsumers, formatCount), 'inbox'));
      rows.push(row('API calls', `${formatCount(a.api.total)} (${formatCount(a.api.errors)} errors)`, 'pulse'));
    } else if (o.jetStreamProblem) {
      rows.push({ kind: 'error', entryId, message: o.jetStreamProblem });
    }
    if (o.permissions) {
      const p = o.permissions;
      rows.push(row('User', `${p.user} (account ${p.account})`, 'account'));
      const list = (l?: string[]) => (l?.length ? l.join(', ') : undefined);
      rows.push(row('May publish', list(p.publish?.allow) ?? (p.publish?.deny ? 'all but the denied' : 'everything'), 'arrow-up', p.publish?.deny ? `denied: ${p.publish.deny.join(', ')}` : undefined));
      if (p.publish?.deny?.length) rows.push(row('May not publish', list(p.publish.deny), 'circle-slash'));
      rows.push(row('May subscribe', list(p.subscribe?.allow) ?? (p.subscribe?.deny ? 'all but the denied' : 'everything'), 'arrow-down'));
      if (p.subscribe?.deny?.length) rows.push(row('May not subscribe', list(p.subscribe.deny), 'circle-slash'));
      if (p.expires) rows.push(row('Credentials expire', p.expires, 'clock'));
    } else if (o.permissionsNote) {
      rows.push({ kind: 'note', entryId, message: o.permissionsNote });
    }
    return rows;
  }

  private categoryOf(stream: StreamSummary): { category?: NonNullable<ReturnType<typeof categoryOfStream>> } {
    const category = this.algebraNow ? categoryOfStream(this.algebraNow, stream) : undefined;
    return category ? { category } : {};
  }

  /** The algebra last seen (categories are looked up synchronously while building rows). */
  private algebraNow: Awaited<ReturnType<AlgebraService['algebraFor']>>['algebra'] | undefined;

  private layout(node: Extract<ExplorerNode, { kind: 'stream' }>) {
    if (!node.category || node.stream.kind !== 'stream' || !this.algebraNow) return undefined;
    const hasEvents = node.category.tokens.some(t => t.role === 'aggregate') && node.category.tokens.some(t => t.role === 'event');
    return hasEvents ? eventTypeLayout(this.algebraNow, node.category, node.stream.subjects) : undefined;
  }

  private async streamChildren(node: Extract<ExplorerNode, { kind: 'stream' }>): Promise<ExplorerNode[]> {
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
      out.push({ kind: 'consumer', entryId, consumer: c, ...(warning ? { warning } : {}) });
    }
    return out;
  }

  private async eventTypeChildren(node: Extract<ExplorerNode, { kind: 'eventTypes' }>): Promise<ExplorerNode[]> {
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
