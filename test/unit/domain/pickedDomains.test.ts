import * as assert from 'node:assert/strict';
import { preset } from '../../../src/core/algebra/compiled';
import { domainNameProblem, narrowsItems, pickedDomains } from '../../../src/core/domain/pickedDomains';

describe('the domains the Initialize picker chose', () => {
  const algebra = preset('cim-start');
  const items = ['inventory', 'sales'];

  it('reads text that matches no item as the domain list, and plans nothing unchosen', () => {
    assert.deepEqual(pickedDomains(algebra, [], 'billing', items), { kind: 'domains', domains: ['billing'] });
    assert.deepEqual(pickedDomains(algebra, [], 'billing, shipping  returns', items), { kind: 'domains', domains: ['billing', 'shipping', 'returns'] });
  });

  it('adds typed names to the checked items', () => {
    assert.deepEqual(pickedDomains(algebra, ['sales'], 'billing', items), { kind: 'domains', domains: ['sales', 'billing'] });
    assert.deepEqual(pickedDomains(algebra, ['sales'], '', items), { kind: 'domains', domains: ['sales'] });
  });

  it('takes a typed name that is an item\'s whole label as that domain', () => {
    assert.deepEqual(pickedDomains(algebra, [], 'sales', items), { kind: 'domains', domains: ['sales'] });
  });

  it('treats a part of an item\'s label as a filter, which names no domain', () => {
    assert.equal(narrowsItems('sal', items), true);
    assert.equal(narrowsItems('billing', items), false);
    assert.deepEqual(pickedDomains(algebra, [], 'sal', items), { kind: 'filter' });
    assert.deepEqual(pickedDomains(algebra, ['inventory'], 'sal', items), { kind: 'domains', domains: ['inventory'] });
  });

  it('chooses nothing when nothing is checked or typed', () => {
    assert.deepEqual(pickedDomains(algebra, [], '  ', items), { kind: 'none' });
  });

  it('refuses a name the algebra\'s rule refuses, naming the rule and the name that would pass', () => {
    assert.deepEqual(pickedDomains(algebra, ['sales'], 'Billing', items),
      { kind: 'problem', problem: '"Billing" is not a valid domain name for CIM-Start (kebab case, e.g. order-history): type billing.' });
    assert.match(domainNameProblem(algebra, 'a.b') ?? '', /^"a\.b" is not a valid domain name for CIM-Start \(kebab case, e\.g\. order-history\)/);
    assert.equal(domainNameProblem(algebra, 'order-history'), undefined);
  });
});
