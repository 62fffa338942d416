// The editor's coverage helpers that need no VS Code: subjects from selections, consumer filters in text, document
// subjects, the hover's text and counts, the report's links, and names from a server's streams.
import assert from 'node:assert/strict';
import { preset } from '../../../src/core';
import { CoverageIndex, generalize, layoutFromAlgebra, layoutFromServer } from '../../../src/core/coverage';
import { coverageHoverMarkdown, absoluteLinks, patternCount } from '../../../src/core/coverage/coverageText';
import { assessSubject, documentSubjects } from '../../../src/core/coverage/documentSubjects';
import { consumerFilterContext } from '../../../src/core/coverage/filterContext';
import { subjectsInSelections } from '../../../src/core/coverage/selectionSubjects';
import { serverNameEntries } from '../../../src/core/coverage/serverNames';
import { cursor } from '../../support/cursor';

const cim = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const server = new CoverageIndex(layoutFromServer('local', [
  { name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'], storage: 'file', retention: 'limits', maxAge: 30 * 86_400e9, replicas: 1, messages: 5 },
  { name: 'PROJECTIONS', subjects: ['dev.projection.>'], storage: 'file', retention: 'limits', replicas: 1, messages: 0 },
]));

/** Offsets of every line holding `marker` (whole lines selected, as Shift+Down selects them). */
function lineSelection(text: string, from: string, to: string) {
  const start = text.indexOf(from);
  const endLine = text.indexOf(to);
  const end = text.indexOf('\n', endLine) + 1;
  return { start: text.lastIndexOf('\n', start) + 1, end };
}

describe('subjects from selections', () => {
  const ts = [
    `const a = 'dev.domain.sales.order.created.${ID}';`,
    `const b = 'dev.domain.sales.order.shipped.${ID}';`,
    `const c = \`dev.domain.sales.invoice.paid.\${id}\`;`,
    'const d = 42;',
  ].join('\n') + '\n';

  it('takes each line of a selection spanning lines, and not the line it ends at the start of', () => {
    const subjects = subjectsInSelections(cim, ts, 'source', [lineSelection(ts, 'const a', 'const b')]);
    assert.deepEqual(subjects, [`dev.domain.sales.order.created.${ID}`, `dev.domain.sales.order.shipped.${ID}`]);
    assert.equal(generalize(subjects), `dev.domain.sales.order.*.${ID}`);
  });

  it('takes the literal under each cursor, a cut literal as the subjects it starts', () => {
    const at = (s: string) => ts.indexOf(s) + 3;
    const subjects = subjectsInSelections(cim, ts, 'source', [at('dev.domain.sales.order.created'), at('dev.domain.sales.invoice')].map(o => ({ start: o, end: o })));
    assert.deepEqual(subjects, [`dev.domain.sales.order.created.${ID}`, 'dev.domain.sales.invoice.paid.>']);
    assert.equal(generalize(subjects), 'dev.domain.sales.*.*.>');
  });

  it('takes a selection inside one line as written, and finds nothing on a line without a subject', () => {
    const start = ts.indexOf('dev.domain.sales.order.shipped');
    assert.deepEqual(subjectsInSelections(cim, ts, 'source', [{ start, end: start + 'dev.domain.sales.order.shipped'.length }]), ['dev.domain.sales.order.shipped']);
    const d = ts.indexOf('const d');
    assert.deepEqual(subjectsInSelections(cim, ts, 'source', [{ start: d, end: d }]), []);
  });

  it('expands playbook variables, on the verb line or anywhere in the block', () => {
    const nats = '@domain = sales\n\n### A\nPUB {{env}}.domain.{{domain}}.order.created.' + ID + '\n{}\n\n### B\nSUB staging.domain.{{domain}}.>\n';
    const all = subjectsInSelections(cim, nats, 'nats', [{ start: 0, end: nats.length }], { environment: 'dev' });
    assert.deepEqual(all, [`dev.domain.sales.order.created.${ID}`, 'staging.domain.sales.>']);
    const { offset } = cursor(nats.replace('SUB staging', 'SUB stag|ing'));
    assert.deepEqual(subjectsInSelections(cim, nats, 'nats', [{ start: offset, end: offset }], { environment: 'dev' }), ['staging.domain.sales.>']);
  });

  it('reads bare subjects, one per line, in a plain list', () => {
    const text = 'dev.domain.sales.order.created.x\n- dev.domain.sales.order.shipped.y\n';
    assert.deepEqual(subjectsInSelections(cim, text, 'source', [{ start: 0, end: text.length }]), ['dev.domain.sales.order.created.x', 'dev.domain.sales.order.shipped.y']);
  });
});

describe('consumer filters in text', () => {
  it('knows a filter by its key and the stream named before it', () => {
    const code = "await jsm.consumers.add('DOMAIN_SALES_EVENTS', { durable_name: 'p', filter_subject: 'dev.domain.sales.order.>' });";
    assert.deepEqual(consumerFilterContext(code, code.indexOf('dev.domain')), { stream: 'DOMAIN_SALES_EVENTS' });
    const list = "const c = { stream: 'ORDERS', filterSubjects: ['a.b', 'dev.domain.x.>'] };";
    assert.deepEqual(consumerFilterContext(list, list.indexOf('dev.domain')), { stream: 'ORDERS' });
  });

  it('knows an item of a YAML filter_subjects list, and not an item of another list', () => {
    const yaml = 'consumer:\n  stream: DOMAIN_SALES_EVENTS\n  filter_subjects:\n    - dev.domain.sales.order.>\n    - dev.command.sales.>\n  subjects:\n    - dev.domain.sales.>\n';
    assert.deepEqual(consumerFilterContext(yaml, yaml.indexOf('dev.command')), { stream: 'DOMAIN_SALES_EVENTS' });
    assert.equal(consumerFilterContext(yaml, yaml.lastIndexOf('dev.domain.sales.>')), undefined);
    assert.equal(consumerFilterContext("publish('dev.domain.sales.>')", 9), undefined);
  });
});

describe('document subjects against a layout', () => {
  it('checks a literal cut at an interpolation as a prefix, and a filter against the stream it names', () => {
    const code = [
      'const a = `dev.domain.billing.invoice.paid.${id}`;',
      "const b = 'dev.domain.sales.>';",
      "jsm.consumers.add('DOMAIN_SALES_EVENTS', { filter_subject: 'dev.command.sales.>' });",
    ].join('\n');
    const subjects = documentSubjects(cim, code, 'source');
    assert.deepEqual(subjects.map(s => [s.subject, s.kind, !!s.prefix, s.stream]), [
      ['dev.domain.billing.invoice.paid', 'publish', true, undefined],
      ['dev.domain.sales.>', 'pattern', false, undefined],
      ['dev.command.sales.>', 'consumer-filter', false, 'DOMAIN_SALES_EVENTS'],
    ]);
    const problems = subjects.map(s => assessSubject(cim, server, s).problems.map(p => p.code));
    assert.deepEqual(problems, [['coverage/uncaptured'], [], ['coverage/filter-outside-stream']]);
    assert.equal(code.slice(subjects[0]!.start, subjects[0]!.end), 'dev.domain.billing.invoice.paid');
  });

  it('skips a playbook subject with an undefined variable and reads SUB as a pattern', () => {
    const nats = `### A\nPUB dev.domain.sales.order.created.{{nope}}\n{}\n\n### B\nSUB dev.domain.sales.>\n`;
    assert.deepEqual(documentSubjects(cim, nats, 'nats').map(s => [s.subject, s.kind]), [['dev.domain.sales.>', 'pattern']]);
  });
});

describe('coverage hover text', () => {
  it('names the server stream with its storage, retention, max age, replicas and messages', () => {
    const [s] = documentSubjects(cim, `'dev.domain.sales.order.created.${ID}'`, 'source');
    const { capture, problems } = assessSubject(cim, server, s!);
    const md = coverageHoverMarkdown({ subject: s!.subject, prefix: false, capture, problems, source: { kind: 'server', connection: 'local' } });
    assert.match(md, /from the streams on \*\*local\*\*/);
    assert.match(md, /`DOMAIN_SALES_EVENTS` — file, limits, max age 30d, 1 replica, 5 messages; subjects `dev\.domain\.sales\.>`/);
  });

  it('says an uncaptured subject is not stored, in the engine\'s words, and which source it asked', () => {
    const algebra = new CoverageIndex(layoutFromAlgebra(cim, { environments: ['dev'], domains: ['sales'] }));
    const [s] = documentSubjects(cim, `'dev.domain.billing.invoice.paid.${ID}'`, 'source');
    const { capture, problems } = assessSubject(cim, algebra, s!);
    const md = coverageHoverMarkdown({ subject: s!.subject, prefix: false, capture, problems, source: { kind: 'algebra', algebra: 'cim-start', why: 'no NATS connection is set up' } });
    assert.match(md, /from the algebra's stream layout \(cim-start\), because no NATS connection is set up/);
    assert.match(md, /\*\*Not stored:\*\* dev\.domain\.billing\.invoice\.paid\.\S+ would not be stored: .*create DOMAIN_BILLING_EVENTS/);
  });

  it('counts a pattern\'s messages per stream from event types, whole and in part', () => {
    const counts = { types: [
      { aggregate: 'order', event: 'created', messages: 3, declared: false },
      { aggregate: 'order', event: 'shipped', messages: 2, declared: false },
      { aggregate: 'invoice', event: 'paid', messages: 7, declared: true },
    ] };
    assert.deepEqual(patternCount(counts, 'dev.domain.sales', 'dev.domain.sales.order.>'), {
      messages: 5, partial: 0, estimated: false,
      types: [{ aggregate: 'order', event: 'created', messages: 3, whole: true }, { aggregate: 'order', event: 'shipped', messages: 2, whole: true }],
    });
    const one = patternCount(counts, 'dev.domain.sales', `dev.domain.sales.*.paid.${ID}`);
    assert.deepEqual([one.messages, one.partial, one.types.map(t => t.whole)], [0, 7, [false]]);
    const capture = server.capturing('dev.domain.sales.order.>');
    const md = coverageHoverMarkdown({ subject: 'dev.domain.sales.order.>', prefix: false, capture, problems: [], source: { kind: 'server', connection: 'local' },
      counts: new Map([['DOMAIN_SALES_EVENTS', { state: 'done', count: patternCount(counts, 'dev.domain.sales', 'dev.domain.sales.order.>') }]]) });
    assert.match(md, /Stored whole by stream:/);
    assert.match(md, /matches 5 messages; event types: `order\.created` 3, `order\.shipped` 2/);
  });
});

describe('coverage report links', () => {
  it('points relative file:line links at the files, leaving unknown ones alone', () => {
    const md = '| `a` | [src/my orders.ts:3](src/my%20orders.ts#L3), [x.ts:1](x.ts#L1) |\n[domains/b/d.yaml](domains/b/d.yaml)';
    const known: Record<string, string> = { 'src/my orders.ts': 'file:///w/src/my%20orders.ts', 'domains/b/d.yaml': 'file:///w/domains/b/d.yaml' };
    assert.equal(absoluteLinks(md, p => known[p]), '| `a` | [src/my orders.ts:3](file:///w/src/my%20orders.ts#L3), [x.ts:1](x.ts#L1) |\n[domains/b/d.yaml](file:///w/domains/b/d.yaml)');
  });
});

describe('names from a server', () => {
  it('gives domains from stream subjects and aggregates and events from counts, marked as the server\'s', () => {
    const names = serverNameEntries(cim, 'local', [
      { name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'], kind: 'stream' },
      { name: 'KV_x', subjects: ['$KV.x.>'], kind: 'kv' },
    ], [{ stream: 'DOMAIN_SALES_EVENTS', prefix: 'dev.domain.sales', domain: 'sales', counts: { types: [
      { aggregate: 'refund', event: 'issued', messages: 1, declared: false },
      { aggregate: 'Bad_Name', event: 'x', messages: 1, declared: false },
      { aggregate: 'customer', event: 'registered', messages: 0, declared: true },
    ] } }]);
    assert.deepEqual(names.map(n => [n.role, n.value, n.scope, n.detail]), [
      ['aggregate', 'refund', { domain: 'sales' }, 'aggregate on server local'],
      ['event', 'issued', { domain: 'sales', aggregate: 'refund' }, 'event on server local'],
      ['domain', 'sales', undefined, 'domain on server local'],
    ]);
  });
});
