// The server dashboard: per-server CPU, memory, connections and traffic over time, and the tables of
// `nats server report jetstream` and `nats server report accounts`; or, without the system account, what is missing
// and what the account may see of itself. The shapes are those src/nats/metrics/serverReport.ts reads.
import type { DashboardFrame } from '../webview/dashboardProtocol';
import { RANGE_MS } from '../webview/dashboardProtocol';
import { formatBytes, formatCount, formatUsage } from '../text/format';
import { counterRate } from './rates';
import { SeriesSet, type SeriesOptions } from './series';

interface Traffic { msgs: number; bytes: number }

export interface ServerFigures {
  name: string; id: string; version: string; start: number; cpu: number; mem: number; cores: number;
  connections: number; totalConnections: number; subscriptions: number; slowConsumers: number; in: Traffic; out: Traffic;
}

export interface JetStreamFigures {
  server: string; streams: number; consumers: number; messages: number; bytes: number; memory: number; storage: number;
  apiTotal: number; apiErrors: number; haAssets: number; metaLeader?: boolean;
}

export interface AccountFigures {
  account: string; connections: number; totalConnections: number; subscriptions: number; slowConsumers: number;
  in: Traffic; out: Traffic; jetStream?: { memory: number; storage: number };
}

export type ServerReportLike =
  | { kind: 'system'; t: number; servers: ServerFigures[]; jetStream: JetStreamFigures[]; accounts: AccountFigures[]; requests: number }
  | {
      kind: 'account'; t: number; missing: string; requests: number; server: { name: string; version: string };
      account?: { memory: number; storage: number; streams: number; consumers: number; limits: { maxMemory: number; maxStorage: number; maxStreams: number; maxConsumers: number }; api: { total: number; errors: number } };
      accountProblem?: string;
    };

type Metric = 'cpu' | 'mem' | 'connections' | 'inMsgs' | 'outMsgs' | 'inBytes' | 'outBytes';

/** Per-server series over time; a restarted server (another start time) gives its rates a gap. */
export class ServerHistory {
  readonly series: SeriesSet;
  private readonly previous = new Map<string, ServerFigures & { t: number }>();
  private lastReport: ServerReportLike | undefined;

  constructor(options: SeriesOptions = {}) {
    this.series = new SeriesSet(options);
  }

  get last(): ServerReportLike | undefined {
    return this.lastReport;
  }

  add(report: ServerReportLike): void {
    this.lastReport = report;
    if (report.kind !== 'system') return;
    const t = report.t;
    this.series.begin(t);
    for (const s of report.servers) {
      const prev = this.previous.get(s.id);
      const r = (get: (x: ServerFigures) => number) =>
        counterRate(prev && { t: prev.t, value: get(prev), epoch: String(prev.start) }, { t, value: get(s), epoch: String(s.start) });
      this.series.put(key(s.id, 'cpu'), s.cpu);
      this.series.put(key(s.id, 'mem'), s.mem);
      this.series.put(key(s.id, 'connections'), s.connections);
      this.series.put(key(s.id, 'inMsgs'), r(x => x.in.msgs));
      this.series.put(key(s.id, 'outMsgs'), r(x => x.out.msgs));
      this.series.put(key(s.id, 'inBytes'), r(x => x.in.bytes));
      this.series.put(key(s.id, 'outBytes'), r(x => x.out.bytes));
      this.previous.set(s.id, { ...s, t });
    }
    this.series.end();
  }
}

function key(server: string, metric: Metric): string {
  return `${server}\u0000${metric}`;
}

