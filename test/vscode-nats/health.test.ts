// Health in the tree: while the explorer is visible, a stream near its limits and a stalled consumer get a badge in
// their row's description and a sentence in its tooltip, and the active connection's problems are summed up.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { AckPolicy, StorageType, jetstream } from '@nats-io/jetstream';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { connectedTo, extensionErrors, row, tooltipText } from './explorerSupport';
import { answering } from './prompts';

const SETTINGS: [string, unknown][] = [['explorer.refreshIntervalSeconds', 1], ['health.stallSeconds', 5], ['health.notify', true]];

describe('health badges', function () {
  const nats = useNatsServer({ session: true });
  let api: ExtensionApi;
  const settings = () => vscode.workspace.getConfiguration('cimNats');

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${extensionErrors(api)}`);
    for (const [key] of SETTINGS) await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('marks a stream near its limits and a stalled consumer, sums them up in the status bar and tells each once', async () => {
    // the notifications (cimNats.health.notify, on here) are answered by nobody and kept
    const { asked } = await answering({ warning: () => undefined }, () => marks());
    const told = asked.filter(a => a.kind === 'warning').map(a => a.text);
    assert.equal(told.filter(t => /^HEALTH_FULL is at 100 % of its messages limit/.test(t)).length, 1, told.join(' | '));
    assert.equal(told.filter(t => /^stuck on HEALTH_WORK is stalled/.test(t)).length, 1, told.join(' | '));
  });

  async function marks(): Promise<void> {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'HEALTH_FULL', subjects: ['health.full.>'], storage: StorageType.Memory, max_msgs: 10 });
    await jsm.streams.add({ name: 'HEALTH_WORK', subjects: ['health.work.>'], storage: StorageType.Memory });
    await jsm.consumers.add('HEALTH_WORK', { durable_name: 'stuck', ack_policy: AckPolicy.Explicit });
    const js = jetstream(nats.session.nc);
    for (let i = 0; i < 10; i++) await js.publish('health.full.x', `${i}`);
    for (let i = 0; i < 3; i++) await js.publish('health.work.x', `${i}`);

    api = await connectedTo(nats, 'health', false);
    for (const [key, value] of SETTINGS) await settings().update(key, value, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('cimNats.explorer.focus');
    const id = api.registry.entries().find(e => e.config.name === 'health')!.id;
    await api.registry.setActive(id);

    const streamRow = async (name: string) => {
      const conn = await row(api, undefined, 'health');
      return row(api, (await row(api, conn.node, 'Other streams')).node, name);
    };
    const full = await eventually('HEALTH_FULL marked near its limits', async () => {
      const r = await streamRow('HEALTH_FULL');
      return r.description.endsWith(' · near limits') && r;
    });
    assert.match(tooltipText(full.item), /HEALTH_FULL is at 100 % of its messages limit \(10 of max_msgs 10\): at the limit the oldest messages are dropped \(discard old\)\./);

    const stuck = await eventually('the consumer stuck marked stalled', async () => {
      const consumer = await row(api, (await streamRow('HEALTH_WORK')).node, 'stuck');
      return consumer.description.endsWith(' · stalled') && consumer;
    });
    assert.match(tooltipText(stuck.item), /stuck on HEALTH_WORK is stalled: 3 messages wait and its ack floor has stayed at 0 for \d+ s\./);

    const report = api.health.report(id)!;
    assert.deepEqual(report.problems.map(p => [p.kind, p.stream, p.consumer]).sort(), [['nearLimit', 'HEALTH_FULL', undefined], ['stalled', 'HEALTH_WORK', 'stuck']]);
    // the polls were the explorer's: no dashboard is open
    assert.equal(api.figures.dashboardPolls(id), false);
    const status = await eventually('the status bar summary', () => api.health.status);
    assert.equal(status.text, '$(warning) 2 unhealthy');
    // as a reader sees it: Markdown's backslash escapes removed
    const tip = status.tooltip.replace(/\\(.)/g, '$1');
    assert.match(tip, /\*\*health\*\*: 2 problems at /);
    assert.match(tip, /stuck on HEALTH_WORK is stalled/);
    // health on: more polls come and go while the test ends, each telling nothing new
    await eventually('a later assessment', () => api.health.report(id)!.t > report.t);
  }
});
