import * as assert from 'node:assert/strict';
import { namesFromDefinitions, parseDomainDefinition } from '../../../src/core/domain';
import { exampleBusiness } from './fixtures';

describe('namesFromDefinitions', () => {
  const entries = namesFromDefinitions([exampleBusiness()]);
  const pick = (role: string, domain?: string) =>
    entries.filter(e => e.role === role && (domain === undefined || e.scope?.domain === domain));

  it('offers the domain under its name and its bounded context', () => {
    assert.deepEqual(pick('domain').map(e => [e.value, e.detail]), [
      ['example-business', 'domain example-business'],
      ['sales', 'bounded context of domain example-business'],
    ]);
    assert.match(pick('domain')[0]!.documentation, /^E-commerce platform for online retail\n\n4 aggregates, 5 events, 4 commands\.$/);
  });

  it('scopes aggregates to their domain', () => {
    assert.deepEqual(pick('aggregate', 'sales').map(e => e.value), ['customer', 'order', 'payment', 'shopping-cart']);
    const order = pick('aggregate', 'sales').find(e => e.value === 'order')!;
    assert.equal(order.detail, 'aggregate Order (A003)');
    assert.equal(order.documentation, 'Customer order\n\nEvents: `placed` (OrderPlaced), `item-added` (OrderItemAdded)');
  });

  it('scopes events to their domain and aggregate, with their fields as documentation', () => {
    const placed = entries.find(e => e.role === 'event' && e.value === 'placed' && e.scope?.domain === 'sales')!;
    assert.deepEqual(placed.scope, { domain: 'sales', aggregate: 'order' });
    assert.equal(placed.detail, 'event OrderPlaced (E004)');
    assert.equal(placed.documentation, [
      'Customer completed checkout and placed an order',
      '',
      'Fields:',
      '- `order_id`: UUID',
      '- `customer_id`: UUID',
      '- `items`: Array<OrderItem>',
      '- `total_amount`: Money',
      '- `placed_at`: DateTime',
    ].join('\n'));
    assert.deepEqual(pick('event', 'example-business').map(e => `${e.scope?.aggregate}.${e.value}`), [
      'customer.registered', 'shopping-cart.item-added-to-cart', 'order.placed', 'order.item-added', 'payment.processed',
    ]);
  });

  it('offers command actions scoped to their aggregate, with the events they produce', () => {
    const actions = pick('action', 'sales');
    assert.deepEqual(actions.map(e => `${e.scope?.aggregate}.${e.value}`), [
      'customer.register', 'shopping-cart.add-to-cart', 'order.place', 'order.checkout',
    ]);
    assert.equal(actions[0]!.detail, 'command RegisterCustomer (C001)');
    assert.equal(actions[0]!.documentation, 'Produces: CustomerRegistered (E001)');
  });

  it('lists an entry once when two definitions name the same thing', () => {
    const def = exampleBusiness();
    assert.equal(namesFromDefinitions([def, def]).length, entries.length);
  });

  it('scopes an action without an aggregate to its domain only', () => {
    const { definition } = parseDomainDefinition('domain: ops\ncommands:\n  - id: C1\n    name: RebuildEverything\n');
    const [, action] = namesFromDefinitions([definition!]);
    assert.deepEqual(action, { role: 'action', value: 'rebuild-everything', scope: { domain: 'ops' }, detail: 'command RebuildEverything (C1)', documentation: '' });
  });

  it('gives nothing for no definitions', () => {
    assert.deepEqual(namesFromDefinitions([]), []);
  });
});
