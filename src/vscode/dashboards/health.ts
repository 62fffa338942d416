// Health in the tree: after each poll, the problems of a connection's streams and consumers (no leader, near a limit,
// stalled, falling behind) become badges and tooltips on their rows, a status bar summary for the active connection,
// and, when asked for (cimNats.health.notify), a notification for each new one. The badges' polls ride on the
// explorer's refresh: the stream list it has just read, plus the consumer lists of streams with consumers.
import * as vscode from 'vscode';
import { consumerKey, type HealthProblem, type HealthReport, type HealthSettings } from '../../core/metrics/history';
import { escape } from '../../core/text/markdown';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerTreeProvider } from '../explorer/explorerTree';
import { onSettingsChange, settingsFor } from '../platform/configuration';
import type { LiveFigures, PollEvent } from './liveFigures';

/** What the tree asks when it builds a row. */
export interface HealthSource {
  stream(entryId: string, stream: string): HealthProblem[];
  consumer(entryId: string, stream: string, consumer: string): HealthProblem[];
}

export function healthSettings(): HealthSettings & { badges: boolean; notify: boolean } {
  const s = settingsFor();
  return {
    badges: s['health.badges'],
    notify: s['health.notify'],
    stallSeconds: s['health.stallSeconds'],
    growingIntervals: s['health.growingIntervals'],
    limitThreshold: s['health.limitThreshold'],
  };
}

export class HealthService implements HealthSource, vscode.Disposable {
  private readonly reports = new Map<string, HealthReport>();
  /** Problems already notified, per connection: each is told once until it clears. */
  private readonly told = new Map<string, Set<string>>();
  private readonly item = vscode.window.createStatusBarItem('cimNats.health', vscode.StatusBarAlignment.Left, 49);
  private readonly changed = new vscode.EventEmitter<string>();
  /** A connection's health was assessed again. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.item, this.changed];

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly explorer: ExplorerTreeProvider,
    private readonly figures: LiveFigures,
  ) {
    this.item.name = 'CIM NATS Health';
    this.item.command = 'cimNats.explorer.focus';
    this.disposables.push(
      explorer.onDidTick(ids => this.onExplorerTick(ids)),
      figures.onDidPoll(e => this.onPoll(e)),
      registry.onDidChangeState(e => {
        if (e.state.kind !== 'connected') this.clear(e.id);
      }),
      registry.onDidChangeEntries(() => this.render()),
      onSettingsChange(['health'], () => {
        if (!healthSettings().badges) for (const id of [...this.reports.keys()]) this.clear(id);
        else for (const id of [...this.reports.keys()]) this.assess(id);
      }),
    );
    explorer.setHealth(this);
  }

  stream(entryId: string, stream: string): HealthProblem[] {
    return this.reports.get(entryId)?.streams.get(stream)?.problems ?? [];
  }

  consumer(entryId: string, stream: string, consumer: string): HealthProblem[] {
    return this.reports.get(entryId)?.consumers.get(consumerKey(stream, consumer))?.problems ?? [];
  }

  /** What the status bar item says while it is shown (in-host tests); undefined while it is hidden. */
  get status(): { text: string; tooltip: string } | undefined {
    return this.shown ? { text: this.item.text, tooltip: (this.item.tooltip as vscode.MarkdownString | undefined)?.value ?? '' } : undefined;
  }

  private shown = false;

  /** The last assessment of a connection (in-host tests, dashboards). */
  report(entryId: string): HealthReport | undefined {
    return this.reports.get(entryId);
  }

  /** The explorer listed these connections' streams: poll their consumers, unless a dashboard already keeps them polled. */
  private onExplorerTick(ids: readonly string[]): void {
    if (!healthSettings().badges) return;
    for (const id of ids) {
      if (this.figures.dashboardPolls(id)) continue;
      const streams = this.explorer.catalogue.peek(id);
      if (streams) void this.figures.poll(id, streams);
    }
  }

  private onPoll(e: PollEvent): void {
    if (!e.result) return;
    this.explorer.acceptConsumers(e.connectionId, e.result.consumers);
    // in a task of its own: a thousand consumers' health after a poll's parsing would hold the event loop longer
    if (healthSettings().badges) setImmediate(() => this.assess(e.connectionId));
  }

  private assess(id: string): void {
    if (this.registry.state(id).kind !== 'connected') return;
    const settings = healthSettings();
    const before = this.reports.get(id);
    const report = this.figures.history(id).health(settings);
    this.reports.set(id, report);
    if (settings.notify && id === this.registry.activeId()) this.notify(id, report);
    this.render();
    // rows are drawn again only when what they say changed
    if (signature(before) !== signature(report)) this.explorer.healthChanged(id);
    this.changed.fire(id);
  }

  private notify(id: string, report: HealthReport): void {
    const told = this.told.get(id) ?? new Set<string>();
    const now = new Set(report.problems.map(problemId));
    const fresh = report.problems.filter(p => !told.has(problemId(p)));
    this.told.set(id, now);
    for (const p of fresh.slice(0, 3)) void vscode.window.showWarningMessage(p.sentence);
    if (fresh.length > 3) void vscode.window.showWarningMessage(`${fresh.length - 3} more streams and consumers became unhealthy: see the JetStream explorer.`);
  }

  private clear(id: string): void {
    if (!this.reports.delete(id)) return;
    this.told.delete(id);
    this.render();
    this.explorer.healthChanged(id);
    this.changed.fire(id);
  }

  /** The status bar: shown while the active connection has problems. */
  private render(): void {
    const id = this.registry.activeId();
    const report = id ? this.reports.get(id) : undefined;
    const problems = report?.problems ?? [];
    if (!id || problems.length === 0 || !healthSettings().badges) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const name = this.registry.entry(id)?.config.name ?? id;
    this.item.text = `$(warning) ${problems.length} unhealthy`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escape(name)}**: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} at ${new Date(report!.t).toLocaleTimeString()}\n\n`);
    for (const p of problems.slice(0, 10)) tip.appendMarkdown(`- ${escape(p.sentence)}\n`);
    if (problems.length > 10) tip.appendMarkdown(`- …and ${problems.length - 10} more (see the JetStream explorer)\n`);
    this.item.tooltip = tip;
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function problemId(p: HealthProblem & { stream: string; consumer?: string }): string {
  return `${p.kind}\0${p.stream}\0${p.consumer ?? ''}`;
}

function signature(r: HealthReport | undefined): string {
  return (r?.problems ?? []).map(p => `${problemId(p)}\0${p.sentence}`).join('\n');
}
