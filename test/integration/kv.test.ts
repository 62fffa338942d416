// Key-value buckets on a real nats-server (run on 2.9.10 and 2.15.1): keys listed without values, pattern filters,
// compare-and-set conflicts that hand back their value, create refusing a live key, delete and purge, history and
// revert, a bounded watch seeing another client's writes, buckets created, edited and deleted, fields a server lacks.
import assert from 'node:assert/strict';
import { Kvm } from '@nats-io/kv';
import {
  bucketNow,
  countKeys,
  createBucket,
  createKey,
  deleteBucket,
  deleteKey,
  editBucket,
  getValue,
  keyHistory,
  KvConflictError,
  listBuckets,
  listKeys,
  purgeKey,
  revertKey,
  updateValue,
  serverHas,
  watchKeys,
  type KvValue,
} from '../../src/nats/kv';
import type { NatsSession } from '../../src/nats/connection/connect';
import { eventually } from '../support/eventually';
import { natsServerVersion, useNatsServer } from '../support/natsFixture';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('key-value buckets on nats-server', () => {
  const nats = useNatsServer({
    config: `
accounts {
  APP { jetstream: enabled, users: [
    { user: app, password: app },
    { user: reader, password: reader, permissions: { publish: { allow: ["$JS.API.>"] }, subscribe: { allow: ["_INBOX.>"] } } }
  ] }
}`,
  });
  let session: NatsSession;
  let n = 0;
  let bucket = '';

  before(async () => {
    session = await nats.connect({ user: 'app', pass: 'app' });
  });
  beforeEach(async () => {
    bucket = `cfg_${++n}`;
    await createBucket(session, bucket, { history: 5, maxValueSize: 1024, description: 'test config' });
  });

  it('lists buckets with their figures and refuses to create one that exists', async () => {
    await createKey(session, bucket, 'a', text('1'));
    const b = (await listBuckets(session)).find(x => x.name === bucket);
    assert.ok(b);
    assert.equal(b.history, 5);
    assert.equal(b.maxValueSize, 1024);
    assert.equal(b.keys, 1);
    assert.equal(b.storage, 'file');
    assert.equal(b.description, 'test config');
    await assert.rejects(createBucket(session, bucket), /Bucket cfg_\d+ already exists .*: edit it/);
    await assert.rejects(createBucket(session, 'bad name'), /"bad name" is not a valid bucket name/);
  });

  it('lists keys without values, by pattern, deleted ones only when asked, in pages', async () => {
    for (let i = 0; i < 5; i++) await createKey(session, bucket, `orders.${i}`, text(`{"n":${i}}`));
    await createKey(session, bucket, 'customers.1', text('x'));
    await deleteKey(session, bucket, 'orders.4');
    const all = await listKeys(session, bucket);
    assert.deepEqual(all.keys.map(k => k.key), ['customers.1', 'orders.0', 'orders.1', 'orders.2', 'orders.3']);
    assert.equal(all.hiddenDeleted, 1);
    assert.equal(all.complete, true);
    assert.ok(all.keys.every(k => k.value === undefined), 'no value read');
    const o1 = all.keys.find(k => k.key === 'orders.1')!;
    assert.equal(o1.size, 7);
    assert.equal(o1.operation, 'PUT');
    assert.ok(o1.revision > 0 && o1.created.getTime() > Date.now() - 60_000);
    const orders = await listKeys(session, bucket, { pattern: 'orders.>', includeDeleted: true });
    assert.deepEqual(orders.keys.map(k => `${k.key}:${k.operation}`), ['orders.0:PUT', 'orders.1:PUT', 'orders.2:PUT', 'orders.3:PUT', 'orders.4:DEL']);
    const page = await listKeys(session, bucket, { pattern: 'orders.*', limit: 2 });
    assert.equal(page.keys.length, 2);
    assert.equal(page.complete, false);
    assert.equal(page.matching, 5);
    assert.equal((await listKeys(session, bucket, { pattern: 'nothing.>' })).keys.length, 0);
    assert.equal(await countKeys(session, bucket, 'customers.*'), 1);
    await assert.rejects(listKeys(session, bucket, { pattern: 'orders.>.x' }), /not a key pattern: \* stands alone .* > only as the last token/);
  });

  it('saves with compare-and-set, and a conflict hands back their value and writes nothing', async () => {
    const r1 = await createKey(session, bucket, 'feature', text('{"on":false}'));
    const opened = await getValue(session, bucket, 'feature');
    assert.equal(opened?.revision, r1);
    const r2 = await updateValue(session, bucket, 'feature', text('{"on":true}'), r1);
    assert.ok(r2 > r1);
    // someone else writes; our save on r2 still passes, a save on r1 conflicts
    const other = await nats.connect({ user: 'app', pass: 'app' });
    const theirs = await (await new Kvm(other.jetstream()).open(bucket)).put('feature', text('{"on":"theirs"}'));
    const e = await updateValue(session, bucket, 'feature', text('{"on":"mine"}'), r2).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof KvConflictError, String(e));
    assert.match(e.message, /feature in bucket cfg_\d+ changed since you opened revision \d+ \(it is now at revision \d+\): your edit was not saved/);
    assert.equal(e.current?.revision, theirs);
    assert.equal(str(e.current?.value), '{"on":"theirs"}');
    assert.equal(str((await getValue(session, bucket, 'feature'))?.value), '{"on":"theirs"}');
  });

  it('refuses an existing key on create, a value over the max size and a bad key, each in a sentence', async () => {
    await createKey(session, bucket, 'k', text('v'));
    await assert.rejects(createKey(session, bucket, 'k', text('w')), /k already exists in bucket cfg_\d+ \(revision \d+\): open it/);
    await assert.rejects(updateValue(session, bucket, 'k', new Uint8Array(2000), 1), /The value of k \(2000 bytes\) is over bucket cfg_\d+'s max value size \(1024 bytes, key and headers included\): store a smaller value, or raise the bucket's max value size \(Edit Bucket…\)\./);
    await assert.rejects(createKey(session, bucket, 'a b', text('v')), /"a b" is not a valid key \(space\): use letters, digits and - \/ _ = \. only/);
    await assert.rejects(createKey(session, bucket, '.a', text('v')), /not a valid key: dots separate tokens/);
    await assert.rejects(getValue(session, 'nope', 'k'), /Bucket nope does not exist .*: create it first/);
    await assert.rejects(createKey(session, 'nope', 'k', text('v')), /Bucket nope does not exist/);
    // deleted keys can be created again
    await deleteKey(session, bucket, 'k');
    assert.ok(await createKey(session, bucket, 'k', text('again')));
  });

  it('deletes with a tombstone (history kept) and purges the history away', async () => {
    await createKey(session, bucket, 'd', text('1'));
    const r2 = await updateValue(session, bucket, 'd', text('2'), (await getValue(session, bucket, 'd'))!.revision);
    await deleteKey(session, bucket, 'd', r2);
    const h = await keyHistory(session, bucket, 'd');
    assert.deepEqual(h.map(x => x.operation), ['PUT', 'PUT', 'DEL']);
    assert.deepEqual(h.map(x => x.size), [1, 1, 0]);
    assert.ok(h.every(x => x.value === undefined));
    assert.equal((await getValue(session, bucket, 'd'))?.operation, 'DEL');
    await purgeKey(session, bucket, 'd');
    const after = await keyHistory(session, bucket, 'd');
    assert.deepEqual(after.map(x => x.operation), ['PURGE']);
  });

  it('reads any revision and reverts to one with compare-and-set', async () => {
    const r1 = await createKey(session, bucket, 'r', text('one'));
    const r2 = await updateValue(session, bucket, 'r', text('two'), r1);
    assert.equal(str((await getValue(session, bucket, 'r', r1))?.value), 'one');
    const r3 = await revertKey(session, bucket, 'r', r1, r2);
    assert.equal(str((await getValue(session, bucket, 'r'))?.value), 'one');
    await assert.rejects(revertKey(session, bucket, 'r', r2, r2), KvConflictError);
    assert.equal((await getValue(session, bucket, 'r'))?.revision, r3);
  });

  it('watches a pattern from now, or with history, seeing another client, and stops', async () => {
    await createKey(session, bucket, 'w.old', text('before'));
    const seen: KvValue[] = [];
    const w = await watchKeys(session, bucket, e => seen.push(e), { pattern: 'w.>' });
    const hist: KvValue[] = [];
    const h = await watchKeys(session, bucket, e => hist.push(e), { pattern: 'w.>', from: 'history', maxValueBytes: 3 });
    const other = await nats.connect({ user: 'app', pass: 'app' });
    const kv = await new Kvm(other.jetstream()).open(bucket);
    await kv.put('w.new', text('after'));
    await kv.put('x.other', text('no'));
    await kv.delete('w.new');
    await eventually('the watch to see the put and the delete', () => seen.length >= 2 && seen);
    assert.deepEqual(seen.map(e => `${e.key}:${e.operation}`), ['w.new:PUT', 'w.new:DEL']);
    assert.equal(str(seen[0]!.value), 'after');
    await eventually('the history watch to see all three', () => hist.length >= 3 && hist);
    assert.deepEqual(hist.map(e => `${e.key}:${e.operation}`), ['w.old:PUT', 'w.new:PUT', 'w.new:DEL']);
    assert.equal(str(hist[0]!.value), 'bef', 'values cut at the bound');
    w.stop();
    h.stop();
    assert.equal(await w.ended, 'stopped');
    await h.ended;
  });

  it('edits the mutable fields, refuses the others, and deletes the bucket', async () => {
    const edited = await editBucket(session, bucket, { history: 10, ttlMs: 3_600_000, maxValueSize: 4096, description: 'changed' });
    assert.equal(edited.history, 10);
    assert.equal(edited.ttlMs, 3_600_000);
    assert.equal(edited.maxValueSize, 4096);
    assert.equal((await bucketNow(session, bucket)).description, 'changed');
    await assert.rejects(editBucket(session, bucket, { storage: 'memory' }), /storage cannot change once it exists/);
    await assert.rejects(editBucket(session, bucket, { history: 100 }), /History must be a whole number from 1 to 64/);
    await deleteBucket(session, bucket);
    await assert.rejects(bucketNow(session, bucket), /Bucket cfg_\d+ does not exist/);
    await assert.rejects(deleteBucket(session, bucket), /Bucket cfg_\d+ does not exist/);
  });

  it('takes compression and memory storage where the server has them, and names the version where not', async () => {
    const version = session.nc.info?.version ?? natsServerVersion();
    if (serverHas(version, '2.10.0')) {
      const b = await createBucket(session, `${bucket}_z`, { compression: true, storage: 'memory' });
      assert.equal(b.compression, true);
      assert.equal(b.storage, 'memory');
    } else {
      await assert.rejects(createBucket(session, `${bucket}_z`, { compression: true }), /runs nats-server 2\.9\.\d+: compression \(S2\) needs nats-server 2\.10\.0; leave it unset/);
      const b = await createBucket(session, `${bucket}_m`, { storage: 'memory' });
      assert.equal(b.storage, 'memory');
    }
    if (!serverHas(version, '2.11.0')) {
      await assert.rejects(createBucket(session, `${bucket}_t`, { markerTtlMs: 60_000 }), /delete-marker TTL needs nats-server 2\.11\.0/);
    } else {
      const t = await createBucket(session, `${bucket}_t`, { markerTtlMs: 60_000 });
      assert.equal(t.markerTtlMs, 60_000);
    }
  });

  it('names the missing permission of a user who may not write keys', async () => {
    await createKey(session, bucket, 'p', text('1'));
    const reader = await nats.connect({ user: 'reader', pass: 'reader' });
    assert.equal(str((await getValue(reader, bucket, 'p'))?.value), '1');
    await assert.rejects(updateValue(reader, bucket, 'p', text('2'), 1), /User reader may not publish to "\$KV\.cfg_\d+\.p": add it, or a pattern covering it, to the account's publish permissions/);
    assert.equal(str((await getValue(session, bucket, 'p'))?.value), '1');
  });
});
