// Object stores on a real nats-server: streamed upload and download (digest checked, memory bounded), cancel,
// links, sealed stores, deletes, missing stores and permissions, each refusal one sentence.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Objm } from '@nats-io/obj';
import { headers } from '@nats-io/transport-node';
import {
  createObjectStore,
  deleteObject,
  deleteObjectStore,
  downloadObject,
  existingObject,
  listObjects,
  listObjectStores,
  metaSubject,
  objectInfo,
  objectStoreNow,
  readObjectText,
  sealObjectStore,
  uploadFile,
} from '../../src/nats/obj';
import { connectNats } from '../../src/nats/connection/connect';
import { useNatsServer } from '../support/natsFixture';

describe('object stores on nats-server', () => {
  const nats = useNatsServer({
    config: `
accounts {
  APP { jetstream: enabled, users: [
    { user: app, password: app },
    { user: reader, password: reader, permissions: { publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.>", "$JS.API.STREAM.LIST", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.MSG.GET.>", "$JS.API.CONSUMER.>", "$JS.FC.>"] }, subscribe: { allow: ["_INBOX.>"] } } }
  ] }
}`,
  });
  let dir: string;
  let store = '';
  let n = 0;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cim-obj-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const session = () => nats.connect({ user: 'app', pass: 'app' });

  beforeEach(async () => {
    store = `files_${++n}`;
    await createObjectStore(await session(), store, { description: 'test files' });
  });

  function fileOf(name: string, bytes: number): string {
    const file = join(dir, name);
    const fd = openSync(file, 'w');
    const block = randomBytes(1024 * 1024);
    for (let left = bytes; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(left, block.length));
    closeSync(fd);
    return file;
  }

  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const partsIn = (d: string) => readdirSync(d).filter(f => f.endsWith('.part'));

  it('uploads a multi-chunk file from disk and downloads it back byte-identical, digest checked', async () => {
    const s = await session();
    const file = fileOf('big.bin', 3 * 1024 * 1024 + 12_345);
    const seen: number[] = [];
    const up = await uploadFile(s, store, file, { onProgress: done => seen.push(done) });
    assert.equal(up.name, 'big.bin');
    assert.equal(up.size, 3 * 1024 * 1024 + 12_345);
    assert.ok(up.chunks > 20, `expected many chunks, got ${up.chunks}`);
    assert.ok(seen.length > 20 && seen.at(-1) === up.size, 'progress is told as the upload goes');
    const out = join(dir, 'big.out');
    const down = await downloadObject(s, store, 'big.bin', out);
    assert.equal(down.bytes, up.size);
    assert.equal(sha(out), sha(file));
    assert.deepEqual(partsIn(dir), []);
    const listing = await listObjects(s, store);
    assert.deepEqual(listing.objects.map(o => [o.name, o.size, o.chunks]), [['big.bin', up.size, up.chunks]]);
    assert.match(listing.objects[0]!.digest, /^SHA-256=/);
    assert.ok(listing.objects[0]!.modified instanceof Date);
    const stores = await listObjectStores(s);
    const mine = stores.find(x => x.name === store);
    assert.ok(mine && mine.bytes > up.size && !mine.sealed && mine.description === 'test files');
    // the lease left no consumer on the store's stream
    assert.equal((await (await s.jetstreamManager()).streams.info(`OBJ_${store}`)).state.consumer_count, 0);
  });

  it('streams a 64 MB file up and down with heap growth well under its size', async function () {
    this.timeout(180_000);
    const s = await session();
    const size = 64 * 1024 * 1024;
    const file = fileOf('huge.bin', size);
    const out = join(dir, 'huge.out');
    // what stays reachable, not garbage not yet collected: measured after a full collection every 8 MB
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    let next = 0;
    const sample = (done: number) => {
      if (done < next) return;
      next = done + 8 * 1024 * 1024;
      // twice: V8 sweeps freed ArrayBuffers concurrently and finishes the previous sweep at the next collection
      gc();
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    };
    await uploadFile(s, store, file, { onProgress: sample });
    const upPeak = peak;
    peak = 0;
    next = 0;
    await downloadObject(s, store, 'huge.bin', out, { onProgress: sample });
    assert.equal(sha(out), sha(file));
    assert.ok(upPeak < size / 4, `heap and buffers grew by ${Math.round(upPeak / 1e6)} MB uploading a ${size / 1e6} MB file`);
    assert.ok(peak < size / 4, `heap and buffers grew by ${Math.round(peak / 1e6)} MB downloading a ${size / 1e6} MB file`);
  });

  it('a cancelled download leaves no file, and the target is not touched', async () => {
    const s = await session();
    const file = fileOf('cancel.bin', 4 * 1024 * 1024);
    await uploadFile(s, store, file);
    const out = join(dir, 'cancel.out');
    writeFileSync(out, 'the old file');
    const ctl = new AbortController();
    await assert.rejects(downloadObject(s, store, 'cancel.bin', out, { signal: ctl.signal, onProgress: done => done > 256 * 1024 && ctl.abort() }), { name: 'AbortError' });
    assert.equal(readFileSync(out, 'utf8'), 'the old file');
    assert.deepEqual(partsIn(dir), []);
    assert.equal((await (await s.jetstreamManager()).streams.info(`OBJ_${store}`)).state.consumer_count, 0);
  });

  it('a cancelled upload stores nothing of the object', async () => {
    const s = await session();
    const file = fileOf('halfway.bin', 4 * 1024 * 1024);
    const ctl = new AbortController();
    await assert.rejects(uploadFile(s, store, file, { signal: ctl.signal, onProgress: done => done > 512 * 1024 && ctl.abort() }), { name: 'AbortError' });
    assert.equal(await existingObject(s, store, 'halfway.bin'), undefined);
    const { state } = await (await s.jetstreamManager()).streams.info(`OBJ_${store}`);
    assert.equal(state.messages, 0, 'no chunk is left behind');
  });

  it('a download whose digest does not match is said and its file removed', async () => {
    const s = await session();
    const file = fileOf('tampered.bin', 300_000);
    await uploadFile(s, store, file);
    // another writer rewrites the metadata with a wrong digest
    const info = await objectInfo(s, store, 'tampered.bin');
    const h = headers();
    h.set('Nats-Rollup', 'sub');
    const meta = { name: info.name, bucket: store, nuid: info.nuid, size: info.size, chunks: info.chunks, mtime: new Date().toISOString(), digest: `SHA-256=${Buffer.alloc(32, 7).toString('base64url')}=`, deleted: false, options: { max_chunk_size: 131072 } };
    await s.jetstream().publish(metaSubject(store, 'tampered.bin'), JSON.stringify(meta), { headers: h });
    const out = join(dir, 'tampered.out');
    await assert.rejects(downloadObject(s, store, 'tampered.bin', out), (e: Error) => {
      assert.match(e.message, new RegExp(`^"tampered\\.bin" from store ${store} does not match its digest \\(its SHA-256 is [\\w-]+, not [\\w-]+=\\): it is damaged or was replaced while being read; nothing was saved to ${out.replace(/[.]/g, '\\.')}\\.$`));
      return true;
    });
    assert.equal(existsSync(out), false);
    assert.deepEqual(partsIn(dir), []);
  });

  it('lists links as links and downloads through them; deleted objects are hidden', async () => {
    const s = await session();
    writeFileSync(join(dir, 'config.json'), '{"a":1,"b":[true]}');
    await uploadFile(s, store, join(dir, 'config.json'));
    await uploadFile(s, store, join(dir, 'config.json'), { name: 'gone.json' });
    await deleteObject(s, store, 'gone.json');
    const os = await new Objm(s.jetstream()).open(store);
    await os.link('latest', (await os.info('config.json'))!);
    const listing = await listObjects(s, store);
    assert.deepEqual(listing.objects.map(o => [o.name, o.link]), [['config.json', undefined], ['latest', { store, name: 'config.json' }]]);
    assert.equal(listing.deleted, 1);
    const opened = await readObjectText(s, store, 'latest', 1024);
    assert.deepEqual(opened.kind === 'text' && [opened.json, opened.text], [true, '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}\n']);
    const out = join(dir, 'latest.out');
    await downloadObject(s, store, 'latest', out);
    assert.equal(readFileSync(out, 'utf8'), '{"a":1,"b":[true]}');
  });

  it('opens small text, says when an object is too large or binary', async () => {
    const s = await session();
    writeFileSync(join(dir, 'notes.txt'), 'hello\nworld\n');
    await uploadFile(s, store, join(dir, 'notes.txt'));
    await uploadFile(s, store, fileOf('blob.bin', 2048));
    assert.deepEqual(await readObjectText(s, store, 'notes.txt', 1024).then(r => r.kind === 'text' && r.text), 'hello\nworld\n');
    assert.equal((await readObjectText(s, store, 'blob.bin', 1024)).kind, 'tooLarge');
    assert.equal((await readObjectText(s, store, 'blob.bin', 4096)).kind, 'binary');
  });

  it('a sealed store refuses an upload and a delete with a sentence, and still reads', async () => {
    const s = await session();
    writeFileSync(join(dir, 'keep.txt'), 'kept');
    await uploadFile(s, store, join(dir, 'keep.txt'));
    const sealed = await sealObjectStore(s, store);
    assert.equal(sealed.sealed, true);
    await assert.rejects(uploadFile(s, store, join(dir, 'keep.txt'), { name: 'more.txt' }), {
      message: `Object store ${store} is sealed, so uploading "more.txt" to store ${store} was refused: a sealed store can be read but never changed again; use another store.`,
    });
    await assert.rejects(deleteObject(s, store, 'keep.txt'), { message: new RegExp(`^Object store ${store} is sealed, so deleting object "keep\\.txt" from store ${store} was refused`) });
    await assert.rejects(sealObjectStore(s, store), { message: `Object store ${store} is already sealed: nothing to do.` });
    assert.equal((await readObjectText(s, store, 'keep.txt', 100)).kind, 'text');
  });

  it('deletes an object and a store; missing ones, bad names and unreadable files are sentences', async () => {
    const s = await session();
    writeFileSync(join(dir, 'one.txt'), '1');
    await uploadFile(s, store, join(dir, 'one.txt'));
    const now = await objectStoreNow(s, store);
    assert.equal(now.objects, 1);
    assert.equal((await deleteObject(s, store, 'one.txt')).name, 'one.txt');
    assert.deepEqual((await listObjects(s, store)).objects, []);
    await assert.rejects(deleteObject(s, store, 'one.txt'), { message: `Object store ${store} has no object "one.txt": it was deleted or renamed; refresh the explorer.` });
    await assert.rejects(uploadFile(s, store, join(dir, 'no-such-file.txt')), { message: `The file ${join(dir, 'no-such-file.txt')} cannot be read (it does not exist): choose a file you can read.` });
    await assert.rejects(downloadObject(s, store, 'nothing', join(dir, 'x')), { message: /has no object "nothing"/ });
    const nowhere = join(dir, 'no-such-folder', 'one.txt');
    await assert.rejects(downloadObject(s, store, 'one.txt', nowhere), { message: new RegExp(`has no object "one\\.txt"`) });
    writeFileSync(join(dir, 'two.txt'), '2');
    await uploadFile(s, store, join(dir, 'two.txt'));
    await assert.rejects(downloadObject(s, store, 'two.txt', nowhere), { message: `The file ${nowhere} cannot be written (its folder does not exist): choose another place to save it.` });
    await assert.rejects(createObjectStore(s, store), { message: `Object store ${store} already exists on ${nats.url}: upload into it, or choose another name.` });
    await assert.rejects(createObjectStore(s, 'bad name'), { message: '"bad name" is not a valid object store name: use only letters, digits, "-" and "_".' });
    await deleteObjectStore(s, store);
    await assert.rejects(listObjects(s, store), { message: `Object store ${store} does not exist on ${nats.url}: create it first or check the name.` });
    await assert.rejects(uploadFile(s, store, join(dir, 'one.txt')), { message: `Object store ${store} does not exist on ${nats.url}: create it first or check the name.` });
    assert.equal((await listObjectStores(s)).some(x => x.name === store), false);
  });

  it('names the missing permission when the user may not write to the store', async () => {
    writeFileSync(join(dir, 'denied.txt'), 'no');
    const reader = await connectNats({ servers: nats.url, user: 'reader', pass: 'reader', timeoutMs: 2_000 });
    nats.defer(() => reader.close());
    await assert.rejects(uploadFile(reader, store, join(dir, 'denied.txt')), (e: Error) => {
      assert.match(e.message, new RegExp(`^User reader may not publish to "\\$O\\.${store}\\.C\\.\\w+", so uploading "denied\\.txt" to store ${store} was refused: add "\\$O\\.${store}\\.>" to its publish permissions in the server config\\.$`));
      return true;
    });
    assert.equal((await listObjects(reader, store)).objects.length, 0);
  });
});

describe('object stores in a JetStream domain', () => {
  const nats = useNatsServer({ domain: 'cim', session: { jetStreamDomain: 'cim' } });

  it('creates, lists, uploads and downloads through the domain\'s API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cim-obj-domain-'));
    try {
      const s = nats.session;
      await createObjectStore(s, 'DOCS');
      const file = join(dir, 'a.bin');
      writeFileSync(file, randomBytes(400_000));
      const up = await uploadFile(s, 'DOCS', file);
      assert.deepEqual((await listObjectStores(s)).map(x => x.name), ['DOCS']);
      assert.deepEqual((await listObjects(s, 'DOCS')).objects.map(o => [o.name, o.size]), [['a.bin', up.size]]);
      await downloadObject(s, 'DOCS', 'a.bin', join(dir, 'a.out'));
      assert.ok(readFileSync(join(dir, 'a.out')).equals(readFileSync(file)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
