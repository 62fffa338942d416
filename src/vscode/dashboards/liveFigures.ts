// The one owner of live figures: one bounded history per connection, fed by one poll at a time per connection. Visible
// dashboards make it poll on their interval; the explorer's refresh feeds it for the health badges (with the stream
// list the tree has just read, so a connection's streams are listed once per interval). Nothing here connects.
import * as vscode from 'vscode';
import { MetricsHistory } from '../../core/metrics/history';
import type { EventTypeCounts, StreamSummary } from '../../nats/explorer';
import type { PollResult } from '../../nats/metrics';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { errorMessage, log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { onSettingsChange, settingsFor } from '../platform/configuration';

/** What a dashboard needs polled while it is visible. */
export interface FigureWatcher {
  connectionId: string;
  /** Consumers whose lag in time it shows: stream → names, or '*' for all of the stream's. */
  lagOf?: ReadonlyMap<string, ReadonlySet<string> | '*'>;
  visible(): boolean;
  /** A domain-events stream whose messages per event type it shows: counted every `every`-th poll (counting costs more). */
  eventTypes?: { stream: string; prefix: string; every: number };
}

export interface PollEvent {
  connectionId: string;
  result?: PollResult;
  /** One sentence when the poll failed (the history gets no sample). */
  problem?: string;
}

export class LiveFigures implements vscode.Disposable {
  private readonly histories = new Map<string, MetricsHistory>();
  private readonly results = new Map<string, PollResult>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly lastPoll = new Map<string, number>();
  private readonly pollCount = new Map<string, number>();
  private readonly watchers = new Set<FigureWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly polled = new vscode.EventEmitter<PollEvent>();
  /** After every poll, with its result or the reason it failed. */
  readonly onDidPoll = this.polled.event;
  private readonly disposables: vscode.Disposable[] = [this.polled];

  constructor(private readonly registry: ConnectionRegistry) {
    this.disposables.push(
      onSettingsChange(['dashboard'], () => this.reschedule(true)),
      registry.onDidChangeState(e => {
        // a new session is a new story: counters may have started over
        if (e.recovered || e.state.kind === 'idle' || e.state.kind === 'failed') this.forget(e.id);
        this.reschedule();
      }),
    );
  }

  /** The connection's history (made on first use). */
  history(connectionId: string): MetricsHistory {
    let h = this.histories.get(connectionId);
    if (!h) {
      h = new MetricsHistory();
      this.histories.set(connectionId, h);
    }
    return h;
  }

  /** The last poll's streams and consumers as the rows show them. */
  latest(connectionId: string): PollResult | undefined {
    return this.results.get(connectionId);
  }

  /** Polls on the dashboard interval while `watcher` is visible; call `reschedule()` when its visibility changes. */
  watch(watcher: FigureWatcher): vscode.Disposable {
    this.watchers.add(watcher);
    this.reschedule();
    return new vscode.Disposable(() => {
      this.watchers.delete(watcher);
      this.reschedule();
    });
  }

  /** Starts or stops each connection's timer by whether a visible dashboard needs it. */
  reschedule(restart = false): void {
    const needed = new Set([...this.watchers].filter(w => w.visible()).map(w => w.connectionId));
    const ms = settingsFor()['dashboard.intervalSeconds'] * 1000;
    for (const [id, timer] of [...this.timers]) {
      if (needed.has(id) && !restart) continue;
      clearInterval(timer);
      this.timers.delete(id);
    }
    for (const id of needed) {
      if (this.timers.has(id)) continue;
      this.timers.set(id, setInterval(() => void this.poll(id), ms));
      // a dashboard that shows again is brought up to date at once
      void this.poll(id);
    }
  }

  /** Whether a visible dashboard keeps this connection polled (the explorer's refresh then adds nothing). */
  dashboardPolls(connectionId: string): boolean {
    return this.timers.has(connectionId);
  }

  /** When the connection was last polled (ms), if ever. */
  lastPolledAt(connectionId: string): number | undefined {
    return this.lastPoll.get(connectionId);
  }

  /**
   * Polls a connected connection once (joining a poll in flight). `streams`: a list just read (the explorer's), so
   * the stream list is not asked for twice.
   */
  poll(connectionId: string, streams?: readonly StreamSummary[]): Promise<void> {
    const running = this.inFlight.get(connectionId);
    if (running) return running;
    const p = this.pollOnce(connectionId, streams).finally(() => this.inFlight.delete(connectionId));
    this.inFlight.set(connectionId, p);
    return p;
  }

  private async pollOnce(connectionId: string, streams?: readonly StreamSummary[]): Promise<void> {
    const session = this.registry.current(connectionId);
    if (!session || this.registry.state(connectionId).kind !== 'connected') {
      this.polled.fire({ connectionId, problem: 'Not connected: connect to see live figures (a dashboard never connects by itself).' });
      return;
    }
    try {
      const rt = await natsRuntime();
      const lagOf = this.lagOf(connectionId);
      const result = await rt.pollMetrics(session, { ...(lagOf.size ? { lagOf } : {}), ...(streams ? { streams } : {}) });
      const polls = (this.pollCount.get(connectionId) ?? 0) + 1;
      this.pollCount.set(connectionId, polls);
      const counts = new Map<string, EventTypeCounts>();
      for (const w of this.watchers) {
        const et = w.eventTypes;
        if (w.connectionId !== connectionId || !et || !w.visible() || counts.has(et.stream) || (polls - 1) % et.every !== 0) continue;
        const summary = result.streams.find(x => x.name === et.stream);
        if (!summary || summary.unavailable || summary.messages === 0) continue;
        try {
          const c = await rt.countEventTypes(session, summary, { prefix: et.prefix, findRare: false });
          counts.set(et.stream, c);
          result.sample.requests += c.requests;
        } catch (e) {
          log().warn(`counting the event types of ${et.stream} for its dashboard: ${errorMessage(e)}`);
        }
      }
      if (counts.size) result.sample.eventTypes = counts;
      this.history(connectionId).add(result.sample);
      this.results.set(connectionId, result);
      this.lastPoll.set(connectionId, result.sample.t);
      this.polled.fire({ connectionId, result });
    } catch (e) {
      log().warn(`live figures of ${connectionId}: ${errorMessage(e)}`);
      this.polled.fire({ connectionId, problem: errorMessage(e) });
    }
  }

  /** The union of what the connection's visible dashboards show the lag of. */
  private lagOf(connectionId: string): Map<string, Set<string> | '*'> {
    const out = new Map<string, Set<string> | '*'>();
    for (const w of this.watchers) {
      if (w.connectionId !== connectionId || !w.visible() || !w.lagOf) continue;
      for (const [stream, names] of w.lagOf) {
        const had = out.get(stream);
        if (names === '*' || had === '*') out.set(stream, '*');
        else out.set(stream, new Set([...(had ?? []), ...names]));
      }
    }
    return out;
  }

  private forget(connectionId: string): void {
    this.histories.delete(connectionId);
    this.results.delete(connectionId);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
