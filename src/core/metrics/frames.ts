// What each dashboard draws, built from a connection's history: header figures, notes, charts over the chosen range
// and tables. Pure, so the arithmetic a person reads is tested without a webview.
import type { DashboardChart, DashboardFrame, DashboardRange, DashboardTable } from '../webview/dashboardProtocol';
import { RANGE_MS } from '../webview/dashboardProtocol';
import { formatAgo, formatBytes, formatCount } from '../text/format';
import { seriesCsv } from './csv';
import { consumerKey, duration, streamKey, type HealthReport, type MetricsHistory } from './history';
import type { Point } from './series';

export interface FrameContext {
  range: DashboardRange;
  now: number;
  /** "every 2 s from nats://…: the stream list, …" */
  source: string;
  health: HealthReport;
}

type Level = 'ok' | 'warning' | 'error';

const toPairs = (pts: readonly Point[]): [number, number | null][] => pts.map(p => [p.t, p.v]);

function chart(h: MetricsHistory, ctx: FrameContext, id: string, title: string, unit: DashboardChart['unit'], series: [string, string][], stacked = false): DashboardChart {
  const ms = RANGE_MS[ctx.range];
  return { id, title, unit, stacked, series: series.map(([name, key]) => ({ name, points: toPairs(h.series.range(key, ms, ctx.now)) })) };
}

function rate(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : (Math.round(v * 10) / 10).toString()}/s`;
}

export function lagText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return duration(ms);
}

/** A stream: stored messages and bytes, in and removed per second, last activity, and by event type when counted. */
export function streamFrame(h: MetricsHistory, stream: string, ctx: FrameContext): DashboardFrame {
  const s = h.last?.streams.find(x => x.name === stream);
  const problems = ctx.health.streams.get(stream)?.problems ?? [];
  const notes = problems.map(p => ({ level: 'warning' as Level, text: p.sentence }));
  if (!s) notes.unshift({ level: 'error', text: `${stream} is not among the connection's streams (deleted, or not listed yet).` });
  const last = (metric: string) => h.series.last(streamKey(stream, metric))?.v;
  const typeKeys = h.series.keys().filter(k => k.startsWith(streamKey(stream, 'type:')));
  const charts = [
    chart(h, ctx, 'stored', 'Stored messages', 'count', [['messages', streamKey(stream, 'messages')]]),
    chart(h, ctx, 'bytes', 'Stored bytes', 'bytes', [['bytes', streamKey(stream, 'bytes')]]),
    chart(h, ctx, 'flow', 'Messages per second', 'perSecond', [['in', streamKey(stream, 'in')], ['removed', streamKey(stream, 'removed')]]),
  ];
  if (typeKeys.length > 0) {
    charts.push(chart(h, ctx, 'types', 'Messages per second by event type', 'perSecond', typeKeys.map(k => [k.slice(streamKey(stream, 'type:').length), k] as [string, string]), true));
  }
  return {
    kind: 'stream',
    title: `Stream ${stream}`,
    source: ctx.source,
    t: ctx.now,
    range: ctx.range,
    figures: s
      ? [
          { label: 'Stored', value: `${formatCount(s.messages)} msgs`, level: problems.some(p => p.kind === 'nearLimit') ? 'warning' : 'ok' },
          { label: 'Bytes', value: formatBytes(s.bytes), level: 'ok' },
          { label: 'In', value: rate(last('in')), level: 'ok' },
          { label: 'Removed', value: rate(last('removed')), level: 'ok' },
          { label: 'Last message', value: formatAgo(s.lastStoredAt ? new Date(s.lastStoredAt) : undefined, new Date(ctx.now)), level: 'ok' },
          { label: 'Consumers', value: formatCount(s.consumerCount), level: 'ok' },
        ]
      : [],
    notes,
    charts,
    tables: [],
  };
}

/** A consumer: delivered and acknowledged per second, pending, ack pending, redelivered, lag in time with its trend. */
export function consumerFrame(h: MetricsHistory, stream: string, consumer: string, ctx: FrameContext): DashboardFrame {
  const c = h.last?.consumers.find(x => x.stream === stream && x.name === consumer);
  const health = ctx.health.consumers.get(consumerKey(stream, consumer));
  const notes = (health?.problems ?? []).map(p => ({ level: 'warning' as Level, text: p.sentence }));
  if (!c) notes.unshift({ level: 'error', text: `${consumer} is not among the consumers of ${stream} (deleted, or not listed yet).` });
  const key = (m: string) => consumerKey(stream, consumer, m);
  const last = (m: string) => h.series.last(key(m))?.v;
  const stalled = !!health?.problems.some(p => p.kind === 'stalled');
  const lagTrend = health?.lagTrend?.trend ?? 'unknown';
  const state = stalled ? 'stalled' : health?.problems.some(p => p.kind === 'behind') ? 'falling behind' : c && c.pending + c.ackPending === 0 ? 'caught up' : 'working';
  return {
    kind: 'consumer',
    title: `Consumer ${consumer} on ${stream}`,
    source: ctx.source,
    t: ctx.now,
    range: ctx.range,
    figures: c
      ? [
          { label: 'State', value: state, level: stalled ? 'error' : state === 'falling behind' ? 'warning' : 'ok' },
          { label: 'Lag', value: `${lagText(health?.lag)}${lagTrend === 'unknown' ? '' : ` (${lagTrend})`}`, level: lagTrend === 'growing' ? 'warning' : 'ok' },
          { label: 'Pending', value: formatCount(c.pending), level: 'ok' },
          { label: 'Ack pending', value: formatCount(c.ackPending), level: 'ok' },
          { label: 'Redelivered', value: formatCount(c.redelivered), level: c.redelivered > 0 ? 'warning' : 'ok' },
          { label: 'Delivered', value: rate(last('delivered')), level: 'ok' },
          { label: 'Acknowledged', value: rate(last('acked')), level: 'ok' },
        ]
      : [],
    notes,
    charts: [
      chart(h, ctx, 'flow', 'Delivered and acknowledged per second', 'perSecond', [['delivered', key('delivered')], ['acknowledged', key('acked')]]),
      chart(h, ctx, 'lag', 'Lag in time (oldest unacknowledged message)', 'ms', [['lag', key('lag')]]),
      chart(h, ctx, 'waiting', 'Pending and ack pending', 'count', [['pending', key('pending')], ['ack pending', key('ackPending')]]),
      chart(h, ctx, 'redelivered', 'Redelivered', 'count', [['redelivered', key('redelivered')]]),
    ],
    tables: [],
  };
}

