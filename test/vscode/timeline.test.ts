// The timeline webview in a real VS Code: the page's script runs under the CSP and draws the model it is sent; its
// open and copy messages reach the handlers (the clipboard holds the .nats block); what the page sends that does not
// fit the protocol is ignored; hidden and shown again, it comes back with its selection.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { messageAsNatsBlock } from '../../src/core/message/format';
import type { ViewedMessage } from '../../src/core/message/types';
import { aggregateHistory, buildCausationForest, historyTimeline, traceTimeline, type TimelineRef } from '../../src/core/trace';
import type { ExtensionApi } from '../../src/vscode/wiring';
import type { PanelProbe } from '../../src/vscode/webviews/panelHost';
import { eventually, workspaceUri } from './helpers';

const T0 = Date.parse('2026-12-08T10:00:00Z');
const C = 'k-1';

function stored(seq: number, at: number, stream: string | undefined, subject: string, body: object): ViewedMessage {
  const data = new TextEncoder().encode(JSON.stringify(body));
  return { seq: stream ? seq : undefined, time: new Date(T0 + at * 1000), subject, headers: [], data, size: data.length, stream };
}

const messages = [
  stored(5, 0, 'COMMANDS', 'dev.command.sales.order.place', { command_id: 'k-1', command_type: 'PlaceOrder', metadata: { correlation_id: C, causation_id: C } }),
  stored(10, 1.25, 'EVENTS', 'dev.domain.sales.order.placed.o-1', { event_id: 'e-1', event_type: 'OrderPlaced', metadata: { correlation_id: C, causation_id: 'k-1' } }),
  stored(3, 3.5, 'SAGAS', 'dev.saga.fulfilment.start', { saga_id: 's-1', process_name: 'Fulfilment', metadata: { correlation_id: C, causation_id: 'e-1' } }),
  stored(12, 5, 'EVENTS', 'dev.domain.sales.order.paid.o-1', { event_id: 'e-3', event_type: 'OrderPaid', metadata: { correlation_id: C, causation_id: 'k-9' } }),
  // read by a core subscription: no stream sequence to open
  stored(0, 6, undefined, 'dev.domain.sales.order.note', { event_id: 'e-4', event_type: 'OrderNoted', metadata: { correlation_id: C, causation_id: 'e-1' } }),
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>('cowboy-ai.cim-nats');
  assert.ok(ext, 'cowboy-ai.cim-nats is not installed in this VS Code');
  return ext.activate();
}

