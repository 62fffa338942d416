import * as assert from 'node:assert/strict';
import { sampleData, sampleValue, type SampleContext } from '../../../src/core/envelope';
import { NOW, NOW_ISO, id, numberedIds } from './helpers';

function context(): SampleContext {
  return { now: NOW, uuid: numberedIds() };
}

describe('sample values for field types', () => {
  const cases: [type: string, field: string, expected: unknown][] = [
    ['UUID', 'order_id', id(1)],
    ['String', 'carrier', 'example carrier'],
    ['String', 'email', 'customer@example.com'],
    ['Integer', 'quantity', 1],
    ['Decimal', 'rate', 1.5],
    ['Boolean', 'gift', true],
    ['Money', 'total_amount', { amount: 99.99, currency: 'USD' }],
    ['DateTime', 'placed_at', NOW_ISO],
    ['Date', 'due', '2025-03-04'],
    ['Array<UUID>', 'item_ids', [id(1)]],
    ['Array<OrderItem>', 'items', []],
    ['List<Integer>', 'counts', [1]],
    ['String[]', 'tags', ['example tag']],
    ['Option<Integer>', 'limit', 1],
    ['Map<String, Integer>', 'stock', {}],
    ['OrderItem', 'item', null],
    ['', 'blank', null],
  ];
  for (const [type, field, expected] of cases) {
    it(`${type || '(empty)'} -> ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(sampleValue(type, field, context()), expected);
    });
  }

  it('sampleData keeps the definition\'s order, honours fixed values and the first of a repeated name', () => {
    const ctx: SampleContext = { ...context(), fixed: { order_id: 'fixed' } };
    const data = sampleData([
      { name: 'order_id', type: 'UUID' },
      { name: 'customer_id', type: 'UUID' },
      { name: 'customer_id', type: 'String' },
      { name: '__proto__', type: 'Integer' },
    ], ctx);
    assert.deepEqual(Object.keys(data), ['order_id', 'customer_id', '__proto__']);
    assert.equal(data.order_id, 'fixed');
    assert.equal(data.customer_id, id(1));
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(JSON.parse(JSON.stringify(data)).__proto__, 1);
  });
});
