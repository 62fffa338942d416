// The rules a block is run by, as the lens and the runner both ask them: one decision on "this block has errors",
// a lens that sends only the block it was drawn for, and a result said once, outcome first.
import assert from 'node:assert/strict';
import { preset } from '../../../src/core/algebra/compiled';
import { blockRefOf, describeResult, findBlock, parsePlaybook, prepareBlock, type BlockResult } from '../../../src/core/playbook';
import { builtins } from './helpers';

const cim = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const TEXT = `### Safe\nPUB dev.domain.sales.order.created.${ID}\n\n{}\n\n### Production\nPUB prod.domain.sales.order.created.${ID}\n\n{}\n`;

describe('playbook run rules', () => {
  describe('prepareBlock: the one answer to "can this block be sent"', () => {
    it('refuses a subject the algebra refuses, although the parse found nothing', () => {
      const playbook = parsePlaybook('PUB dev.domain.Sales.order.created.{{uuid}}\n\n{}\n');
      assert.deepEqual(playbook.problems.filter(p => p.severity === 'error'), []);
      const r = prepareBlock(playbook, playbook.blocks[0]!, cim, builtins());
      assert.ok('kind' in r && r.kind === 'invalid');
      assert.match(r.reason, /^"dev\.domain\.Sales\.order\.created\.[0-9a-f-]+" is not a valid subject/);
    });

    it('refuses a variable no definition gives, and resolves a good block with its event id as Nats-Msg-Id', () => {
      const bad = parsePlaybook('PUB dev.domain.sales.order.created.{{nope}}\n\n{}\n');
      const r = prepareBlock(bad, bad.blocks[0]!, cim, builtins());
      assert.ok('kind' in r);
      assert.match(r.reason, /nope/);
      const good = parsePlaybook(TEXT);
      const sent = prepareBlock(good, good.blocks[0]!, cim, builtins());
      assert.ok(!('kind' in sent));
      assert.equal(sent.msgID, ID);
    });
  });

  describe('a lens carries its block', () => {
    it('finds the block while the document is unchanged', () => {
      const playbook = parsePlaybook(TEXT);
      const ref = blockRefOf(TEXT, playbook, 0);
      assert.equal(findBlock(TEXT, playbook, ref), playbook.blocks[0]);
    });

    it('refuses, naming the block, when a line above it was deleted and another block now sits at its index', () => {
      const playbook = parsePlaybook(TEXT);
      const ref = blockRefOf(TEXT, playbook, 1);
      const edited = TEXT.replace('### Safe\nPUB dev.domain.sales.order.created.', '### Safe\nPUB dev.domain.sales.order.shipped.').slice(TEXT.indexOf('### Production'));
      const now = parsePlaybook(edited);
      assert.equal(now.blocks.length, 1);
      const found = findBlock(edited, now, ref);
      assert.equal(typeof found, 'string');
      assert.match(found as string, /^"Production" changed after its lens was drawn \(the text above it or in it was edited\), so nothing was sent/);
    });

    it('refuses when the text above the block grew, although the block itself is the same', () => {
      const playbook = parsePlaybook(TEXT);
      const ref = blockRefOf(TEXT, playbook, 1);
      const edited = TEXT.replace('\n\n{}\n\n### Production', '\n\n{"a": 1}\n\n### Production');
      assert.equal(typeof findBlock(edited, parsePlaybook(edited), ref), 'string');
    });
  });

  describe('describeResult: what happened first', () => {
    const words = (r: BlockResult) => describeResult(r);

    it('says "not kept" first, as a warning', () => {
      const w = words({ kind: 'not-kept', subject: 's', stream: 'DOMAIN_INVENTORY_COMMANDS', seq: 1, reason: 'DOMAIN_INVENTORY_COMMANDS is an interest stream and no consumer is interested' });
      assert.equal(w.severity, 'warning');
      assert.match(w.line, /^not kept: DOMAIN_INVENTORY_COMMANDS is an interest stream/);
    });

    it('gives a stored message its stream and sequence as information, a failure as an error, a changed block as a warning', () => {
      assert.deepEqual(words({ kind: 'stored', subject: 's', stream: 'S', seq: 3, duplicate: false, msgID: ID }), { severity: 'info', line: `stored in S, seq 3 (Nats-Msg-Id ${ID})`, details: [] });
      assert.equal(words({ kind: 'failed', reason: 'No.' }).severity, 'error');
      assert.equal(words({ kind: 'changed', reason: 'x changed' }).line, 'not sent: x changed');
      assert.equal(words({ kind: 'changed', reason: 'x changed' }).severity, 'warning');
    });

    it('adds the CLI\'s hint to a declined send, and puts a reply\'s headers and payload in indented lines', () => {
      assert.equal(describeResult({ kind: 'declined', subject: 's', reason: 'Not sent.' }, { declinedHint: 'Pass --yes.' }).line, 'Not sent. Pass --yes.');
      const reply = words({ kind: 'reply', subject: 's', headers: { A: ['1'] }, data: '{"ok":true}', ms: 4 });
      assert.deepEqual(reply, { severity: 'info', line: 'reply in 4 ms', details: ['  A: 1', '  {"ok":true}'] });
    });
  });
});
