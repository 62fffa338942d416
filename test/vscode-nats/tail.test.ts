// Tails in a real VS Code: a message published from outside shows in the tail's channel, from the past then live;
// the status bar counts tails; stopping one says so and leaves nothing on the server.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { connectedTo, extensionErrorsFromHere } from './explorerSupport';
import { SALES_EVENT } from '../support/natsSeed';
import { KEPT_STOPPED_CHANNELS } from '../../src/vscode/tail/tailManager';

describe('tails', function () {
  // a session of its own: "from outside" the extension
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;
  let errorsSince: () => Promise<string>;

  before(async () => {
    api = await connectedTo(nats, 'tails');
  });
  beforeEach(() => {
    errorsSince = extensionErrorsFromHere(api);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${await errorsSince()}`);
    await api.tails.stopAll();
  });

  it('shows the last messages of the stream, then one published from outside, pretty-printed', async () => {
    const tail = await vscode.commands.executeCommand<{ id: number; channel: vscode.OutputChannel; lines: string[] }>('cimNats.tail.start', undefined,
      { connection: 'settings:tails', pattern: 'dev.domain.sales.>', from: { last: 2 } });
    // named by its pattern (and its connection when another connection's tail of the pattern, of another suite, has one)
    assert.match(tail.channel.name, /^NATS: dev\.domain\.sales\.>( \(tails\))?$/);
    assert.equal(api.tails.list().length, 1);
    await eventually('the two past messages', () => tail.lines.some(l => l.includes('order.shipped.00000000-0000-4000-8000-000000000005')));
    const subject = SALES_EVENT('order', 'created', 99);
    await nats.session.jetstream().publish(subject, JSON.stringify({ event_id: 'not-the-subject-id', data: { total: 12 } }));
    await eventually('the live message in the channel', () => tail.lines.some(l => l.includes(subject)));
    const text = tail.lines.join('\n');
    assert.match(text, /"total": 12/);
    assert.ok(!text.includes('order.created.00000000-0000-4000-8000-000000000003'), 'the tail shows more of the past than the last 2');
    assert.match(text, /^⚠ "event_id" is "not-the-subject-id", not the subject's last token 00000000-0000-4000-8000-000000000099\.$/m);
  });

  it('counts running tails and stops one with a closing line, leaving no consumer behind', async () => {
    const tail = await vscode.commands.executeCommand<{ id: number; lines: string[] }>('cimNats.tail.start', undefined, { connection: 'settings:tails', pattern: 'dev.domain.sales.order.>', from: { last: 1 } });
    await vscode.commands.executeCommand('cimNats.tail.start', undefined, { connection: 'settings:tails', pattern: 'dev.command.>', from: 'live' });
    assert.equal(api.tails.list().length, 2);
    await eventually('the last message shown', () => tail.lines.some(l => /^#\d+ /.test(l)));
    assert.equal(await vscode.commands.executeCommand('cimNats.tail.stop', tail.id), 1);
    assert.match(tail.lines.at(-1) ?? '', /^# The tail stopped \(stopped by you\): 1 received, 1 shown, 0 skipped\.$/);
    assert.equal(api.tails.list().length, 1);
    const info = await (await nats.jsm()).streams.info('DOMAIN_SALES_EVENTS');
    assert.equal(info.state.consumer_count, 1, 'only the seed\'s durable consumer is left');
  });
  it('stops a tail that is stopped while it starts: none left running, no consumer left behind', async () => {
    // Stop All lands while the worker is still starting (the first line of the channel is written before it starts):
    // as soon as start() first waits, not inside the event (the tail is listed only after its first line)
    const seen = api.tails.onDidChange(() => {
      seen.dispose();
      queueMicrotask(() => void api.tails.stopAll('stopped while starting'));
    });
    const starting = api.tails.start('settings:tails', 'dev.domain.sales.>', { last: 5 });
    await assert.rejects(starting, /was stopped while it started/);
    assert.equal(api.tails.list().length, 0);
    const jsm = await nats.jsm();
    const consumers = await eventually('the tail\'s consumer to go', async () => {
      const n = (await jsm.streams.info('DOMAIN_SALES_EVENTS')).state.consumer_count;
      return n === 1 ? n : undefined;
    });
    assert.equal(consumers, 1, 'only the seed\'s durable consumer is left');
  });

  it('tails a pattern once: starting it again shows the running tail in its one channel', async () => {
    const args = { connection: 'settings:tails', pattern: 'dev.domain.inventory.>', from: 'live' } as const;
    const first = await vscode.commands.executeCommand<{ id: number; channel: vscode.OutputChannel }>('cimNats.tail.start', undefined, args);
    // what Run all does for a SUB block whose pattern is tailed already
    const again = await api.tails.start('settings:tails', 'dev.domain.inventory.>');
    assert.equal(again.id, first.id);
    assert.equal(api.tails.list().length, 1);
    // (another suite may have tailed this pattern on its own connection: that channel's name then differs)
    assert.deepEqual(api.tails.channels().filter(c => c.name === first.channel.name), [{ name: first.channel.name, running: true }]);
    // stopped and started again: the same channel
    await api.tails.stopAll();
    const third = await vscode.commands.executeCommand<{ channel: vscode.OutputChannel }>('cimNats.tail.start', undefined, args);
    assert.equal(third.channel, first.channel);
    assert.equal(api.tails.channels().filter(c => c.name === first.channel.name).length, 1);
  });

  it('keeps a bounded number of stopped tails\' channels, and tells the tree when a tail stops', async () => {
    const changes: { connectionId: string; reason: string }[] = [];
    const sub = api.registry.onDidChangeServer(c => changes.push(c));
    try {
      for (let i = 0; i < KEPT_STOPPED_CHANNELS + 3; i++) {
        const tail = await api.tails.start('settings:tails', `dev.bounded.${i}.>`);
        await api.tails.stop(tail);
      }
      const stopped = api.tails.channels().filter(c => !c.running);
      assert.ok(stopped.length <= KEPT_STOPPED_CHANNELS, `${stopped.length} stopped channels kept`);
      // the newest stay readable
      assert.ok(stopped.some(c => c.name === `NATS: dev.bounded.${KEPT_STOPPED_CHANNELS + 2}.>`));
      assert.ok(!stopped.some(c => c.name === 'NATS: dev.bounded.0.>'));
      assert.equal(changes.filter(c => c.connectionId === 'settings:tails' && c.reason === 'tail stopped').length, KEPT_STOPPED_CHANNELS + 3);
    } finally {
      sub.dispose();
    }
  });
});
