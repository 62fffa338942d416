import * as assert from 'node:assert/strict';
import { preset } from '../../../src/core/algebra/compiled';
import { NameIndex } from '../../../src/core/complete/names';
import { namesFromDefinitions } from '../../../src/core/domain/completionNames';
import { draftInsertion, definitionFor, sampleDraft, withFreshMessageId } from '../../../src/core/envelope/sampleDraft';
import { namesFromStreamSubjects } from '../../../src/core/complete/streamNames';
import { nextSubjectStep, plainTokens, tokenProblem, type StepOptions } from '../../../src/core/envelope/subjectSteps';
import type { DomainEventEnvelope } from '../../../src/core/envelope/types';
import { parsePlaybook } from '../../../src/core/playbook/parser';
import { exampleBusiness } from '../domain/fixtures';
import { NOW, NOW_ISO, id, numberedIds, subject } from './helpers';

const cim = preset('cim-start');
const EVENT_ID = '550e8400-e29b-41d4-a716-446655440000';

/** Answers every step with the first item (or its fixed value) unless `answers` names the role. */
function build(options: StepOptions, answers: Record<string, string> = {}, seed: string[] = []): { subject: string; asked: string[] } {
  const chosen = [...seed];
  const asked: string[] = [];
  for (let step = nextSubjectStep(cim, chosen, options); step; step = nextSubjectStep(cim, chosen, options)) {
    if (step.fixed !== undefined && answers[step.role] === undefined) {
      chosen.push(step.fixed);
      continue;
    }
    asked.push(step.role);
    const value = answers[step.role] ?? step.items[0]?.value;
    assert.ok(value, `no answer for ${step.role}`);
    assert.equal(tokenProblem(cim, step, value, options.within), undefined, `${step.role} = ${value}`);
    chosen.push(value);
  }
  return { subject: chosen.join('.'), asked };
}

