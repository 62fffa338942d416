import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { parseDomainDefinition, type DomainDefinition } from '../../../src/core/domain';
import { readDomainFixture } from './fixtures';

function parse(text: string, options?: Parameters<typeof parseDomainDefinition>[1]) {
  return parseDomainDefinition(text, options);
}

function definitionOf(text: string, options?: Parameters<typeof parseDomainDefinition>[1]): DomainDefinition {
  const { definition, problems } = parse(text, options);
  assert.ok(definition, `no definition: ${problems.map(p => p.message).join(' | ')}`);
  return definition;
}

function eventYaml(name: string, aggregate: string): string {
  return `domain:\n  name: shop\nevents:\n  - id: E1\n    name: ${name}\n    aggregate: ${aggregate}\n`;
}

describe('parseDomainDefinition', () => {
  describe('the example-business fixture (CIM-Start layout)', () => {
    const result = parse(readDomainFixture('example-business'));
    const def = result.definition!;

    it('parses without problems', () => {
      assert.deepEqual(result.problems, []);
      assert.ok(def);
    });

    it('reads the domain as a token with its bounded context', () => {
      assert.equal(def.domain, 'example-business');
      assert.equal(def.name, 'example-business');
      assert.equal(def.boundedContext, 'sales');
      assert.equal(def.description, 'E-commerce platform for online retail');
    });

    it('lists the aggregates from aggregates:, then those only events name', () => {
      assert.deepEqual(def.aggregates.map(a => [a.name, a.token]), [
        ['Customer', 'customer'], ['Order', 'order'], ['Payment', 'payment'], ['ShoppingCart', 'shopping-cart'],
      ]);
      assert.equal(def.aggregates[0]!.description, 'Customer account and profile');
      assert.equal(def.aggregates[0]!.id, 'A001');
    });

    it('derives the aggregate and event tokens of each event', () => {
      const tokens = def.events.map(e => [e.id, e.name, e.aggregateToken, e.eventToken]);
      assert.deepEqual(tokens, [
        ['E001', 'CustomerRegistered', 'customer', 'registered'],
        ['E002', 'ItemAddedToCart', 'shopping-cart', 'item-added-to-cart'],
        ['E004', 'OrderPlaced', 'order', 'placed'],
        ['E005', 'OrderItemAdded', 'order', 'item-added'],
        ['E006', 'PaymentProcessed', 'payment', 'processed'],
      ]);
    });

    it('resolves an aggregate given by its id (A005) to its name', () => {
      const paid = def.events.find(e => e.id === 'E006')!;
      assert.equal(paid.aggregate, 'Payment');
    });

    it('reads data fields in order, including one called name', () => {
      const registered = def.events[0]!;
      assert.equal(registered.description, 'A new customer account was created');
      assert.deepEqual(registered.fields, [
        { name: 'customer_id', type: 'UUID' },
        { name: 'email', type: 'String' },
        { name: 'name', type: 'String' },
        { name: 'registered_at', type: 'DateTime' },
      ]);
      assert.deepEqual(def.events[2]!.fields.map(f => f.type), ['UUID', 'UUID', 'Array<OrderItem>', 'Money', 'DateTime']);
    });

    it('derives each command\'s aggregate and action', () => {
      const commands = def.commands.map(c => [c.id, c.name, c.aggregateToken, c.actionToken, c.producesEvents]);
      assert.deepEqual(commands, [
        ['C001', 'RegisterCustomer', 'customer', 'register', ['E001']],
        // Its name ends in no aggregate: the aggregate of the event it produces, and the whole name as action.
        ['C003', 'AddToCart', 'shopping-cart', 'add-to-cart', ['E002']],
        ['C004', 'PlaceOrder', 'order', 'place', ['E004']],
        // Names its aggregate explicitly.
        ['C005', 'Checkout', 'order', 'checkout', ['E004']],
      ]);
      assert.equal(def.commands[1]!.description, 'Put a product into the customer\'s cart');
    });
  });

  describe('event and command naming', () => {
    it('strips the aggregate\'s words from the front of an event name', () => {
      const e = definitionOf(eventYaml('OrderPlaced', 'Order')).events[0]!;
      assert.deepEqual([e.aggregateToken, e.eventToken], ['order', 'placed']);
      const r = definitionOf(eventYaml('CustomerRegistered', 'Customer')).events[0]!;
      assert.deepEqual([r.aggregateToken, r.eventToken], ['customer', 'registered']);
      const i = definitionOf(eventYaml('OrderItemAdded', 'Order')).events[0]!;
      assert.deepEqual([i.aggregateToken, i.eventToken], ['order', 'item-added']);
    });

    it('keeps the whole name when it does not start with the aggregate', () => {
      const e = definitionOf(eventYaml('StockReserved', 'Inventory')).events[0]!;
      assert.deepEqual([e.aggregateToken, e.eventToken], ['inventory', 'stock-reserved']);
    });

    it('keeps the whole name when it is only the aggregate\'s name', () => {
      assert.equal(definitionOf(eventYaml('Order', 'Order')).events[0]!.eventToken, 'order');
    });

    it('writes tokens in snake case for a snake-case algebra', () => {
      const def = definitionOf(eventYaml('ShoppingCartItemAdded', 'ShoppingCart'), { nameCase: 'snake' });
      assert.equal(def.domain, 'shop');
      assert.deepEqual([def.events[0]!.aggregateToken, def.events[0]!.eventToken], ['shopping_cart', 'item_added']);
    });

    it('picks the longest aggregate a command name ends with', () => {
      const def = definitionOf([
        'domain: shop', 'aggregates: [Cart, ShoppingCart]', 'commands:', '  - id: C1', '    name: EmptyShoppingCart',
      ].join('\n'));
      assert.deepEqual([def.commands[0]!.aggregateToken, def.commands[0]!.actionToken], ['shopping-cart', 'empty']);
    });

    it('leaves a command without a known aggregate unscoped', () => {
      const def = definitionOf('domain: shop\ncommands:\n  - id: C1\n    name: RebuildEverything\n');
      assert.equal(def.commands[0]!.aggregate, undefined);
      assert.equal(def.commands[0]!.actionToken, 'rebuild-everything');
      assert.deepEqual(def.commands[0]!.producesEvents, []);
    });

    it('accepts a single produced event id and a domain given as text', () => {
      const def = definitionOf('domain: shop\nevents:\n  - {id: E1, name: OrderPlaced, aggregate: Order}\ncommands:\n  - {id: C1, name: PlaceOrder, produces_events: E1}\n');
      assert.equal(def.domain, 'shop');
      assert.deepEqual(def.commands[0]!.producesEvents, ['E1']);
    });

    it('accepts fields as a mapping and in the long name/type form', () => {
      const def = definitionOf([
        'domain: shop', 'events:', '  - id: E1', '    name: OrderPlaced', '    aggregate: Order',
        '    data: { order_id: UUID, total: Money }',
        '  - id: E2', '    name: OrderShipped', '    aggregate: Order', '    fields:', '      - { name: carrier, type: String }',
      ].join('\n'));
      assert.deepEqual(def.events[0]!.fields, [{ name: 'order_id', type: 'UUID' }, { name: 'total', type: 'Money' }]);
      assert.deepEqual(def.events[1]!.fields, [{ name: 'carrier', type: 'String' }]);
    });

    it('reads command fields when the file lists them', () => {
      const def = definitionOf('domain: shop\ncommands:\n  - id: C1\n    name: PlaceOrder\n    aggregate: Order\n    data:\n      - cart_id: UUID\n');
      assert.deepEqual(def.commands[0]!.fields, [{ name: 'cart_id', type: 'UUID' }]);
    });
  });

  describe('problems', () => {
    it('reports broken YAML with its line instead of throwing', () => {
      const { definition, problems } = parse(readDomainFixture('broken-yaml'));
      assert.equal(definition, undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.line, 6);
      assert.equal(problems[0]!.severity, 'error');
      assert.match(problems[0]!.message, /^the file is not valid YAML: .+ on line 7; /);
    });

    it('names a repeated key and how to fix it', () => {
      const { problems } = parse('domain:\n  name: a\n  name: b\n');
      assert.equal(problems[0]!.line, 2);
      assert.match(problems[0]!.message, /remove or rename the repeated key$/);
    });

    it('reports an empty file and a file that is not a mapping', () => {
      assert.match(parse('').problems[0]!.message, /^the file is empty: start it with "domain:"/);
      assert.match(parse('- a\n- b\n').problems[0]!.message, /^the file holds a list at the top instead of a mapping/);
    });

    it('reports an alias to a missing anchor', () => {
      const { definition, problems } = parse('domain: *nowhere\n');
      assert.equal(definition, undefined);
      assert.match(problems[0]!.message, /anchors and aliases/);
    });

    describe('the wrong-shape fixture', () => {
      const text = readDomainFixture('wrong-shape');
      const { definition, problems } = parse(text);
      const messages = problems.map(p => `${p.line}: ${p.message}`);

      it('gives no definition without a domain name', () => {
        assert.equal(definition, undefined);
      });

      it('names each problem, its path, its line and the fix, in file order', () => {
        assert.deepEqual(messages, [
          '0: domain.name is missing: give the domain a name such as example-business',
          '8: events[0].data[1].total is a number instead of text: give the field a type such as UUID, String, Integer, Money or DateTime',
          '9: events[1].name is missing: give every event a PascalCase name such as OrderPlaced',
          '12: events[2].name "order_shipped" is not PascalCase: write it as OrderShipped',
          '14: events[2].description is a list instead of text: write the description as text',
          '15: events[3] is text instead of a mapping: write each event as a mapping with id, name, aggregate and data',
          '16: commands is text instead of a list: write commands as a list of "- id: C001" entries',
        ]);
        assert.deepEqual(problems.map(p => p.path), [
          'domain.name', 'events[0].data[1].total', 'events[1].name', 'events[2].name', 'events[2].description', 'events[3]', 'commands',
        ]);
        assert.deepEqual(problems.map(p => p.severity), ['error', 'error', 'error', 'warning', 'error', 'error', 'error']);
      });

      it('keeps what it can when a fallback domain is given', () => {
        const partial = parse(text, { fallbackDomain: 'wrong-shape' });
        const def = partial.definition!;
        assert.equal(def.domain, 'wrong-shape');
        // The event without a name and the text entry are dropped; the bad field and the bad description only lose themselves.
        assert.deepEqual(def.events.map(e => [e.id, e.eventToken]), [['E001', 'placed'], ['E003', 'shipped']]);
        assert.deepEqual(def.events[0]!.fields, [{ name: 'order_id', type: 'UUID' }]);
        assert.equal(def.events[1]!.description, undefined);
        assert.deepEqual(def.commands, []);
        assert.equal(partial.problems.length, problems.length);
      });
    });

    it('warns about a produced event that no event defines', () => {
      const { definition, problems } = parse('domain: shop\ncommands:\n  - id: C1\n    name: PlaceOrder\n    produces_events: [E9]\n');
      assert.ok(definition);
      assert.deepEqual(problems.map(p => [p.severity, p.line, p.message]), [
        ['warning', 4, 'commands[0].produces_events[0] "E9" names no event in this file: use an event id such as E001'],
      ]);
    });

    it('warns about a missing id and uses the name in its place', () => {
      const { definition, problems } = parse('domain: shop\nevents:\n  - name: OrderPlaced\n    aggregate: Order\n');
      assert.equal(definition!.events[0]!.id, 'OrderPlaced');
      assert.equal(problems[0]!.path, 'events[0].id');
      assert.equal(problems[0]!.severity, 'warning');
    });

    it('warns about two events that give the same subject tokens and a repeated id', () => {
      const { definition, problems } = parse([
        'domain: shop', 'events:',
        '  - {id: E1, name: OrderPlaced, aggregate: Order}',
        '  - {id: E1, name: OrderPlaced, aggregate: Order}',
      ].join('\n'));
      assert.equal(definition!.events.length, 2);
      assert.deepEqual(problems.map(p => p.message), [
        'events[1].id "E1" is also the id of events[0]: give every event its own id',
        'events[1].name "OrderPlaced" gives the same subject tokens (order.placed) as events[0]: rename one of them',
      ]);
    });

    it('reports a domain name that yields no token', () => {
      const { definition, problems } = parse('domain:\n  name: "---"\n');
      assert.equal(definition, undefined);
      assert.match(problems[0]!.message, /^domain\.name "---" holds no letters or digits/);
    });

    it('reads a missing domain section as a problem at the top', () => {
      const { problems } = parse('events: []\n');
      assert.equal(problems[0]!.message, 'domain is missing: start the file with "domain:" holding a name such as example-business');
    });
  });

  describe('properties', () => {
    it('never throws on any text', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), text => {
          const r = parseDomainDefinition(text);
          assert.ok(Array.isArray(r.problems));
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on any YAML document, and reports problems when it gives no definition', () => {
      fc.assert(
        fc.property(fc.jsonValue(), value => {
          const r = parseDomainDefinition(stringify({ domain: { name: 'shop' }, events: value, commands: value, aggregates: value }));
          assert.ok(r.definition);
          const bare = parseDomainDefinition(stringify(value));
          assert.ok(bare.definition || bare.problems.length > 0);
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on a cut or spliced copy of the valid fixture', () => {
      const text = readDomainFixture('example-business');
      fc.assert(
        fc.property(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 8 }), (a, b, insert) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const r = parseDomainDefinition(text.slice(0, from) + insert + text.slice(to));
          for (const p of r.problems) assert.ok(p.message.length > 0);
        }),
        { numRuns: 300 },
      );
    });
  });
});