export function serverFrame(h: ServerHistory, title: string, ctx: { range: '5m' | '1h'; now: number; source: string }): DashboardFrame {
  const report = h.last;
  const base = { kind: 'server' as const, title, source: ctx.source, t: ctx.now, range: ctx.range };
  if (!report) return { ...base, figures: [], notes: [{ level: 'ok', text: 'Asking the servers…' }], charts: [], tables: [] };
  if (report.kind === 'account') {
    const a = report.account;
    return {
      ...base,
      figures: a
        ? [
            { label: 'Server', value: `${report.server.name} (${report.server.version})`, level: 'ok' },
            { label: 'Storage', value: formatUsage(a.storage, a.limits.maxStorage), level: 'ok' },
            { label: 'Memory', value: formatUsage(a.memory, a.limits.maxMemory), level: 'ok' },
            { label: 'Streams', value: formatUsage(a.streams, a.limits.maxStreams, formatCount), level: 'ok' },
            { label: 'Consumers', value: formatUsage(a.consumers, a.limits.maxConsumers, formatCount), level: 'ok' },
            { label: 'API calls', value: `${formatCount(a.api.total)} (${formatCount(a.api.errors)} errors)`, level: a.api.errors > 0 ? 'warning' : 'ok' },
          ]
        : [],
      notes: [{ level: 'warning', text: report.missing }, ...(report.accountProblem ? [{ level: 'error' as const, text: report.accountProblem }] : [])],
      charts: [],
      tables: [],
    };
  }
  const ms = RANGE_MS[ctx.range];
  const chart = (id: string, title: string, unit: 'count' | 'perSecond' | 'bytes' | 'percent', metrics: [string, Metric][]) => ({
    id, title, unit, stacked: false,
    series: report.servers.flatMap(s => metrics.map(([label, m]) => ({
      name: report.servers.length > 1 || metrics.length > 1 ? `${s.name}${label ? ` ${label}` : ''}` : s.name,
      points: h.series.range(key(s.id, m), ms, ctx.now).map(p => [p.t, p.v] as [number, number | null]),
    }))),
  });
  const totalConns = report.servers.reduce((n, s) => n + s.connections, 0);
  return {
    ...base,
    figures: [
      { label: 'Servers', value: formatCount(report.servers.length), level: 'ok' },
      { label: 'Connections', value: formatCount(totalConns), level: 'ok' },
      { label: 'Slow consumers', value: formatCount(report.servers.reduce((n, s) => n + s.slowConsumers, 0)), level: report.servers.some(s => s.slowConsumers > 0) ? 'warning' : 'ok' },
      { label: 'Versions', value: [...new Set(report.servers.map(s => s.version))].join(', '), level: 'ok' },
    ],
    notes: [],
    charts: [
      chart('cpu', 'CPU (% of a core)', 'percent', [['', 'cpu']]),
      chart('mem', 'Memory', 'bytes', [['', 'mem']]),
      chart('connections', 'Connections', 'count', [['', 'connections']]),
      chart('msgs', 'Messages per second', 'perSecond', [['in', 'inMsgs'], ['out', 'outMsgs']]),
      chart('bytes', 'Bytes per second', 'bytes', [['in', 'inBytes'], ['out', 'outBytes']]),
    ],
    tables: [
      {
        id: 'jetstream',
        title: 'JetStream (nats server report jetstream)',
        columns: ['Server', 'Streams', 'Consumers', 'Messages', 'Bytes', 'Memory', 'File', 'API requests', 'API errors', 'HA assets', 'Meta leader']
          .map((label, i) => ({ label, numeric: i > 0 && i < 10 })),
        rows: report.jetStream.map(j => ({
          id: j.server,
          cells: [j.server, j.streams, j.consumers, j.messages, j.bytes, j.memory, j.storage, j.apiTotal, j.apiErrors, j.haAssets, j.metaLeader === undefined ? '–' : j.metaLeader ? 'yes' : 'no'],
          labels: [null, formatCount(j.streams), formatCount(j.consumers), formatCount(j.messages), formatBytes(j.bytes), formatBytes(j.memory), formatBytes(j.storage), formatCount(j.apiTotal), formatCount(j.apiErrors), formatCount(j.haAssets), null],
          sparks: [],
          level: j.apiErrors > 0 ? 'warning' : 'ok',
          open: null,
        })),
      },
      {
        id: 'accounts',
        title: 'Accounts (nats server report accounts)',
        columns: ['Account', 'Connections', 'Total connections', 'Subscriptions', 'Slow consumers', 'Msgs in', 'Msgs out', 'Bytes in', 'Bytes out', 'JetStream memory', 'JetStream file']
          .map((label, i) => ({ label, numeric: i > 0 })),
        rows: report.accounts.map(a => ({
          id: a.account,
          cells: [a.account, a.connections, a.totalConnections, a.subscriptions, a.slowConsumers, a.in.msgs, a.out.msgs, a.in.bytes, a.out.bytes, a.jetStream?.memory ?? null, a.jetStream?.storage ?? null],
          labels: [null, formatCount(a.connections), formatCount(a.totalConnections), formatCount(a.subscriptions), formatCount(a.slowConsumers), formatCount(a.in.msgs), formatCount(a.out.msgs), formatBytes(a.in.bytes), formatBytes(a.out.bytes), a.jetStream ? formatBytes(a.jetStream.memory) : '–', a.jetStream ? formatBytes(a.jetStream.storage) : '–'],
          sparks: [],
          level: a.slowConsumers > 0 ? 'warning' : 'ok',
          open: null,
        })),
      },
    ],
  };
}
