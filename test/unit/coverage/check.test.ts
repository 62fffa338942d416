import assert from 'node:assert/strict';
import { assessCoverage, checkCoverage, CoverageIndex, layoutFromAlgebra, layoutFromServer } from '../../../src/core/coverage';
import { preset } from '../../../src/core';

const cim = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const server = new CoverageIndex(layoutFromServer('prod-cluster', [
  { name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'] },
  { name: 'DOMAIN_SALES_COMMANDS', subjects: ['dev.command.sales.>'] },
  { name: 'PROJECTIONS', subjects: ['dev.projection.>'] },
]));

describe('checkCoverage', () => {
  it('finds nothing to say about a captured subject', () => {
    assert.deepEqual(checkCoverage(cim, server, `dev.domain.sales.order.placed.${ID}`, { kind: 'publish' }), []);
    assert.deepEqual(checkCoverage(cim, server, 'dev.command.sales.order.place', { kind: 'publish' }), []);
  });

  it('reports a domain event no stream captures as an error, naming the stream that would and the command that creates it', () => {
    const [p, ...rest] = checkCoverage(cim, server, `dev.domain.billing.invoice.paid.${ID}`, { kind: 'publish' });
    assert.equal(rest.length, 0);
    assert.equal(p!.code, 'coverage/uncaptured');
    assert.equal(p!.severity, 'error');
    assert.equal(p!.message, `dev.domain.billing.invoice.paid.${ID} would not be stored: no stream on prod-cluster captures dev.domain.billing.>; create DOMAIN_BILLING_EVENTS with cim-nats init-streams --env dev billing`);
    assert.deepEqual(p!.fix, { kind: 'init-streams', domain: 'billing', environment: 'dev', stream: 'DOMAIN_BILLING_EVENTS', subjects: 'dev.domain.billing.>' });
    assert.deepEqual([p!.start, p!.end, p!.fixes], [0, `dev.domain.billing.invoice.paid.${ID}`.length, []]);
  });

  it('treats commands and snapshots as stored too, other categories as a warning, and unknown ones not at all', () => {
    assert.equal(checkCoverage(cim, server, 'prod.command.sales.order.place', { kind: 'publish' })[0]!.severity, 'error');
    assert.equal(checkCoverage(cim, server, `dev.snapshot.sales.order.${ID}`, { kind: 'publish' })[0]!.fix?.kind, 'init-streams');
    const [saga] = checkCoverage(cim, server, 'dev.saga.returns.started', { kind: 'publish' });
    assert.equal(saga!.severity, 'warning');
    assert.equal(saga!.message, 'dev.saga.returns.started would not be stored: no stream on prod-cluster captures dev.saga.>; create SAGAS with subjects dev.saga.>');
    assert.deepEqual(checkCoverage(cim, server, 'dev.domian.sales.order.placed.x', { kind: 'publish' }), []);
  });

  it('reads a cut literal as the start of a subject: captured when a stream may hold what follows', () => {
    assert.deepEqual(checkCoverage(cim, server, 'dev.domain.sales.order.placed', { kind: 'publish', prefix: true }), []);
    const [p] = checkCoverage(cim, server, 'dev.domain.billing', { kind: 'publish', prefix: true });
    assert.equal(p!.message, 'dev.domain.billing would not be stored: no stream on prod-cluster captures dev.domain.billing.>; create DOMAIN_BILLING_EVENTS with cim-nats init-streams --env dev billing');
  });

  it('tells of a subscription pattern no stream captures, as information', () => {
    assert.deepEqual(checkCoverage(cim, server, 'dev.domain.*.order.>', { kind: 'pattern' }), []);
    const [p] = checkCoverage(cim, server, 'prod.domain.>', { kind: 'pattern' });
    assert.deepEqual([p!.code, p!.severity], ['coverage/pattern-unmatched', 'info']);
    assert.match(p!.message, /^no stream on prod-cluster captures any subject of prod\.domain\.>/);
  });

  it("refuses a consumer filter outside its stream's subjects, with the narrowed filter as the fix", () => {
    const streamSubjects = ['dev.domain.sales.>'];
    assert.deepEqual(checkCoverage(cim, server, 'dev.domain.sales.order.>', { kind: 'consumer-filter', streamSubjects }), []);
    const [p] = checkCoverage(cim, server, 'dev.domain.*.order.>', { kind: 'consumer-filter', streamSubjects });
    assert.deepEqual([p!.code, p!.severity], ['coverage/filter-outside-stream', 'error']);
    assert.equal(p!.message, "consumer filter dev.domain.*.order.> is not inside its stream's subjects (dev.domain.sales.>): narrow it to dev.domain.sales.order.>");
    assert.deepEqual(p!.fix, { kind: 'narrow-filter', filters: ['dev.domain.sales.order.>'] });
    const [none] = checkCoverage(cim, server, 'prod.>', { kind: 'consumer-filter', streamSubjects });
    assert.deepEqual(none!.fix, { kind: 'narrow-filter', filters: [] });
    assert.equal(checkCoverage(cim, server, 'dev.domain.*.order.>', { kind: 'consumer-filter' })[0]!.code, 'coverage/filter-outside-stream');
  });

  it('checks a name the algebra renames as renamed: the streams are made for that name', () => {
    // dev.domain.Sales… is stored nowhere as written; renamed to sales it is DOMAIN_SALES_EVENTS'
    assert.deepEqual(checkCoverage(cim, server, 'dev.domain.Sales.order.created.123', { kind: 'publish' }), []);
    const sales = assessCoverage(cim, server, 'dev.domain.Sales.order.created.123', { kind: 'publish' });
    assert.deepEqual([sales.renamed, sales.capture.streams.map(s => s.stream.name)], ['dev.domain.sales.order.created.123', ['DOMAIN_SALES_EVENTS']]);
    assert.deepEqual(checkCoverage(cim, server, 'dev.domain.Sales.>', { kind: 'pattern' }), []);
    const [p, ...rest] = checkCoverage(cim, server, `dev.domain.Billing.invoice.paid.${ID}`, { kind: 'publish' });
    assert.equal(rest.length, 0);
    assert.equal(p!.message, `dev.domain.Billing.invoice.paid.${ID} renamed to dev.domain.billing.invoice.paid.${ID} would not be stored: no stream on prod-cluster captures dev.domain.billing.>; create DOMAIN_BILLING_EVENTS with cim-nats init-streams --env dev billing`);
    assert.deepEqual(p!.fix, { kind: 'init-streams', domain: 'billing', environment: 'dev', stream: 'DOMAIN_BILLING_EVENTS', subjects: 'dev.domain.billing.>', renamed: `dev.domain.billing.invoice.paid.${ID}` });
    assert.deepEqual([p!.subject, p!.start, p!.end], [`dev.domain.Billing.invoice.paid.${ID}`, 0, `dev.domain.Billing.invoice.paid.${ID}`.length]);
    const [pattern] = checkCoverage(cim, server, 'prod.domain.Sales.>', { kind: 'pattern' });
    assert.match(pattern!.message, /^prod\.domain\.Sales\.> renamed to prod\.domain\.sales\.>: no stream on prod-cluster captures any subject of prod\.domain\.sales\.>/);
  });

  it('offers no init-streams fix that init-streams would refuse: a name with no rename, an unknown environment', () => {
    const [p] = checkCoverage(cim, server, `dev.domain.Salés.order.created.${ID}`, { kind: 'publish' });
    assert.equal(p!.fix, undefined);
    assert.equal(p!.message, `dev.domain.Salés.order.created.${ID} would not be stored: no stream on prod-cluster captures dev.domain.Salés.>; no stream can be created for the domain "Salés" until it is a kebab-case name`);
    const [env] = checkCoverage(cim, server, `Dev.domain.sales.order.created.${ID}`, { kind: 'publish' });
    assert.equal(env!.fix, undefined);
    assert.match(env!.message, /; no stream can be created for the environment "Dev" until it is one of dev, /);
  });

  it("checks against the algebra's layout in the same terms", () => {
    const algebra = new CoverageIndex(layoutFromAlgebra(cim, { environments: ['dev'], domains: ['sales'] }));
    const [p] = checkCoverage(cim, algebra, 'dev.command.billing.invoice.issue', { kind: 'publish' });
    assert.equal(p!.message, "dev.command.billing.invoice.issue would not be stored: no stream in CIM-Start's stream layout (dev; domains sales) captures dev.command.billing.>; create DOMAIN_BILLING_COMMANDS with cim-nats init-streams --env dev billing");
  });
});
