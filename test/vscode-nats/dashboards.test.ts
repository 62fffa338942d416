// Dashboards in a real VS Code: opened from tree rows, each page runs under its CSP, receives frames from the live
// figures and draws them (charts with points, tables with rows); closing the last one stops its polling.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { AckPolicy, StorageType, jetstream } from '@nats-io/jetstream';
import type { DashboardFrame } from '../../src/core/webview/dashboardProtocol';
import type { PanelProbe } from '../../src/vscode/webviews/panelHost';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { SALES_EVENT } from '../support/natsSeed';
import { connectedTo, extensionErrors, row } from './explorerSupport';

const VIEW = 'cimNats.dashboard';

describe('dashboards', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    for (const p of api?.webviews.panels(VIEW) ?? []) p.panel.dispose();
  });

  const frames = (p: PanelProbe) => p.posted.filter((m): m is { type: 'frame'; frame: DashboardFrame } => (m as { type: string }).type === 'frame').map(m => m.frame);
  const rendered = (p: PanelProbe) => p.received.filter((m): m is { type: 'rendered'; charts: number; points: number; rows: number } => (m as { type: string }).type === 'rendered');
  const panel = (key: (k: string) => boolean) => eventually('the dashboard panel', () => api.webviews.panels(VIEW).find(p => key(p.key)));

  it('opens the streams, stream and consumer dashboards from the tree; each receives and draws live figures', async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'DASH_ORDERS', subjects: ['dash.orders.>'], storage: StorageType.Memory });
    await jsm.consumers.add('DASH_ORDERS', { durable_name: 'billing', ack_policy: AckPolicy.Explicit });
    const js = jetstream(nats.session.nc);
    for (let i = 0; i < 6; i++) await js.publish('dash.orders.placed', `${i}`);
    api = await connectedTo(nats, 'dash', false);
    const conn = await row(api, undefined, 'dash');
    const id = api.registry.entries().find(e => e.config.name === 'dash')!.id;

    await vscode.commands.executeCommand('cimNats.dashboard.openOverview', conn.node);
    const overview = await panel(k => k.includes('"overview"'));
    await overview.firstReady;
    const table = await eventually('the overview drawn with DASH_ORDERS as a row', () => {
      const f = frames(overview).at(-1);
      const r = rendered(overview).at(-1);
      return f?.tables[0]?.rows.find(x => x.id === 'DASH_ORDERS') && r && r.rows >= 1 && f.tables[0];
    });
    const orders = table.rows.find(x => x.id === 'DASH_ORDERS')!;
    assert.equal(orders.cells[1], 6, 'its messages');
    assert.deepEqual(orders.sparks.map(s => s.name), ['in/s', 'consumers\' backlog']);
    assert.match(frames(overview).at(-1)!.source, /^Sampled every 2 s from nats:\/\/127\.0\.0\.1:\d+: the stream list and the consumer lists of streams with consumers \(\d+ JetStream API requests in the last poll\) · read-only$/);
    assert.equal(api.figures.dashboardPolls(id), true);

    // a click on a row asks for the stream's dashboard
    await overview.receive({ type: 'open', stream: 'DASH_ORDERS' });
    const stream = await panel(k => k.includes('"stream"') && k.includes('DASH_ORDERS'));
    await eventually('the stream dashboard drawn with points in its charts', () => {
      const r = rendered(stream).at(-1);
      return r && r.charts >= 3 && r.points > 0;
    });
    const sf = frames(stream).at(-1)!;
    assert.deepEqual(sf.figures.slice(0, 2).map(f => f.value), ['6 msgs', sf.figures[1]!.value]);
    assert.deepEqual(sf.charts.map(c => c.title).slice(0, 3), ['Stored messages', 'Stored bytes', 'Messages per second']);

    const streamRow = await row(api, (await row(api, conn.node, 'Other streams')).node, 'DASH_ORDERS');
    const billing = await row(api, streamRow.node, 'billing');
    await vscode.commands.executeCommand('cimNats.dashboard.openConsumer', billing.node);
    const consumer = await panel(k => k.includes('"consumer"'));
    const cf = await eventually('the consumer dashboard with its lag in time read', () => {
      const f = frames(consumer).at(-1);
      const lag = f?.charts.find(c => c.id === 'lag')?.series[0]?.points.filter(([, v]) => v !== null) ?? [];
      return lag.length > 0 && (rendered(consumer).at(-1)?.points ?? 0) > 0 && f;
    });
    assert.equal(cf.figures.find(f => f.label === 'Pending')?.value, '6');
    assert.match(cf.figures.find(f => f.label === 'Lag')!.value, /^\d+ (ms|s)/);

    for (const p of api.webviews.panels(VIEW)) p.panel.dispose();
    await eventually('polling stopped once no dashboard is open', () => !api.figures.dashboardPolls(id));
  });

  it('draws a domain-events stream\'s messages per second by event type, stacked', async () => {
    api = await connectedTo(nats, 'dash-types');
    const conn = await row(api, undefined, 'dash-types');
    const sales = await row(api, (await row(api, conn.node, 'Domain events')).node, 'DOMAIN_SALES_EVENTS');
    await vscode.commands.executeCommand('cimNats.dashboard.openStream', sales.node);
    const stream = await panel(k => k.includes('DOMAIN_SALES_EVENTS') && k.includes('"eventTypesPrefix":"dev.domain.sales"'));
    const js = jetstream(nats.session.nc);
    let i = 1000;
    const types = await eventually('a rate by event type, counted twice a few polls apart', async () => {
      await js.publish(SALES_EVENT('order', 'created', ++i), JSON.stringify({ event_id: i }));
      const chart = frames(stream).at(-1)?.charts.find(c => c.id === 'types');
      const created = chart?.series.find(x => x.name === 'order.created');
      return created?.points.some(([, v]) => v !== null && v > 0) && chart;
    }, { timeoutMs: 45_000, intervalMs: 500 });
    assert.equal(types.stacked, true);
    assert.deepEqual(types.series.map(x => x.name).sort(), ['order.created', 'order.shipped', 'other']);
    assert.match(frames(stream).at(-1)!.source, /event types counted every 5 polls/);
  });

  it('tells a connection outside the system account what the server dashboard misses and shows the account\'s own usage', async () => {
    api = await connectedTo(nats, 'dash-server', false);
    const conn = await row(api, undefined, 'dash-server');
    await vscode.commands.executeCommand('cimNats.dashboard.openServer', conn.node);
    const server = await panel(k => k.includes('"server"'));
    const f = await eventually('the server dashboard drawn', () => {
      const last = frames(server).at(-1);
      return last && last.notes.length > 0 && last.figures.length > 0 && rendered(server).length > 0 && last;
    });
    assert.match(f.notes[0]!.text, /is not in the system account, so no server answers "\$SYS\.REQ\.SERVER\.PING"/);
    assert.ok(f.figures.some(x => x.label === 'Streams'), JSON.stringify(f.figures));
  });
});
