// Which streams the editor checks subjects against: the active connection's, while it is connected (from the stream
// catalogue the explorer shows, never by connecting), else the algebra's stream layout. Rebuilt when the catalogue's
// streams or a connection's state change; event-type counts for pattern hovers and server names are cached per stream.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { CoverageIndex, layoutFromAlgebra, layoutFromServer } from '../../core/coverage';
import { declaredEventTypes, domainTokens } from '../../core/domain/lookup';
import { categoryOfStream, eventTypeLayout, type EventTypeLayout } from '../../core/explorer/streamGroups';
import type { EventTypeCounts, StreamSummary } from '../../nats/explorer';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import type { StreamCatalogue } from '../explorer/streamCatalogue';
import { errorMessage, log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import type { CoverageSourceInfo } from '../../core/coverage/coverageText';
import { onSettingsChange } from '../platform/configuration';

export interface CoverageView {
  source: CoverageSourceInfo;
  index: CoverageIndex;
  algebra: CompiledAlgebra;
  /** Server views: the connection and its streams as the explorer listed them. */
  server?: ServerSnapshot;
}

export interface ServerSnapshot {
  entryId: string;
  connection: string;
  streams: readonly StreamSummary[];
  index: CoverageIndex;
  /** Stream names and subjects: what coverage answers depend on. */
  signature: string;
}

/** A count as far as it got: `result` or `error` once done; `promise` settles either way. */
export interface CountEntry {
  promise: Promise<void>;
  result?: EventTypeCounts;
  error?: string;
  layout: EventTypeLayout;
}

/** Counting stops here: a hover is a glance, not a scan (the explorer's tree counts in full). */
const COUNT_TIMEOUT_MS = 5_000;
const COUNT_MAX_REQUESTS = 300;
const SYNC_DELAY_MS = 150;

export class CoverageService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** What coverage answers may have changed: other streams, another source, another algebra or domains. */
  readonly onDidChange = this.changed.event;
  private snapshot: { key: string; promise: Promise<ServerSnapshot> } | undefined;
  private algebraIndexes = new WeakMap<CompiledAlgebra, CoverageIndex>();
  private readonly shapeIndexes = new WeakMap<CompiledAlgebra, CoverageIndex>();
  private readonly counts = new Map<string, CountEntry>();
  /** What the last answers were given from, to tell when they change. */
  private lastState = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly catalogue: StreamCatalogue,
    private readonly algebra: AlgebraService,
    private readonly domains: DomainService,
  ) {
    this.disposables.push(
      // the catalogue lists again after a refresh, an action of ours, on the explorer's interval and after an outage
      catalogue.onDidChange(() => this.schedule(true)),
      registry.onDidChangeState(() => this.schedule(true)),
      registry.onDidChangeEntries(() => this.schedule(false)),
      algebra.onDidChange(() => this.changedNow()),
      domains.onDidChange(() => {
        this.algebraIndexes = new WeakMap();
        this.changedNow();
      }),
      onSettingsChange(['coverage'], () => this.changedNow()),
    );
  }

  /** The connected active connection, or undefined: coverage never connects by itself. */
  connected(): { entryId: string; connection: string } | undefined {
    const id = this.registry.activeId();
    if (!id || this.registry.state(id).kind !== 'connected' || !this.registry.current(id)) return undefined;
    return { entryId: id, connection: this.registry.entry(id)?.config.name ?? id };
  }

  /** The streams to check a document's subjects against; undefined when `cimNats.coverage.source` is off (unless forced). */
  async view(uri?: vscode.Uri, options: { evenWhenOff?: boolean } = {}): Promise<CoverageView | undefined> {
    const setting = settingsFor(uri)['coverage.source'];
    if (setting === 'off' && !options.evenWhenOff) return undefined;
    const { algebra } = await this.algebra.algebraFor(uri);
    let why = 'cimNats.coverage.source is algebra';
    if (setting !== 'algebra') {
      const live = this.connected();
      why = this.registry.entries().length === 0 ? 'no NATS connection is set up' : `${this.registry.entry(this.registry.activeId() ?? '')?.config.name ?? 'the active connection'} is not connected`;
      if (live) {
        try {
          const server = await this.serverSnapshot(live.entryId, live.connection);
          return { source: { kind: 'server', connection: server.connection }, index: server.index, algebra, server };
        } catch (e) {
          why = `the streams of ${live.connection} could not be listed (${errorMessage(e)})`;
        }
      }
    }
    return { source: { kind: 'algebra', algebra: algebra.spec.name, why }, index: await this.algebraIndex(algebra), algebra };
  }

  /** The event-type counts of a server stream that holds aggregates and events, started on first ask; undefined for other streams. */
  countsFor(view: CoverageView, stream: StreamSummary): CountEntry | undefined {
    const server = view.server;
    if (!server || stream.kind !== 'stream' || stream.unavailable) return undefined;
    const category = categoryOfStream(view.algebra, stream);
    const hasEvents = category && category.tokens.some(t => t.role === 'aggregate') && category.tokens.some(t => t.role === 'event');
    const layout = hasEvents ? eventTypeLayout(view.algebra, category, stream.subjects) : undefined;
    if (!layout) return undefined;
    // a stream that took or lost messages since is counted again
    const key = `${server.entryId}\0${stream.name}\0${stream.messages}\0${stream.lastSeq}`;
    let entry = this.counts.get(key);
    if (entry) return entry;
    const session = this.registry.current(server.entryId);
    if (!session) return undefined;
    const fresh: CountEntry = { layout, promise: Promise.resolve() };
    fresh.promise = Promise.all([natsRuntime(), this.declaredEvents(layout.domain)])
      .then(([rt, declared]) => rt.countEventTypes(session, stream, { prefix: layout.prefix, declared, findRare: false, maxRequests: COUNT_MAX_REQUESTS, signal: AbortSignal.timeout(COUNT_TIMEOUT_MS) }))
      .then(
        r => void (fresh.result = r),
        (e: unknown) => {
          fresh.error = isTimeout(e) ? `${stream.name} took longer than ${COUNT_TIMEOUT_MS / 1000} s to count` : errorMessage(e);
          log().warn(`coverage: counting the event types of ${stream.name}: ${fresh.error}`);
          // a failed count is asked again on the next hover, not kept
          setTimeout(() => this.counts.get(key) === fresh && this.counts.delete(key), 10_000);
        },
      );
    this.counts.set(key, (entry = fresh));
    return entry;
  }

  /** The aggregate › event pairs the domain definitions declare for a domain, as the explorer counts them (0 when absent). */
  private async declaredEvents(domain: string | undefined): Promise<{ aggregate: string; event: string }[]> {
    return domain ? declaredEventTypes(await this.domains.all(), domain) : [];
  }

  private async serverSnapshot(entryId: string, connection: string): Promise<ServerSnapshot> {
    const key = `${entryId}\0${connection}`;
    if (this.snapshot?.key !== key) {
      const promise = this.catalogue.streams(entryId).then(streams => {
        const index = new CoverageIndex(layoutFromServer(connection, streams.filter(s => !s.unavailable)));
        return { entryId, connection, streams, index, signature: streams.map(s => `${s.name}:${s.subjects.join(',')}`).join('\n') };
      });
      this.snapshot = { key, promise };
      // a failed listing is not kept: the next question asks again
      promise.catch(() => this.snapshot?.promise === promise && (this.snapshot = undefined));
    }
    return this.snapshot.promise;
  }

  /** The algebra's streams for every domain (`*`) in each environment: what any deployment of the algebra has. */
  shapeIndex(algebra: CompiledAlgebra): CoverageIndex {
    let index = this.shapeIndexes.get(algebra);
    if (!index) {
      index = new CoverageIndex(layoutFromAlgebra(algebra, algebra.environmentIndex >= 0 ? { environments: [...algebra.environments] } : {}));
      this.shapeIndexes.set(algebra, index);
    }
    return index;
  }

  private async algebraIndex(algebra: CompiledAlgebra): Promise<CoverageIndex> {
    let index = this.algebraIndexes.get(algebra);
    if (!index) {
      const domains = [...new Set((await this.domains.all()).flatMap(domainTokens))];
      // no definition: every domain (`*`), so only the algebra's shape is checked, as `cim-nats coverage` does
      index = new CoverageIndex(layoutFromAlgebra(algebra, {
        ...(algebra.environmentIndex >= 0 ? { environments: [...algebra.environments] } : {}),
        ...(domains.length ? { domains } : {}),
      }));
      this.algebraIndexes.set(algebra, index);
    }
    return index;
  }

  /** Debounced: the tree fires once per reload of each node, and a state change comes with a reload. */
  private schedule(dropStreams: boolean): void {
    if (dropStreams) this.snapshot = undefined;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sync(), SYNC_DELAY_MS);
  }

  /** Re-reads what answers come from; fires only when that changed (other streams, another source). */
  private async sync(): Promise<void> {
    let state: string;
    const live = this.connected();
    if (live && settingsFor()['coverage.source'] === 'server') {
      try {
        const s = await this.serverSnapshot(live.entryId, live.connection);
        state = `server\0${s.entryId}\0${s.signature}`;
      } catch (e) {
        state = `failed\0${errorMessage(e)}`;
      }
    } else {
      state = `algebra\0${live?.entryId ?? ''}`;
    }
    if (state === this.lastState) return;
    this.lastState = state;
    this.changed.fire();
  }

  private changedNow(): void {
    this.lastState = '';
    this.schedule(false);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function isTimeout(e: unknown): boolean {
  for (let c: unknown = e; c instanceof Error; c = c.cause) if (c.name === 'TimeoutError' || c.name === 'AbortError') return true;
  return false;
}
