// Object-store transfers when the server goes away in the middle: how far they got is said, nothing half-written is left.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createObjectStore, downloadObject, uploadFile } from '../../src/nats/obj';
import { useNatsServer } from '../support/natsFixture';

describe('object-store transfers when the server goes away', () => {
  const nats = useNatsServer({ perTest: true });
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cim-obj-gone-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('a download cut off says how far it got and leaves no file', async () => {
    const s = await nats.connect({ timeoutMs: 2_000 });
    await createObjectStore(s, 'GONE');
    const file = join(dir, 'gone.bin');
    writeFileSync(file, randomBytes(16 * 1024 * 1024));
    await uploadFile(s, 'GONE', file);
    const out = join(dir, 'gone.out');
    let stopping: Promise<void> | undefined;
    await assert.rejects(downloadObject(s, 'GONE', 'gone.bin', out, { onProgress: done => void (done > 1024 * 1024 && (stopping ??= nats.server.stop())) }), (e: Error) => {
      assert.match(e.message, new RegExp(`^The connection to ${nats.url.replace(/[.]/g, '\\.')} was lost after [\\d.]+ MiB of 16 MiB of "gone\\.bin" had arrived: nothing was saved to ${out.replace(/[.]/g, '\\.')}; download it again once the server is back\\.$`));
      return true;
    });
    await stopping;
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter(f => f.endsWith('.part')), []);
  });

  it('an upload cut off says how far it got', async () => {
    const s = await nats.connect({ timeoutMs: 2_000 });
    await createObjectStore(s, 'GONE');
    const file = join(dir, 'up.bin');
    writeFileSync(file, randomBytes(16 * 1024 * 1024));
    let stopping: Promise<void> | undefined;
    await assert.rejects(uploadFile(s, 'GONE', file, { onProgress: done => void (done > 1024 * 1024 && (stopping ??= nats.server.stop())) }), (e: Error) => {
      assert.match(e.message, new RegExp(`^The connection to ${nats.url.replace(/[.]/g, '\\.')} was lost after [\\d.]+ MiB of 16 MiB of ${file.replace(/[.]/g, '\\.')} had been read for sending: "up\\.bin" was not stored; upload it again once the server is back\\.$`));
      return true;
    });
    await stopping;
  });
});