describe('token-by-token subject building', () => {
  const names = new NameIndex(namesFromDefinitions([exampleBusiness()]));

  it('asks environment, category, domain, aggregate and event, with names from the definitions, and fills the id', () => {
    const first = nextSubjectStep(cim, [], { names, defaultEnvironment: 'staging' })!;
    assert.equal(first.title, 'Environment');
    assert.deepEqual(first.items.map(i => i.value), ['staging', 'dev', 'prod']);
    assert.deepEqual(nextSubjectStep(cim, [], {})!.items.map(i => i.value), ['dev', 'staging', 'prod']);
    assert.equal(first.free, false);
    const category = nextSubjectStep(cim, ['dev'], { names })!;
    assert.deepEqual(category.items.map(i => i.value), [...cim.categories.keys()]);
    const events = nextSubjectStep(cim, ['dev', 'domain', 'sales', 'order'], { names })!;
    assert.equal(events.role, 'event');
    assert.deepEqual(events.items.map(i => i.value), ['placed', 'item-added']);
    assert.equal(events.free, true);
    const built = build({ names, uuid: () => EVENT_ID }, { env: 'dev', category: 'domain', domain: 'sales', aggregate: 'order', event: 'placed' });
    assert.equal(built.subject, `dev.domain.sales.order.placed.${EVENT_ID}`);
    assert.deepEqual(built.asked, ['env', 'category', 'domain', 'aggregate', 'event']);
  });

  it('is done once the category\'s shape is filled', () => {
    assert.equal(nextSubjectStep(cim, ['dev', 'domain', 'sales', 'order', 'placed', EVENT_ID]), undefined);
    assert.equal(nextSubjectStep(cim, ['dev', 'command', 'sales', 'order', 'ship']), undefined);
  });

  it('within a stream\'s subjects, fixes what they spell out and offers only what they capture', () => {
    const within = ['dev.domain.inventory.>'];
    const built = build({ names, within, uuid: () => EVENT_ID }, { aggregate: 'product', event: 'stock-reserved' });
    assert.equal(built.subject, `dev.domain.inventory.product.stock-reserved.${EVENT_ID}`);
    assert.deepEqual(built.asked, ['aggregate', 'event'], 'env, category and domain come from the stream');
    const env = nextSubjectStep(cim, [], { within: ['*.domain.sales.>'] })!;
    assert.equal(env.fixed, undefined);
    assert.deepEqual(env.items.map(i => i.value).sort(), ['dev', 'prod', 'staging']);
    const category = nextSubjectStep(cim, ['dev'], { within: ['dev.domain.sales.>', 'dev.command.sales.>'] })!;
    assert.deepEqual(category.items.map(i => i.value).sort(), ['command', 'domain']);
  });

  it('refuses a token that breaks the name rule, is not one token, or leaves the stream', () => {
    const domain = nextSubjectStep(cim, ['dev', 'domain'], { within: ['dev.domain.*.>'] })!;
    assert.equal(domain.free, true);
    assert.match(tokenProblem(cim, domain, 'Sales')!, /name rule/);
    assert.match(tokenProblem(cim, domain, 'a.b')!, /not one token/);
    assert.match(tokenProblem(cim, domain, '*')!, /not one token/);
    assert.equal(tokenProblem(cim, domain, 'billing', ['dev.domain.*.>']), undefined);
    const agg = nextSubjectStep(cim, ['dev', 'domain', 'sales'], {})!;
    assert.match(tokenProblem(cim, agg, 'order', ['dev.domain.inventory.>'])!, /outside the stream's subjects \(dev\.domain\.inventory\.>\)/);
    const env = nextSubjectStep(cim, [], {})!;
    assert.match(tokenProblem(cim, env, 'qa')!, /pick one of dev, staging, prod/);
  });

  it('finds no step for a stream outside the algebra', () => {
    const env = nextSubjectStep(cim, [], { within: ['$KV.config.>'] })!;
    assert.deepEqual(env.items, []);
  });

  it('reads names from live stream subjects, scoped as the algebra places them', () => {
    const entries = namesFromStreamSubjects(cim, [{ name: 'DOMAIN_BILLING_EVENTS', subjects: ['dev.domain.billing.>'] }, { name: 'ORDERS', subjects: ['dev.domain.sales.invoice.>'] }, { name: 'KV_x', subjects: ['$KV.x.>'] }]);
    assert.deepEqual(entries.map(e => [e.role, e.value, e.scope?.domain ?? '']), [['domain', 'billing', ''], ['domain', 'sales', ''], ['aggregate', 'invoice', 'sales']]);
    const live = new NameIndex(entries);
    assert.deepEqual(nextSubjectStep(cim, ['dev', 'domain'], { names: live })!.items.map(i => i.value), ['billing', 'sales']);
  });

  it('seeds from the plain tokens of a subject in code or a playbook', () => {
    assert.deepEqual(plainTokens('dev.domain.sales.order.placed.{{event_id}}'), ['dev', 'domain', 'sales', 'order', 'placed']);
    assert.deepEqual(plainTokens('{{env}}.domain.sales'), []);
    assert.deepEqual(plainTokens('dev.domain.sales.'), ['dev', 'domain', 'sales']);
    assert.deepEqual(plainTokens('dev.domain.*.order'), ['dev', 'domain']);
  });
});

describe('sample drafts', () => {
  const def = exampleBusiness();

  it('writes the envelope with typed data from the definition as a PUB block the playbook parser reads back', () => {
    const r = sampleDraft(cim, `dev.domain.sales.order.placed.${EVENT_ID}`, { definitions: [def], now: NOW, uuid: numberedIds() });
    assert.ok(r.ok);
    const { draft } = r;
    const env = draft.envelope as DomainEventEnvelope;
    assert.equal(env.event_id, EVENT_ID);
    assert.equal(env.event_type, 'OrderPlaced');
    assert.equal(env.data.order_id, env.aggregate_id);
    assert.deepEqual(env.data.total_amount, { amount: 99.99, currency: 'USD' });
    assert.equal(env.data.placed_at, NOW_ISO);
    assert.match(String(env.data.customer_id), /^00000000-0000-4000-8000-/);
    assert.equal(draft.definition, def.name);
    assert.equal(draft.messageId, EVENT_ID);
    const pb = parsePlaybook(draft.block);
    assert.deepEqual(pb.problems.filter(p => p.severity === 'error'), []);
    const [block] = pb.blocks;
    assert.equal(block?.verb, 'PUB');
    assert.equal(block?.subject, `dev.domain.sales.order.placed.${EVENT_ID}`);
    assert.deepEqual(JSON.parse(block!.body!.text), env);
    // the runner takes Nats-Msg-Id from the subject: a header written out would be called a copy's by the formatter
    assert.deepEqual(block!.headers.map(h => [h.name, h.value]), [['X-Message-ID', EVENT_ID], ['X-Correlation-ID', EVENT_ID], ['X-Causation-ID', EVENT_ID]]);
    assert.ok(!draft.block.includes('original'), draft.block);
  });

  it('keeps Nats-Msg-Id as a header when the subject does not end in the id (a command)', () => {
    const r = sampleDraft(cim, 'dev.command.sales.order.place', { definitions: [def], now: NOW, uuid: numberedIds() });
    assert.ok(r.ok);
    assert.deepEqual(r.draft.headers[0], ['Nats-Msg-Id', id(1)]);
    assert.equal(r.draft.definition, def.name);
  });

  it('says in one sentence why a subject cannot be published to', () => {
    const wild = sampleDraft(cim, 'dev.domain.sales.>');
    assert.ok(!wild.ok);
    assert.match(wild.problem, /^"dev\.domain\.sales\.>" is not a subject to publish to: /);
    const short = sampleDraft(cim, 'dev.domain.sales.order');
    assert.ok(!short.ok);
    const bad = sampleDraft(cim, `dev.domain.sales.Order.placed.${EVENT_ID}`);
    assert.ok(!bad.ok);
  });

  it('picks the definition that describes the event, else the domain\'s, else none', () => {
    const other = { ...def, name: 'other', domain: 'other', boundedContext: 'other' };
    assert.equal(definitionFor([other, def], subject(`dev.domain.sales.order.placed.${EVENT_ID}`))?.name, def.name);
    assert.equal(definitionFor([other, def], subject(`dev.domain.sales.order.refunded.${EVENT_ID}`))?.name, def.name);
    assert.equal(definitionFor([other, def], subject('dev.projection.order-summary.update')), undefined);
  });

  it('gives an event subject a fresh id, and leaves others alone', () => {
    assert.equal(withFreshMessageId(cim, `dev.domain.sales.order.placed.${EVENT_ID}`, () => id(7)), `dev.domain.sales.order.placed.${id(7)}`);
    assert.equal(withFreshMessageId(cim, 'dev.command.sales.order.place', () => id(7)), 'dev.command.sales.order.place');
    assert.equal(withFreshMessageId(cim, `dev.snapshot.sales.order.${EVENT_ID}`, () => id(7)), `dev.snapshot.sales.order.${EVENT_ID}`);
  });

  it('adds a draft as a block of its own to a playbook, or starts one that names the connection', () => {
    const block = '### x\nPUB dev.x\n';
    assert.equal(draftInsertion(block, '', 'local'), `@connection = local\n\n${block}`);
    assert.equal(draftInsertion(block, 'PUB a\n\n{}'), `\n\n${block}`);
    assert.equal(draftInsertion(block, 'PUB a\n'), `\n${block}`);
    assert.equal(draftInsertion(block, 'PUB a\n\n'), block);
    const pb = parsePlaybook(`PUB dev.domain.sales.order.placed.${EVENT_ID}\n\n{ "a": 1 }` + draftInsertion('### next\nPUB dev.command.sales.order.place\n', 'x'));
    assert.deepEqual(pb.blocks.map(b => b.subject), [`dev.domain.sales.order.placed.${EVENT_ID}`, 'dev.command.sales.order.place']);
    assert.equal(pb.blocks[0]!.body?.text, '{ "a": 1 }');
  });
});
