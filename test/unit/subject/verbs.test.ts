import assert from 'node:assert/strict';
import { baseOf, isPastTense, looksImperative, pastOf } from '../../../src/core';

describe('verb heuristics behind the style rules', () => {
  it('knows regular and irregular past forms', () => {
    for (const w of ['created', 'shipped', 'paid', 'sent', 'built', 'registered', 'set']) assert.ok(isPastTense(w), w);
    for (const w of ['create', 'ship', 'feed', 'seed', 'processing']) assert.ok(!isPastTense(w), w);
  });
  it('tells imperatives from past forms and gerunds', () => {
    for (const w of ['create', 'ship', 'update', 'reset', 'feed']) assert.ok(looksImperative(w), w);
    for (const w of ['created', 'paid', 'creating']) assert.ok(!looksImperative(w), w);
  });
  it('forms the past of a base verb or a gerund', () => {
    assert.deepEqual(['create', 'ship', 'apply', 'pay', 'add', 'processing', 'send'].map(pastOf), ['created', 'shipped', 'applied', 'paid', 'added', 'processed', 'sent']);
  });
  it('finds the base of a past form only when it is sure', () => {
    assert.deepEqual(['created', 'shipped', 'applied', 'paid', 'added', 'started', 'updated'].map(baseOf), ['create', 'ship', 'apply', 'pay', 'add', 'start', 'update']);
    assert.equal(baseOf('create'), undefined);
  });
});