/** Every stream as a row: figures, its in-rate and its consumers' backlog as sparklines, its health. */
export function overviewFrame(h: MetricsHistory, title: string, ctx: FrameContext): DashboardFrame {
  const sample = h.last;
  const ms = RANGE_MS[ctx.range];
  const consumersOf = new Map<string, string[]>();
  for (const c of sample?.consumers ?? []) consumersOf.set(c.stream, [...(consumersOf.get(c.stream) ?? []), c.name]);
  const rows: DashboardTable['rows'] = (sample?.streams ?? []).map(s => {
    const inPts = h.series.range(streamKey(s.name, 'in'), ms, ctx.now);
    // the consumers' backlog: what waits for the one furthest behind, at each sample
    const backlog = inPts.map(() => null as number | null);
    let worst = 0;
    for (const c of consumersOf.get(s.name) ?? []) {
      const pts = h.waiting(s.name, c, undefined, { rangeMs: ms, now: ctx.now });
      pts.forEach((p, i) => {
        if (i < backlog.length && p.v !== null) backlog[i] = Math.max(backlog[i] ?? 0, p.v);
      });
      worst = Math.max(worst, pts[pts.length - 1]?.v ?? 0);
    }
    const problems = [...(ctx.health.streams.get(s.name)?.problems ?? []), ...ctx.health.problems.filter(p => p.stream === s.name && p.consumer)];
    const inNow = h.series.last(streamKey(s.name, 'in'))?.v ?? null;
    return {
      id: s.name,
      cells: [s.name, s.messages, s.bytes, inNow, s.consumerCount, worst, problems.length ? problems.map(p => p.sentence).join(' ') : s.unavailable ? 'unavailable' : 'ok'],
      labels: [null, formatCount(s.messages), formatBytes(s.bytes), rate(inNow), formatCount(s.consumerCount), formatCount(worst), null],
      sparks: [{ name: 'in/s', values: inPts.map(p => p.v) }, { name: 'consumers\' backlog', values: backlog }],
      level: s.unavailable || problems.some(p => p.kind === 'noLeader' || p.kind === 'stalled') ? 'error' : problems.length ? 'warning' : 'ok',
      open: s.unavailable ? null : s.name,
    };
  });
  const unhealthy = rows.filter(r => r.level !== 'ok').length;
  return {
    kind: 'overview',
    title,
    source: ctx.source,
    t: ctx.now,
    range: ctx.range,
    figures: [
      { label: 'Streams', value: formatCount(rows.length), level: 'ok' },
      { label: 'Consumers', value: formatCount(sample?.consumers.length ?? 0), level: 'ok' },
      { label: 'Unhealthy', value: formatCount(unhealthy), level: unhealthy ? 'warning' : 'ok' },
      { label: 'Requests per poll', value: formatCount(sample?.requests ?? 0), level: 'ok' },
    ],
    notes: [],
    charts: [],
    tables: [{
      id: 'streams',
      title: 'Streams',
      columns: [
        { label: 'Stream', numeric: false }, { label: 'Messages', numeric: true }, { label: 'Bytes', numeric: true },
        { label: 'In', numeric: true }, { label: 'Consumers', numeric: true }, { label: 'Backlog', numeric: true }, { label: 'Health', numeric: false },
      ],
      rows,
    }],
  };
}

/** The frame's charts as CSV: one column per series (`chart: series`). */
export function frameCsv(frame: DashboardFrame): string {
  if (frame.charts.length === 0 && frame.tables.length > 0) return tablesCsv(frame.tables);
  return seriesCsv(frame.charts.flatMap(c => c.series.map(s => ({ name: `${c.title}: ${s.name}`, points: s.points.map(([t, v]) => ({ t, v })) }))));
}

/** Tables (the overview, the server reports) as CSV: a header per table, its cells as given. */
function tablesCsv(tables: readonly DashboardTable[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return tables.map(t => [t.columns.map(c => cell(c.label)).join(','), ...t.rows.map(r => r.cells.map(cell).join(','))].join('\n')).join('\n\n') + '\n';
}
