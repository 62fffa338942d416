import * as assert from 'node:assert/strict';
import { nameWords, sameName, toNameToken, toPascalCase } from '../../../src/core/domain';

describe('domain names', () => {
  describe('toNameToken', () => {
    it('turns PascalCase into the algebra\'s name case', () => {
      assert.equal(toNameToken('OrderItemAdded', 'kebab'), 'order-item-added');
      assert.equal(toNameToken('OrderItemAdded', 'snake'), 'order_item_added');
      assert.equal(toNameToken('Order', 'kebab'), 'order');
    });

    it('accepts names already written as tokens or with spaces', () => {
      assert.equal(toNameToken('example-business', 'kebab'), 'example-business');
      assert.equal(toNameToken('example-business', 'snake'), 'example_business');
      assert.equal(toNameToken('add_node', 'kebab'), 'add-node');
      assert.equal(toNameToken('Reserve Stock on Order', 'kebab'), 'reserve-stock-on-order');
    });

    it('keeps acronyms and digits together', () => {
      assert.equal(toNameToken('HTTPRequestSent', 'kebab'), 'http-request-sent');
      assert.equal(toNameToken('ApiV2Called', 'kebab'), 'api-v2-called');
    });

    it('yields an empty token for a name without letters or digits', () => {
      assert.equal(toNameToken('--', 'kebab'), '');
    });

    it('always yields a token the algebra\'s name rule accepts', () => {
      for (const name of ['OrderPlaced', 'order_summary', 'orderSummary', 'X', 'A1B2', 'Ünïcode Name', 'a--b']) {
        const token = toNameToken(name, 'kebab');
        assert.ok(token === '' || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(token), `${name} -> ${token}`);
      }
    });
  });

  it('toPascalCase turns a token back into a type name', () => {
    assert.equal(toPascalCase('item-added'), 'ItemAdded');
    assert.equal(toPascalCase('add_node'), 'AddNode');
    assert.equal(toPascalCase('order'), 'Order');
  });

  it('nameWords splits on case changes and separators', () => {
    assert.deepEqual(nameWords('ShoppingCart'), ['shopping', 'cart']);
    assert.deepEqual(nameWords('shopping_cart'), ['shopping', 'cart']);
  });

  it('sameName compares names whatever their case', () => {
    assert.ok(sameName('ShoppingCart', 'shopping-cart'));
    assert.ok(sameName('shopping_cart', 'shopping-cart'));
    assert.ok(!sameName('ShoppingCart', 'cart'));
  });
});
