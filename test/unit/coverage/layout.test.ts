import assert from 'node:assert/strict';
import { layoutFromAlgebra, layoutFromServer } from '../../../src/core/coverage';
import { preset } from '../../../src/core';

const cim = preset('cim-start');
const rows = (l: ReturnType<typeof layoutFromAlgebra>) => l.streams.map(s => `${s.name} ${s.subjects.join(',')}`);

describe('StreamLayout', () => {
  it("fills the algebra's templates with each environment and domain", () => {
    const l = layoutFromAlgebra(cim, { environments: ['dev'], domains: ['sales', 'order-history'] });
    assert.deepEqual(rows(l), [
      'DOMAIN_SALES_EVENTS dev.domain.sales.>', 'DOMAIN_ORDER_HISTORY_EVENTS dev.domain.order-history.>',
      'DOMAIN_SALES_COMMANDS dev.command.sales.>', 'DOMAIN_ORDER_HISTORY_COMMANDS dev.command.order-history.>',
      'PROJECTIONS dev.projection.>', 'SAGAS dev.saga.>',
      'DOMAIN_SALES_SNAPSHOTS dev.snapshot.sales.>', 'DOMAIN_ORDER_HISTORY_SNAPSHOTS dev.snapshot.order-history.>',
    ]);
    assert.equal(l.where, "in CIM-Start's stream layout (dev; domains sales, order-history)");
    const events = l.streams[0]!;
    assert.deepEqual(events, { name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'], storage: 'file', retention: 'limits', maxAge: '30d', source: 'algebra', category: 'domain', environment: 'dev' });
    assert.equal(l.streams[2]!.storage, 'memory');
    assert.equal(l.streams[2]!.retention, 'interest');
  });

  it('keeps a role without values as a wildcard, marked as a template', () => {
    const l = layoutFromAlgebra(cim);
    assert.deepEqual(rows(l), [
      'DOMAIN_{DOMAIN}_EVENTS *.domain.*.>', 'DOMAIN_{DOMAIN}_COMMANDS *.command.*.>', 'PROJECTIONS *.projection.>', 'SAGAS *.saga.>', 'DOMAIN_{DOMAIN}_SNAPSHOTS *.snapshot.*.>',
    ]);
    assert.ok(l.streams.every(s => s.template));
    const perEnv = layoutFromAlgebra(cim, { environments: ['dev', 'prod'] });
    assert.deepEqual(perEnv.streams.filter(s => s.name === 'PROJECTIONS').map(s => s.subjects[0]), ['dev.projection.>', 'prod.projection.>']);
    assert.equal(perEnv.streams.find(s => s.category === 'domain')!.subjects[0], 'dev.domain.*.>');
    assert.deepEqual(rows(layoutFromAlgebra(cim, { environments: ['dev'], domains: [] })), ['PROJECTIONS dev.projection.>', 'SAGAS dev.saga.>']);
  });

  it("fills another algebra's own roles (cim-subject: the domain is the first token, queries have no stream)", () => {
    assert.deepEqual(rows(layoutFromAlgebra(preset('cim-subject'), { domains: ['graph'] })), ['GRAPH_EVENTS graph.events.>', 'GRAPH_COMMANDS graph.commands.>']);
  });

  it("takes a server's stream list, durations in JetStream's nanoseconds", () => {
    const l = layoutFromServer('prod-cluster', [
      { name: 'DOMAIN_SALES_EVENTS', subjects: ['prod.domain.sales.>'], storage: 'file', retention: 'limits', maxAge: 30 * 86_400e9, replicas: 3, messages: 12 },
      { name: 'MIRROR', subjects: [], maxAge: 0 },
    ]);
    assert.equal(l.where, 'on prod-cluster');
    assert.deepEqual(l.streams, [
      { name: 'DOMAIN_SALES_EVENTS', subjects: ['prod.domain.sales.>'], storage: 'file', retention: 'limits', maxAge: '30d', replicas: 3, messages: 12, source: 'server' },
      { name: 'MIRROR', subjects: [], source: 'server' },
    ]);
  });
});
