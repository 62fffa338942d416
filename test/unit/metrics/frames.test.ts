// What the dashboards draw, from a history: figures, charts over the range, the overview's rows, the server's
// reports, CSV; and the protocol that carries it refuses what does not fit.
import assert from 'node:assert/strict';
import {
  MetricsHistory, ServerHistory, consumerFrame, frameCsv, overviewFrame, serverFrame, streamFrame,
} from '../../../src/core/metrics';
import { parseDashboardFromWebview, parseDashboardToWebview } from '../../../src/core/webview/dashboardProtocol';
import { consumer, sample, stream } from './samples';

function history(): MetricsHistory {
  const h = new MetricsHistory();
  [0, 2000, 4000].forEach((t, i) => h.add(sample(t, [
    stream({ messages: 10 * (i + 1), lastSeq: 10 * (i + 1), bytes: 1024 * (i + 1), lastStoredAt: t }),
    stream({ name: 'IDLE', consumerCount: 0 }),
  ], [consumer({ pending: 3 * (i + 1), deliveredCount: 10 * i, ackedCount: 5 * i, ackFloor: 5 * i, lagRead: true, oldestUnackedAt: -1000 })])));
  return h;
}
const ctx = (h: MetricsHistory) => ({ range: '5m' as const, now: 4000, source: 'every 2 s', health: h.health() });

describe('dashboard frames', () => {
  it('a stream: stored, bytes, in and removed per second, last message; charts over the range', () => {
    const h = history();
    const f = streamFrame(h, 'ORDERS', ctx(h));
    assert.deepEqual(f.figures.map(x => `${x.label}: ${x.value}`), ['Stored: 30 msgs', 'Bytes: 3 KiB', 'In: 5/s', 'Removed: 0/s', 'Last message: 0 s ago', 'Consumers: 1']);
    assert.deepEqual(f.charts.find(c => c.id === 'flow')!.series.map(s => s.points.map(p => p[1])), [[null, 5, 5], [null, 0, 0]]);
    assert.equal(f.source, 'every 2 s');
  });

  it('a stream that is gone says so', () => {
    const h = history();
    assert.match(streamFrame(h, 'NOPE', ctx(h)).notes[0]!.text, /^NOPE is not among the connection's streams/);
  });

  it('a consumer: its state, lag in time with its trend, pending and rates', () => {
    const h = history();
    const f = consumerFrame(h, 'ORDERS', 'billing', ctx(h));
    const fig = Object.fromEntries(f.figures.map(x => [x.label, x.value]));
    assert.equal(fig.Lag, '5 s (growing)');
    assert.equal(fig.Pending, '9');
    assert.equal(fig.Delivered, '5/s');
    assert.equal(fig.Acknowledged, '2.5/s');
    assert.deepEqual(f.charts.find(c => c.id === 'lag')!.series[0]!.points.map(p => p[1]), [1000, 3000, 5000]);
  });

  it('the overview: a row per stream with its in-rate and its consumers\' backlog as sparklines', () => {
    const h = history();
    const [table] = overviewFrame(h, 'Streams of dev', ctx(h)).tables;
    assert.deepEqual(table!.rows.map(r => r.id), ['ORDERS', 'IDLE']);
    const orders = table!.rows[0]!;
    assert.deepEqual(orders.sparks[0]!.values, [null, 5, 5]);
    assert.deepEqual(orders.sparks[1]!.values, [3, 6, 9]);
    assert.equal(orders.open, 'ORDERS');
    assert.match(frameCsv(overviewFrame(h, 'x', ctx(h))), /^Stream,Messages,Bytes,In,Consumers,Backlog,Health\nORDERS,30,3072,5,1,9,ok\nIDLE,0,0,0,0,0,ok\n$/);
  });

  it('exports a stream\'s charts as CSV, one column per series', () => {
    const h = history();
    const csv = frameCsv(streamFrame(h, 'ORDERS', ctx(h)));
    assert.equal(csv.split('\n')[0], 'time,Stored messages: messages,Stored bytes: bytes,Messages per second: in,Messages per second: removed');
    assert.equal(csv.split('\n')[3], '1970-01-01T00:00:04.000Z,30,3072,5,0');
  });

  it('the server: rates per server with a gap after a restart; without the system account, what is missing', () => {
    const h = new ServerHistory();
    const server = (start: number, msgs: number) => ({ name: 'n1', id: 'N1', version: '2.15.1', start, cpu: 3, mem: 1e6, cores: 2, connections: 2, totalConnections: 5, subscriptions: 9, slowConsumers: 0, in: { msgs, bytes: msgs * 10 }, out: { msgs, bytes: msgs * 10 } });
    const report = (t: number, start: number, msgs: number) => ({ kind: 'system' as const, t, servers: [server(start, msgs)], jetStream: [], accounts: [], requests: 3 });
    h.add(report(0, 1, 100));
    h.add(report(2000, 1, 300));
    h.add(report(4000, 2, 400));
    const f = serverFrame(h, 'Servers', { range: '5m', now: 4000, source: 's' });
    assert.deepEqual(f.charts.find(c => c.id === 'msgs')!.series[0]!.points.map(p => p[1]), [null, 100, null]);
    assert.deepEqual(f.tables.map(t => t.title), ['JetStream (nats server report jetstream)', 'Accounts (nats server report accounts)']);
    h.add({ kind: 'account', t: 6000, missing: 'User x may not publish…', requests: 2, server: { name: 'n1', version: '2.9.10' } });
    assert.deepEqual(serverFrame(h, 'Servers', { range: '5m', now: 6000, source: 's' }).notes, [{ level: 'warning', text: 'User x may not publish…' }]);
  });
});

describe('dashboard protocol', () => {
  it('takes what each side sends and refuses what does not fit, in one sentence', () => {
    assert.equal(parseDashboardFromWebview({ type: 'open', stream: 'ORDERS' }).ok, true);
    assert.deepEqual(parseDashboardFromWebview({ type: 'purge', stream: 'ORDERS' }).ok, false);
    const bad = parseDashboardToWebview({ type: 'notice', severity: 'loud', text: 'x' });
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.problem : '', /^Ignored a "notice" message to the dashboard: severity should be "error" or "warning" or "info", not "loud"\.$/);
  });
});