describe('trace timeline webview', function () {
  const model = traceTimeline(buildCausationForest(messages, { correlationId: C }), { correlationId: C });
  const opened: TimelineRef[] = [];
  const copied: TimelineRef[] = [];
  const byRef = (ref: TimelineRef) => messages.find((m) => m.stream === ref.stream && m.seq === ref.seq)!;
  const handlers = {
    open: async (ref: TimelineRef) => {
      if (ref.seq === 12) throw new Error('EVENTS #12 is gone: the stream no longer holds it.');
      opened.push(ref);
    },
    copy: async (ref: TimelineRef) => {
      copied.push(ref);
      return messageAsNatsBlock(byRef(ref));
    },
  };
  let probe: PanelProbe;
  const node = (label: string) => model.nodes.find((n) => n.label === label)!;
  const received = (type: string) => probe.received.filter((m) => (m as { type: string }).type === type) as { type: string; [k: string]: unknown }[];
  const notices = () => probe.posted.filter((m) => (m as { type: string }).type === 'notice').map((m) => (m as { text: string }).text);

  after(async () => {
    probe?.panel.dispose();
  });

  it('opens a panel whose page runs under the CSP and draws every message of the model in its lanes', async () => {
    const { webviews } = await api();
    probe = await webviews.showTimeline(model, handlers);
    assert.equal(probe.panel.title, 'Trace k-1');
    await probe.firstReady;
    assert.deepEqual(probe.posted[0], { type: 'show', model });
    await eventually('the page to draw the model', () => received('rendered').length > 0);
    assert.deepEqual(received('rendered')[0], { type: 'rendered', nodes: 5, lanes: 3 });
    const html = probe.panel.webview.html;
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(html)?.[1];
    assert.ok(nonce, 'the CSP allows scripts by nonce only');
    assert.match(html, new RegExp(`default-src 'none'; script-src 'nonce-${escape(nonce)}'; style-src [^;]+ 'nonce-${escape(nonce)}'`));
    // every script and stylesheet is a bundled file of dist/webview, served by VS Code
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(assets.map((a) => /vscode-resource.*\/dist\/webview\/(timeline\.(?:js|css))$/.exec(a)?.[1]), ['timeline.css', 'timeline.js']);
  });

  it('the page\'s open and copy reach the handlers; the clipboard holds the .nats block', async () => {
    await vscode.env.clipboard.writeText('');
    await probe.receive({ type: 'open', nodeId: node('PlaceOrder').id });
    assert.deepEqual(opened, [{ stream: 'COMMANDS', seq: 5 }]);
    await probe.receive({ type: 'copy', nodeId: node('Fulfilment').id });
    assert.deepEqual(copied, [{ stream: 'SAGAS', seq: 3 }]);
    const clip = await vscode.env.clipboard.readText();
    assert.equal(clip, messageAsNatsBlock(messages[2]!));
    assert.match(clip, /dev\.saga\.fulfilment\.start/);
    assert.deepEqual(notices(), ['Opened COMMANDS #5 in a message view.', 'Copied SAGAS #3 as a .nats block.']);
  });

  it('a failing open and a message with no stream sequence are said in the page, not thrown', async () => {
    await probe.receive({ type: 'open', nodeId: node('OrderPaid').id });
    await probe.receive({ type: 'copy', nodeId: node('OrderNoted').id });
    assert.deepEqual(notices().slice(2), [
      'EVENTS #12 is gone: the stream no longer holds it.',
      'OrderNoted (dev.domain.sales.order.note) was not read from a stream (no stream sequence), so it cannot be copied.',
    ]);
    assert.equal(copied.length, 1);
  });

  it('ignores a message that does not fit the protocol, with a sentence', async () => {
    const before = probe.received.length;
    await probe.receive({ type: 'delete', nodeId: 'n0' });
    await probe.receive({ type: 'open' });
    assert.equal(probe.received.length, before);
    assert.deepEqual(probe.rejected, [
      'Ignored a "delete" message from the timeline: type "delete" is not one of "ready", "rendered", "open", "copy", "state".',
      'Ignored a "open" message from the timeline: nodeId should be a string but is missing.',
    ]);
    assert.equal(opened.length, 1);
  });

  it('hidden and shown again, the page reloads with the selection it kept and is sent the model again', async () => {
    const target = node('Fulfilment').id;
    await probe.post({ type: 'select', nodeId: target });
    await eventually('the page to report the selection', () => received('state').some((m) => (m.state as { selected: string }).selected === target));
    const doc = await vscode.workspace.openTextDocument(workspaceUri('orders.nats'));
    await vscode.window.showTextDocument(doc, { viewColumn: probe.panel.viewColumn, preview: false });
    await eventually('the panel to be hidden', () => !probe.panel.visible);
    probe.panel.reveal();
    await eventually('the page to load again', () => probe.readyCount === 2);
    const ready = received('ready');
    assert.deepEqual(ready[0], { type: 'ready' });
    assert.equal((ready[1]!.state as { selected: string }).selected, target);
    await eventually('the page to draw the model again', () => received('rendered').length === 2);
    assert.deepEqual(probe.posted.filter((m) => (m as { type: string }).type === 'show').length, 2);
  });

  it('a timeline with the same title shows the open panel with its new model', async () => {
    const { webviews } = await api();
    const fewer = traceTimeline(buildCausationForest(messages.slice(0, 2), { correlationId: C }), { correlationId: C });
    const again = await webviews.showTimeline(fewer, handlers);
    assert.equal(again, probe);
    assert.equal(webviews.panels('cimNats.timeline').length, 1);
    await eventually('the page to draw the new model', () => received('rendered').some((m) => m.nodes === 2));
    probe.panel.dispose();
    assert.equal(webviews.panels('cimNats.timeline').length, 0);
  });

  it('an aggregate history draws its snapshot and events in their own lanes, in a panel of its own', async () => {
    const { webviews } = await api();
    const version = (v: number, seq: number) => stored(seq, seq, 'EVENTS', `dev.domain.sales.order.placed.o-${seq}`, { event_id: `e-${seq}`, event_type: 'OrderPlaced', aggregate_id: 'o-1', version: v, metadata: { correlation_id: C } });
    const snapshot = stored(1, 0, 'SNAPSHOTS', 'dev.snapshot.sales.order.o-1', { aggregate_id: 'o-1', aggregate_type: 'order', version: 1, state: {}, metadata: { message_id: 's-1' } });
    const history = historyTimeline(aggregateHistory([version(2, 10), version(4, 20)], snapshot), { domain: 'sales', aggregate: 'order', id: 'o-1' });
    const panel = await webviews.showTimeline(history, handlers);
    try {
      assert.equal(panel.panel.title, 'History of sales order o-1');
      await eventually('the page to draw the history', () => panel.received.some((m) => (m as { type: string }).type === 'rendered'));
      assert.deepEqual(panel.received.find((m) => (m as { type: string }).type === 'rendered'), { type: 'rendered', nodes: 3, lanes: 2 });
      assert.match(history.nodes[2]!.flags[0]!.message, /^Version 4 follows 2: version 3 is missing/);
    } finally {
      panel.panel.dispose();
    }
  });
});
