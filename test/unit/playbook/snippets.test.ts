import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSubject, preset } from '../../../src/core';
import { parsePlaybook, resolveBlock } from '../../../src/core/playbook';
import { builtins, ROOT } from './helpers';
import { expandSnippet } from './snippetExpander';

interface Snippet { prefix: string | string[]; body: string | string[]; description: string }

const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets/nats.json'), 'utf8')) as Record<string, Snippet>;
const cim = preset('cim-start');

// The envelope fields per category, from the spec's "Message envelopes".
const ENVELOPES: Record<string, string[]> = {
  domain: ['event_id', 'event_type', 'aggregate_type', 'aggregate_id', 'domain', 'timestamp', 'version', 'data', 'metadata'],
  command: ['command_id', 'command_type', 'aggregate_type', 'domain', 'timestamp', 'data', 'metadata'],
  projection: ['projection_id', 'view_name', 'operation', 'timestamp', 'data'],
  saga: ['saga_id', 'process_name', 'event_type', 'timestamp', 'data'],
  snapshot: ['aggregate_id', 'aggregate_type', 'domain', 'version', 'timestamp', 'state'],
};

function send(name: string) {
  const text = expandSnippet(snippets[name]!.body);
  const p = parsePlaybook(text);
  assert.deepEqual(p.problems, [], `${name}:\n${text}`);
  assert.equal(p.blocks.length, 1);
  const block = p.blocks[0]!;
  const sent = resolveBlock(block, builtins());
  assert.deepEqual(sent.unresolved, []);
  const parsed = parseSubject(cim, sent.subject);
  const body = sent.body === undefined ? undefined : JSON.parse(sent.body) as Record<string, unknown>;
  const header = (h: string) => sent.headers.find(x => x.name === h)?.value;
  return { text, block, sent, parsed, body, header };
}

describe('snippets/nats.json', () => {
  it('holds the five CIM categories plus sub and req, each with a prefix and a description', () => {
    const prefixes = Object.values(snippets).map(s => [s.prefix].flat()[0]);
    assert.deepEqual(prefixes, ['event', 'command', 'projection', 'saga', 'snapshot', 'sub', 'req']);
    for (const s of Object.values(snippets)) assert.ok(s.description.length > 20);
  });

  for (const [name, category] of [['Domain event', 'domain'], ['Command', 'command'], ['Projection', 'projection'], ['Saga', 'saga'], ['Snapshot', 'snapshot']] as const) {
    it(`${name}: with its defaults it parses cleanly to a ${category} subject and the CIM envelope`, () => {
      const { parsed, body, block } = send(name);
      assert.equal(block.verb, 'PUB');
      assert.equal(parsed.category?.name, category);
      assert.equal(parsed.tokens.length, parsed.expectedLength);
      assert.ok(cim.environments.has(parsed.values.env!));
      assert.deepEqual(Object.keys(body!), ENVELOPES[category]);
      assert.equal(body!.timestamp, '2025-01-02T03:04:05.000Z');
    });
  }

  it('Domain event: the subject id, Nats-Msg-Id and event_id are one UUID; names are PascalCased', () => {
    const { sent, body, header } = send('Domain event');
    const id = sent.subject.split('.').at(-1)!;
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(body!.event_id, id);
    assert.equal(header('Nats-Msg-Id'), id);
    assert.equal(body!.event_type, 'OrderCreated');
    assert.equal(body!.aggregate_type, 'Order');
    assert.equal(body!.domain, 'sales');
    assert.equal(typeof body!.version, 'number');
    assert.deepEqual(body!.metadata, { correlation_id: id, causation_id: id, source: 'cim-nats' });
    assert.notEqual(body!.aggregate_id, id);
  });

  it('Command and Request: Nats-Msg-Id equals command_id', () => {
    for (const name of ['Command', 'Request']) {
      const { body, header } = send(name);
      assert.equal(header('Nats-Msg-Id'), body!.command_id);
    }
    assert.equal(send('Command').body!.command_type, 'UpdateProduct');
  });

  it('Snapshot: the subject id equals aggregate_id, and Nats-Msg-Id is aggregate_id:version', () => {
    const { sent, body, header } = send('Snapshot');
    const id = sent.subject.split('.').at(-1);
    assert.equal(body!.aggregate_id, id);
    assert.equal(header('Nats-Msg-Id'), `${id}:${body!.version}`);
  });

  it('sub: a SUB pattern over one domain', () => {
    const { block, parsed, body } = send('Subscribe (tail)');
    assert.equal(block.verb, 'SUB');
    assert.equal(block.subject, 'dev.domain.sales.>');
    assert.equal(parsed.tokens.at(-1)!.wildcard, '>');
    assert.equal(body, undefined);
  });

  it('req: a REQ with a timeout and a command body', () => {
    const { block, parsed, body } = send('Request');
    assert.equal(block.verb, 'REQ');
    assert.equal(block.timeoutMs, 2000);
    assert.equal(parsed.category?.name, 'command');
    assert.deepEqual(Object.keys(body!), ENVELOPES.command);
  });
});
