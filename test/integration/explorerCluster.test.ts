// The explorer's stream list in a three-node JetStream cluster: leaders, replicas, a killed leader, a missing stream.
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsSession } from '../../src/nats/connection/connect';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import type { RunningNatsCluster } from '../../dev/localCluster';
import { listStreams, serverOverview, type StreamSummary } from '../../src/nats/explorer';
import { eventually } from '../support/eventually';
import { useNatsCluster } from '../support/natsFixture';

const R3 = 'CLUSTER_EVENTS';
const R1 = 'CLUSTER_SINGLE';

describe('explorer data in a three-node cluster', function () {
  this.timeout(90_000);
  const { domain, system: sys } = CIM_DEV_USERS;
  const nats = useNatsCluster({
    nodes: 3,
    config: cimDevServerConfig(),
    domain: 'cim',
    auth: { user: domain.user, pass: domain.pass },
    session: { user: domain.user, pass: domain.pass, jetStreamDomain: 'cim' },
  });
  let cluster: RunningNatsCluster;
  let session: NatsSession;
  let system: NatsConnection;

  before(async () => {
    cluster = nats.cluster;
    session = nats.session;
    system = (await nats.connect({ user: sys.user, pass: sys.pass })).nc;
  });

  /** The meta leader's name, as the system account sees it. */
  async function metaLeader(): Promise<string> {
    const m = await system.request('$SYS.REQ.SERVER.PING.JSZ', '{}', { timeout: 5_000 });
    const leader = m.json<{ data?: { meta_cluster?: { leader?: string } } }>().data?.meta_cluster?.leader;
    assert.ok(leader, 'the cluster has a meta leader');
    return leader;
  }

  const find = (list: StreamSummary[], name: string) => list.find(s => s.name === name);

  it('shows leaders and replicas, a killed leader as "no leader yet", then the new leader, and a stream on a dead node as unavailable', async () => {
    const jsm = await session.jetstreamManager();
    const js = session.jetstream();
    const o = await serverOverview(session);
    assert.equal(o.cluster?.name, cluster.name);
    assert.equal(o.jetStreamDomain, 'cim');

    await jsm.streams.add({ name: R3, subjects: ['dev.domain.cluster.>'], num_replicas: 3 });
    for (let i = 0; i < 5; i++) await js.publish(`dev.domain.cluster.order.created.${i}`, '{}');
    let r3 = await eventually('both replicas of the R3 stream current', async () => {
      const s = find(await listStreams(session), R3);
      return s?.cluster?.leader && s.cluster.replicas.length === 2 && s.cluster.replicas.every(r => r.current) ? s : undefined;
    }, { timeoutMs: 15_000, intervalMs: 250 });
    const names = cluster.nodes.map(n => n.name);
    assert.equal(r3.replicas, 3);
    assert.equal(r3.messages, 5);
    assert.ok(names.includes(r3.cluster!.leader!));
    assert.deepEqual([r3.cluster!.leader!, ...r3.cluster!.replicas.map(r => r.name)].sort(), names, 'the leader is not among the replicas');

    // Kill a node that leads the stream but not the cluster's metadata, so the listing itself keeps answering.
    let leader = r3.cluster!.leader!;
    for (let i = 0; leader === (await metaLeader()); i++) {
      assert.ok(i < 5, 'the stream leader moved off the meta leader');
      await session.nc.request(`${jsm.getOptions().apiPrefix}.STREAM.LEADER.STEPDOWN.${R3}`, '', { timeout: 5_000 });
      r3 = await eventually('a new stream leader after step-down', async () => {
        const s = find(await listStreams(session), R3);
        return s?.cluster?.leader && s.cluster.leader !== leader ? s : undefined;
      }, { timeoutMs: 15_000, intervalMs: 250 });
      leader = r3.cluster!.leader!;
    }
    // A one-replica stream on that node: once the node is gone no election can give it a leader.
    await jsm.streams.add({ name: R1, subjects: ['dev.domain.single.>'], num_replicas: 1, placement: { cluster: cluster.name, tags: [leader] } });
    assert.equal(find(await listStreams(session), R1)?.cluster?.leader, leader);

    const victim = cluster.indexOf(leader);
    await cluster.kill(victim);
    assert.equal(cluster.nodes[victim]!.pid, undefined);

    const seen: string[] = [];
    const elected = await eventually('a new leader for the R3 stream', async () => {
      let list: StreamSummary[];
      try {
        list = await listStreams(session);
      } catch (e) {
        seen.push(`error: ${(e as Error).message}`);
        return undefined;
      }
      const s = find(list, R3)!;
      const single = find(list, R1)!;
      seen.push(`${R3}: ${s.unavailable ?? `leader ${s.cluster?.leader}`}; ${R1}: ${single.unavailable ?? `leader ${single.cluster?.leader}`}`);
      return s.cluster?.leader && s.cluster.leader !== leader ? list : undefined;
    }, { timeoutMs: 40_000, intervalMs: 250 });

    // A stream leader's election takes seconds (raft's election timeout); the listing answers meanwhile and says so —
    // of the stream, or, when the kill also moved the cluster's metadata leader (2.15 does at times), of the cluster.
    const electing = new RegExp(`^(?:${R3}: no leader for ${R3} yet|error: No JetStream meta leader of cluster ${cluster.name} answered .*): the cluster is electing one`);
    assert.ok(seen.some(x => electing.test(x)), seen.join('\n'));
    assert.ok(!seen.some(x => /JetStream is not enabled|JetStream does not answer/.test(x)), seen.join('\n'));
    const after = find(elected, R3)!;
    assert.equal(after.unavailable, undefined);
    assert.notEqual(after.cluster!.leader, leader);
    assert.equal(after.messages, 5, 'the new leader has every message');
    const dead = after.cluster!.replicas.find(r => r.name === leader);
    assert.ok(dead && !dead.current, 'the killed node shows as a replica that is not current');
    const single = find(elected, R1)!;
    assert.match(single.unavailable ?? '', new RegExp(`^no leader for ${R1} yet: the cluster is electing one`));
    assert.equal(single.config, undefined, 'the server gave nothing but its name');

    await cluster.restart(victim);
    const healed = await eventually('the one-replica stream back with its node', async () => {
      const list = await listStreams(session).catch(() => undefined);
      const s = list && find(list, R1);
      return s && !s.unavailable && find(list, R3)?.cluster?.replicas.every(r => r.current) ? list : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    assert.equal(find(healed, R1)!.cluster?.leader, leader);
  });
});
