// Run only by test/harness/harness.test.ts: one test must fail, the other proves the decoy check can fail.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';

describe('negative control', function () {
  it('fails on purpose', function () {
    assert.equal(1 + 1, 3, 'deliberate failure: the harness must exit non-zero');
  });

  it('sees a connection from the extension host in the NATS decoy log', async function () {
    const log = process.env.CIM_NATS_TEST_DECOY_LOG!;
    const url = new URL(process.env.CIM_NATS_TEST_DECOY_URLS!.split(',')[0]!);
    const sock = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => sock.once('data', () => resolve()).once('error', reject));
    sock.destroy();
    assert.match(fs.readFileSync(log, 'utf8'), new RegExp(`connection to ${url.port} `));
  });
});
