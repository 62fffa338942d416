// The dashboards (stream, consumer, connection overview, server) as webview panels through the one panel host. A
// dashboard never connects and never changes the server; it is drawn from the connection's live figures, which poll
// only while a dashboard (or the explorer, for badges) is visible.
import * as vscode from 'vscode';
import { consumerFrame, overviewFrame, streamFrame, frameCsv, type FrameContext } from '../../core/metrics/frames';
import { ServerHistory, serverFrame } from '../../core/metrics/serverFrames';
import {
  dashboardFromWebview, dashboardToWebview,
  type DashboardFrame, type DashboardFromWebview, type DashboardState, type DashboardToWebview,
} from '../../core/webview/dashboardProtocol';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { errorMessage, log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import { PanelHost, openPanels } from '../webviews/panelHost';
import { healthSettings } from './health';
import type { FigureWatcher, LiveFigures } from './liveFigures';

export const DASHBOARD_VIEW = 'cimNats.dashboard';

export type DashboardTarget =
  | { kind: 'stream'; entryId: string; stream: string; eventTypesPrefix?: string }
  | { kind: 'consumer'; entryId: string; stream: string; consumer: string }
  | { kind: 'overview'; entryId: string }
  | { kind: 'server'; entryId: string };

type Panel = PanelHost<DashboardToWebview, DashboardFromWebview>;

/** How often event types are counted on a stream dashboard: every this many polls (each count makes consumers). */
const EVENT_TYPES_EVERY = 5;

export class Dashboards implements vscode.Disposable {
  private readonly open = new Set<vscode.Disposable>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
    private readonly figures: LiveFigures,
  ) {}

  /** Shows the target's dashboard (the open one revealed, or a new one). */
  async show(target: DashboardTarget): Promise<Panel> {
    const entry = this.registry.entry(target.entryId);
    if (!entry) throw new Error('That connection is no longer configured: pick another one.');
    if (this.registry.state(target.entryId).kind !== 'connected') await this.registry.session(target.entryId);
    const name = entry.config.name;
    const title = target.kind === 'stream' ? `${target.stream} · ${name}`
      : target.kind === 'consumer' ? `${target.consumer} on ${target.stream} · ${name}`
      : target.kind === 'overview' ? `Streams of ${name}` : `Servers of ${name}`;
    const key = JSON.stringify(target);
    let state: DashboardState = { range: '5m', paused: false, sort: null, filter: '' };
    let serverHistory: ServerHistory | undefined;
    const frame = (): DashboardFrame => this.frame(target, title, state, serverHistory);
    const existing = openPanels(DASHBOARD_VIEW).find(p => p.key === key);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn);
      return existing as unknown as Panel;
    }
    const post = () => {
      if (host.readyCount > 0 && host.panel.visible) void host.post({ type: 'frame', frame: frame() }).catch(e => log().warn(`dashboard ${title}: ${errorMessage(e)}`));
    };
    const host: Panel = PanelHost.show(this.context, {
      viewType: DASHBOARD_VIEW,
      key,
      title,
      asset: 'dashboard',
      name: 'dashboard',
      toWebview: dashboardToWebview,
      fromWebview: dashboardFromWebview,
      initial: () => {
        // the page tells what it kept across hiding (its range) when it says it is ready
        const ready = [...host.received].reverse().find(m => m.type === 'ready');
        if (ready?.type === 'ready' && ready.state) state = ready.state;
        return [{ type: 'frame', frame: frame() }];
      },
      onMessage: async m => {
        if (m.type === 'state') {
          state = m.state;
          post();
        } else if (m.type === 'exportCsv') await this.exportCsv(host, frame(), target);
        else if (m.type === 'open') await this.show({ kind: 'stream', entryId: target.entryId, stream: m.stream });
      },
    });
    const disposables: vscode.Disposable[] = [];
    if (target.kind === 'server') {
      serverHistory = new ServerHistory();
      disposables.push(this.serverPolling(target.entryId, host, serverHistory, post));
    } else {
      const watcher: FigureWatcher = {
        connectionId: target.entryId,
        visible: () => host.panel.visible,
        ...(target.kind === 'consumer' ? { lagOf: new Map([[target.stream, new Set([target.consumer])]]) } : {}),
        ...(target.kind === 'stream' && target.eventTypesPrefix ? { eventTypes: { stream: target.stream, prefix: target.eventTypesPrefix, every: EVENT_TYPES_EVERY } } : {}),
      };
      disposables.push(
        this.figures.watch(watcher),
        this.figures.onDidPoll(e => {
          if (e.connectionId !== target.entryId) return;
          if (e.problem) void host.post({ type: 'notice', severity: 'warning', text: e.problem }).catch(() => undefined);
          else post();
        }),
        host.panel.onDidChangeViewState(() => this.figures.reschedule()),
      );
    }
    const all = vscode.Disposable.from(...disposables);
    this.open.add(all);
    host.onDidDispose(() => {
      all.dispose();
      this.open.delete(all);
    });
    return host;
  }

  private frame(target: DashboardTarget, title: string, state: DashboardState, serverHistory: ServerHistory | undefined): DashboardFrame {
    const seconds = settingsFor()['dashboard.intervalSeconds'];
    const server = this.registry.current(target.entryId)?.server ?? 'the server';
    const now = Date.now();
    if (target.kind === 'server') {
      const source = `Asked every ${seconds} s through ${server} of the system account ($SYS.REQ.SERVER.PING, $SYS.REQ.SERVER.PING.JSZ, $SYS.REQ.ACCOUNT.PING.STATZ) · read-only`;
      return serverFrame(serverHistory ?? new ServerHistory(), title, { range: state.range, now, source });
    }
    const history = this.figures.history(target.entryId);
    const requests = history.last?.requests;
    const what = target.kind === 'consumer' ? ', one message read for this consumer\'s lag in time' : target.kind === 'stream' && target.eventTypesPrefix ? `, event types counted every ${EVENT_TYPES_EVERY} polls` : '';
    const source = `Sampled every ${seconds} s from ${server}: the stream list and the consumer lists of streams with consumers${what}${requests !== undefined ? ` (${requests} JetStream API requests in the last poll)` : ''} · read-only`;
    const ctx: FrameContext = { range: state.range, now, source, health: history.health(healthSettings()) };
    if (target.kind === 'stream') return streamFrame(history, target.stream, ctx);
    if (target.kind === 'consumer') return consumerFrame(history, target.stream, target.consumer, ctx);
    return overviewFrame(history, title, ctx);
  }

  /** The server dashboard asks the system account on the dashboard interval while it is visible. */
  private serverPolling(entryId: string, host: Panel, history: ServerHistory, post: () => void): vscode.Disposable {
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    const tick = async () => {
      const session = this.registry.current(entryId);
      if (running || !session) return;
      running = true;
      try {
        history.add(await (await natsRuntime()).serverReport(session));
        post();
      } catch (e) {
        void host.post({ type: 'notice', severity: 'error', text: errorMessage(e) }).catch(() => undefined);
      } finally {
        running = false;
      }
    };
    const schedule = () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (!host.panel.visible) return;
      timer = setInterval(() => void tick(), settingsFor()['dashboard.intervalSeconds'] * 1000);
      void tick();
    };
    schedule();
    const view = host.panel.onDidChangeViewState(schedule);
    return new vscode.Disposable(() => {
      if (timer) clearInterval(timer);
      view.dispose();
    });
  }

  private async exportCsv(host: Panel, frame: DashboardFrame, target: DashboardTarget): Promise<void> {
    const csv = frameCsv(frame);
    const name = target.kind === 'stream' ? target.stream : target.kind === 'consumer' ? `${target.stream}-${target.consumer}` : target.kind;
    const stamp = new Date(frame.t).toISOString().replace(/[:.]/g, '-');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      title: 'Export the dashboard\'s figures as CSV',
      filters: { CSV: ['csv'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${name}-${stamp}.csv`) } : {}),
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(csv, 'utf8'));
    const rows = csv.split('\n').filter(Boolean).length - 1;
    await host.post({ type: 'notice', severity: 'info', text: `Saved ${rows} rows (${frame.range === '5m' ? 'the last 5 minutes' : 'the last hour'}) to ${uri.fsPath}.` });
  }

  dispose(): void {
    for (const d of this.open) d.dispose();
    this.open.clear();
  }
}
