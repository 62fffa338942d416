import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { coverageReport, layoutFromAlgebra, layoutFromServer, scanSources, type SourceFile } from '../../../src/core/coverage';
import { domainTokens, preset } from '../../../src/core';

const cim = preset('cim-start');
const ROOT = join(__dirname, '../../../../test/fixtures/coverage-workspace');

function workspaceFiles(dir = ROOT): SourceFile[] {
  return readdirSync(dir).sort().flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return workspaceFiles(path);
    return /\.(nats|ts|ya?ml)$/.test(name) ? [{ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

describe('scanSources', () => {
  const scanned = scanSources(cim, workspaceFiles(), { environment: 'dev' });

  it('finds playbook subjects with their variables expanded, and literals with their kind', () => {
    const at = (file: string) => scanned.sources.filter(s => s.file === file).map(s => [s.line, s.kind, s.subject, s.prefix ?? false]);
    assert.deepEqual(at('playbooks/orders.nats'), [
      [3, 'publish', 'dev.domain.sales.order.placed.00000000-0000-4000-8000-000000000000', false],
      [9, 'publish', 'dev.command.sales.order.place', false],
      [13, 'publish', 'dev.domain.shipping.parcel.sent.550e8400-e29b-41d4-a716-446655440001', false],
      [17, 'pattern', 'dev.domain.sales.>', false],
      [20, 'pattern', 'dev.domain.*.order.>', false],
    ]);
    assert.equal(scanned.sources[0]!.written, undefined);
    assert.equal(scanned.sources.find(s => s.line === 3 && s.file.endsWith('orders.nats'))!.written, '{{env}}.domain.sales.order.placed.{{event_id}}');
    assert.deepEqual(at('src/orders.ts'), [
      [3, 'publish', 'dev.domain.sales.order.shipped', true],
      [6, 'publish', 'dev.command.billing.invoice.issue', false],
      [7, 'pattern', 'dev.domain.returns.>', false],
      [8, 'publish', 'dev.saga.order-fulfillment.started', false],
    ]);
  });

  it('reads the domain definitions', () => {
    assert.deepEqual(scanned.definitions.map(d => [d.file, d.definition.domain, d.definition.events.length]), [
      ['domains/billing/domain-definition.yaml', 'billing', 2],
      ['domains/sales/domain-definition.yaml', 'sales', 3],
    ]);
    assert.deepEqual(scanned.definitionProblems, []);
  });
});

describe('coverageReport for a workspace', () => {
  const scanned = scanSources(cim, workspaceFiles(), { environment: 'dev' });
  const layout = layoutFromAlgebra(cim, { environments: ['dev'], domains: scanned.definitions.flatMap(d => domainTokens(d.definition)) });
  const { markdown, data } = coverageReport({ algebra: cim, layout, sources: scanned.sources, definitions: scanned.definitions });
  const table = (heading: string) => {
    const section = markdown.split(/^## /m).find(s => s.startsWith(heading))!;
    return section.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| Subject') && !/^\| (Domain|Stream) \|/.test(l));
  };

  it('opens with what was checked against and the verdict', () => {
    assert.ok(markdown.startsWith("# Stream coverage\n\n12 subjects and patterns from 3 files checked against 8 streams in CIM-Start's stream layout (dev; domains billing, sales).\n\n"
      + '**Not covered:** 1 domain event, command or snapshot subject would not be stored.\n'
      + 'Also: 1 pattern no stream captures, 2 defined events nothing publishes.\n'), markdown);
  });

  it('lists every subject with the stream that stores it, the uncaptured first, each linked to where it is written', () => {
    const rows = table('Subjects and patterns');
    assert.equal(rows.length, 12);
    assert.equal(rows[0], '| `dev.domain.shipping.parcel.sent.550e8400-e29b-41d4-a716-446655440001` | publish | **none**, not stored (create DOMAIN_SHIPPING_EVENTS, `dev.domain.shipping.>`: `cim-nats init-streams --env dev shipping`) | [playbooks/orders.nats:13](playbooks/orders.nats#L13) |');
    assert.equal(rows[1], '| `dev.domain.returns.>` | pattern | none (live messages only) | [src/orders.ts:7](src/orders.ts#L7) |');
    assert.ok(rows.includes('| `dev.domain.*.order.>` | pattern | DOMAIN_BILLING_EVENTS (part), DOMAIN_SALES_EVENTS (part) | [playbooks/orders.nats:20](playbooks/orders.nats#L20) |'), rows.join('\n'));
    assert.ok(rows.includes('| `{{env}}.domain.sales.order.placed.{{event_id}}` | publish | DOMAIN_SALES_EVENTS | [playbooks/orders.nats:3](playbooks/orders.nats#L3) |'));
    assert.ok(rows.includes('| `dev.domain.sales.order.shipped.…` | publish | DOMAIN_SALES_EVENTS | [src/orders.ts:3](src/orders.ts#L3) |'));
    assert.ok(rows.includes('| `dev.snapshot.billing.invoice.550e8400-e29b-41d4-a716-446655440003` | publish | DOMAIN_BILLING_SNAPSHOTS | [playbooks/billing.nats:6](playbooks/billing.nats#L6) |'));
    assert.ok(rows.includes('| `dev.saga.order-fulfillment.started` | publish | SAGAS | [src/orders.ts:8](src/orders.ts#L8) |'));
  });

  it('names the defined events nothing publishes, with the subjects they would take', () => {
    assert.deepEqual(table('Defined events nothing publishes'), [
      '| billing | InvoicePaid (E002) | `*.domain.billing.invoice.paid.*` | [domains/billing/domain-definition.yaml](domains/billing/domain-definition.yaml) |',
      '| sales | OrderCancelled (E003) | `*.domain.sales.order.cancelled.*` | [domains/sales/domain-definition.yaml](domains/sales/domain-definition.yaml) |',
    ]);
  });

  it('says so when no streams overlap and no consumer is wrong', () => {
    assert.match(markdown, /## Streams whose subjects overlap\n\nNone: no subject is captured by two streams\./);
    assert.match(markdown, /## Consumers whose filters match nothing\n\nNone\./);
  });

  it('gives the same as data', () => {
    assert.equal(data.ok, false);
    assert.deepEqual(data.summary, { files: 3, subjects: 12, captured: 10, uncaptured: 1, uncapturedOther: 0, patternsUnmatched: 1, overlaps: 0, consumerProblems: 0, unpublishedEvents: 2 });
    const first = data.subjects[0]!;
    assert.equal(first.problems[0]!.code, 'coverage/uncaptured');
    assert.deepEqual(first.problems[0]!.fix, { kind: 'init-streams', domain: 'shipping', environment: 'dev', stream: 'DOMAIN_SHIPPING_EVENTS', subjects: 'dev.domain.shipping.>' });
    assert.deepEqual(first.locations, [{ file: 'playbooks/orders.nats', line: 13 }]);
    assert.deepEqual(data.unpublishedEvents.map(e => e.name), ['InvoicePaid', 'OrderCancelled']);
    assert.doesNotThrow(() => JSON.stringify(data));
  });
});

describe('coverageReport against a server', () => {
  const layout = layoutFromServer('prod-cluster', [
    { name: 'DOMAIN_SALES_EVENTS', subjects: ['prod.domain.sales.>'] },
    { name: 'EVERYTHING', subjects: ['prod.>'] },
    { name: 'SALES_MIRROR', subjects: [] },
  ]);
  const sources = [
    { file: 'a.ts', line: 1, subject: 'prod.domain.sales.order.placed.x', kind: 'publish' as const },
    { file: 'b.ts', line: 2, subject: 'prod.domain.sales.order.placed.x', kind: 'publish' as const },
    { file: 'c d/[e].ts', line: 3, subject: 'prod.domain.sales.order.placed.x', kind: 'publish' as const },
    { file: 'f.ts', line: 4, subject: 'prod.domain.sales.order.placed.x', kind: 'publish' as const },
  ];
  const consumers = [
    { stream: 'DOMAIN_SALES_EVENTS', name: 'lost', filterSubjects: ['dev.domain.sales.>'] },
    { stream: 'DOMAIN_SALES_EVENTS', name: 'too-wide', filterSubjects: ['prod.domain.*.order.>'] },
    { stream: 'DOMAIN_SALES_EVENTS', name: 'fine', filterSubjects: ['prod.domain.sales.order.>'] },
    { stream: 'SALES_MIRROR', name: 'unknown', filterSubjects: ['x.>'] },
  ];
  const { markdown, data } = coverageReport({ algebra: cim, layout, sources, consumers });

  it('lists the overlapping pair with what both would capture, and fails on it', () => {
    assert.ok(markdown.includes('| DOMAIN_SALES_EVENTS | `prod.domain.sales.>` | EVERYTHING | `prod.>` | `prod.domain.sales.>` |'), markdown);
    assert.ok(markdown.includes('**Not covered:** 1 pair of streams overlaps.'));
    assert.equal(data.ok, false);
  });

  it('groups one subject written in many places, links each, and bounds the list', () => {
    assert.ok(markdown.includes('| `prod.domain.sales.order.placed.x` | publish | DOMAIN_SALES_EVENTS, EVERYTHING | [a.ts:1](a.ts#L1), [b.ts:2](b.ts#L2), [c d/\\[e\\].ts:3](c%20d/%5Be%5D.ts#L3), and 1 more |'), markdown);
    assert.equal(data.subjects[0]!.locations.length, 4);
  });

  it('names consumers whose filters match nothing, and filters outside their stream with the narrowed one', () => {
    assert.ok(markdown.includes('## Consumers whose filters match nothing\n\n| Stream | Consumer | Filters |\n|---|---|---|\n| DOMAIN_SALES_EVENTS | lost | `dev.domain.sales.>` |\n'), markdown);
    assert.ok(markdown.includes('| DOMAIN_SALES_EVENTS | too-wide | `prod.domain.*.order.>` | narrow to `prod.domain.sales.order.>` |'), markdown);
    assert.deepEqual(data.consumers.map(c => [c.name, c.matchesNothing, c.problems.map(p => p.code)]), [['lost', true, []], ['too-wide', false, ['coverage/filter-outside-stream']]]);
  });

  it('checks a domain the algebra renames as renamed, and offers no init-streams that would be refused', () => {
    const strict = layoutFromServer('prod-cluster', [{ name: 'DOMAIN_SALES_EVENTS', subjects: ['prod.domain.sales.>'] }]);
    const [billing, accent, sales] = coverageReport({ algebra: cim, layout: strict, sources: [
      { file: 'g.ts', line: 1, subject: 'prod.domain.Sales.order.placed.x', kind: 'publish' as const },
      { file: 'g.ts', line: 2, subject: 'prod.domain.Billing.invoice.paid.x', kind: 'publish' as const },
      { file: 'g.ts', line: 3, subject: 'prod.domain.Salés.order.placed.x', kind: 'publish' as const },
    ] }).markdown.split('\n').filter(l => l.startsWith('| `'));
    assert.equal(billing, '| `prod.domain.Billing.invoice.paid.x` | publish | **none**, not stored (create DOMAIN_BILLING_EVENTS, `prod.domain.billing.>`: `cim-nats init-streams --env prod billing`) | [g.ts:2](g.ts#L2) |');
    assert.equal(accent, '| `prod.domain.Salés.order.placed.x` | publish | **none**, not stored (no stream can be created for the domain "Salés" until it is a kebab-case name) | [g.ts:3](g.ts#L3) |');
    // as renamed to sales it is DOMAIN_SALES_EVENTS'
    assert.equal(sales, '| `prod.domain.Sales.order.placed.x` | publish | DOMAIN_SALES_EVENTS | [g.ts:1](g.ts#L1) |');
  });

  it('is covered when nothing is wrong', () => {
    const ok = coverageReport({ algebra: cim, layout: layoutFromServer('local', [{ name: 'S', subjects: ['prod.domain.sales.>'] }]), sources: sources.slice(0, 1) });
    assert.equal(ok.data.ok, true);
    assert.match(ok.markdown, /\*\*Covered:\*\* every domain event, command and snapshot subject is captured, and no two streams overlap\./);
    assert.match(coverageReport({ algebra: cim, layout, sources: [] }).markdown, /## Subjects and patterns\n\nNo subjects found\./);
  });
});
