// How the explorer groups a server's streams by the algebra, and where a domain stream's event types sit.
import assert from 'node:assert/strict';
import { categoryOfStream, eventTypeLayout, formatAgo, formatBytes, formatNanos, groupStreams, preset } from '../../../src/core';

const algebra = preset('cim-start');
const s = (name: string, subjects: string[], kind: 'stream' | 'kv' | 'object' = 'stream') => ({ name, subjects, kind });

describe('explorer stream groups', () => {
  it('puts each stream under the category its subjects belong to, in the algebra\'s order, empty ones too', () => {
    const groups = groupStreams(algebra, [
      s('DOMAIN_SALES_EVENTS', ['dev.domain.sales.>']),
      s('ALL_ENVS', ['*.domain.inventory.>']),
      s('DOMAIN_SALES_COMMANDS', ['dev.command.sales.>']),
      s('PROJECTIONS', ['dev.projection.>']),
      s('ORDERS', ['orders.>']),
      s('KV_config', ['$KV.config.>'], 'kv'),
      s('OBJ_files', ['$O.files.>'], 'object'),
    ]);
    assert.deepEqual(groups.map(g => [g.title, g.streams.map(x => x.name)]), [
      ['Domain events', ['DOMAIN_SALES_EVENTS', 'ALL_ENVS']],
      ['Commands', ['DOMAIN_SALES_COMMANDS']],
      ['Projections', ['PROJECTIONS']],
      ['Sagas', []],
      ['Snapshots', []],
      ['Other streams', ['ORDERS']],
      ['Key-value buckets', ['KV_config']],
      ['Object stores', ['OBJ_files']],
    ]);
  });

  it('calls a stream that mixes categories "other"', () => {
    assert.equal(categoryOfStream(algebra, s('MIXED', ['dev.domain.sales.>', 'dev.command.sales.>'])), undefined);
  });

  it('finds the aggregate and event tokens right after a domain stream\'s subject', () => {
    const domain = algebra.categories.get('domain')!;
    assert.deepEqual(eventTypeLayout(algebra, domain, ['dev.domain.sales.>']), { prefix: 'dev.domain.sales', domain: 'sales' });
    assert.deepEqual(eventTypeLayout(algebra, domain, ['*.domain.sales.>']), { prefix: '*.domain.sales', domain: 'sales' });
    assert.equal(eventTypeLayout(algebra, domain, ['dev.domain.>']), undefined);
    assert.equal(eventTypeLayout(algebra, domain, ['dev.domain.sales.order.>']), undefined);
  });
});

describe('figures in tree rows', () => {
  it('reads like "1.2 MiB" (binary units, whole when exact: "8 MiB") and "4 s ago"', () => {
    assert.deepEqual([formatBytes(0), formatBytes(999), formatBytes(1234), formatBytes(1_234_567), formatBytes(250_000_000)], ['0 B', '999 B', '1.2 KiB', '1.2 MiB', '238 MiB']);
    const now = new Date('2026-01-01T00:10:00Z');
    assert.deepEqual([formatAgo(new Date('2026-01-01T00:09:56Z'), now), formatAgo(new Date('2026-01-01T00:00:00Z'), now), formatAgo(undefined, now)], ['4 s ago', '10 min ago', 'never']);
    assert.deepEqual([formatNanos(30 * 86_400e9), formatNanos(120e9), formatNanos(0)], ['30d', '2m', 'unlimited']);
  });
});
