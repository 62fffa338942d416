// A PUB to an interest stream that no consumer is interested in: the server acknowledges it and keeps nothing. The
// result says so first, as a warning, the same in the runner, the words the editor shows and `cim-nats run`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { preset } from '../../src/core/algebra/compiled';
import { describeResult, isOk, parsePlaybook, type BlockResult } from '../../src/core/playbook';
import { PlaybookRunner } from '../../src/nats/publish/playbookRunner';
import { useNatsServer } from '../support/natsFixture';
import { runCli } from '../support/cli';

const algebra = preset('cim-start');
const COMMAND = 'PUB dev.command.inventory.product.reserve\n\n{"sku": "A-1"}\n';

function expectKind<K extends BlockResult['kind']>(r: BlockResult, kind: K): Extract<BlockResult, { kind: K }> {
  assert.equal(r.kind, kind, JSON.stringify(r, (k, v: unknown) => (k === 'error' ? undefined : v)));
  return r as Extract<BlockResult, { kind: K }>;
}

describe('a publish an interest stream did not keep', function () {
  this.timeout(60_000);
  const nats = useNatsServer({ perTest: true, session: { timeoutMs: 2000 } });
  let runner: PlaybookRunner | undefined;

  beforeEach(async () => {
    const jsm = await nats.jsm();
    await jsm.streams.add({ name: 'DOMAIN_INVENTORY_COMMANDS', subjects: ['dev.command.inventory.>'], retention: RetentionPolicy.Interest, storage: StorageType.Memory });
    runner = new PlaybookRunner(nats.session, { algebra, environment: 'dev' });
  });
  afterEach(() => runner?.dispose());

  const send = (text: string) => {
    const playbook = parsePlaybook(text);
    return runner!.runBlock(playbook, playbook.blocks[0]!);
  };

  it('is "not kept", a warning that names the stream and why, before any sequence number', async () => {
    const r = expectKind(await send(COMMAND), 'not-kept');
    assert.equal(r.stream, 'DOMAIN_INVENTORY_COMMANDS');
    assert.match(r.reason, /^DOMAIN_INVENTORY_COMMANDS is an interest stream and no consumer is interested, so the server acknowledged the message \(seq 1\) and dropped it; start the consumer/);
    assert.equal(isOk(r), false);
    const words = describeResult(r);
    assert.equal(words.severity, 'warning');
    assert.match(words.line, /^not kept: DOMAIN_INVENTORY_COMMANDS is an interest stream and no consumer is interested/);
    assert.equal((await (await nats.jsm()).streams.info('DOMAIN_INVENTORY_COMMANDS')).state.messages, 0, 'the server indeed kept nothing');
  });

  it('is "stored" once a consumer is interested, even one made after the runner read the streams', async () => {
    expectKind(await send(COMMAND), 'not-kept');
    await (await nats.jsm()).consumers.add('DOMAIN_INVENTORY_COMMANDS', { durable_name: 'inventory-handler', ack_policy: AckPolicy.Explicit });
    const r = expectKind(await send(COMMAND), 'stored');
    assert.equal((await (await nats.jsm()).streams.getMessage('DOMAIN_INVENTORY_COMMANDS', { seq: r.seq }))?.subject, 'dev.command.inventory.product.reserve');
    assert.equal(describeResult(r).severity, 'info');
  });

  it('counts the sends of a repeat that were not kept, and the repeat is not ok', async () => {
    const r = expectKind(await send('PUB dev.command.inventory.product.reserve repeat=3\n\n{}\n'), 'repeated');
    assert.equal(r.summary.notKept, 3);
    assert.equal(r.summary.stored, 0);
    assert.equal(r.sent, 3);
    assert.equal(isOk(r), false);
    assert.match(describeResult(r).line, /^3 of 3 sent: 3 not kept \(no consumer of the interest stream was interested\), 0 stored/);
    assert.equal(describeResult(r).severity, 'warning');
  });

  it('cim-nats run says "not kept" and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cim-nats-notkept-'));
    try {
      writeFileSync(join(dir, 'reserve.nats'), `### Reserve\n${COMMAND}`);
      const r = await runCli(['run', 'reserve.nats'], { cwd: dir, env: { NATS_URL: nats.url, CIM_ENVIRONMENT: 'dev' } });
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /^reserve\.nats:2 Reserve: not kept: DOMAIN_INVENTORY_COMMANDS is an interest stream and no consumer is interested/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
