// `cim-nats export` and `cim-nats import` run as processes against a nats-server of their own: JSON lines on stdout
// or in a file with its .stream.json, a restore after a purge, the purge trap in the summary, exit 0 / 1 / 2.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JetStreamManager } from '@nats-io/jetstream';
import { parseJsonLine } from '../../../src/core/message/format';
import { duplicateWindowPassed } from '../../support/duplicateWindow';
import { useNatsServer } from '../../support/natsFixture';
import { runCli, type CliRun } from '../../support/cli';

const encoder = new TextEncoder();


const dir = mkdtempSync(join(tmpdir(), 'cim-nats-export-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], input?: string): Promise<CliRun> => runCli(args, { cwd: dir, timeoutMs: 15_000, ...(input === undefined ? {} : { input }) });

describe('cim-nats export and import', function () {
  this.timeout(60_000);
  const nats = useNatsServer({ session: true });
  let jsm: JetStreamManager;
  let n = 0;

  before(async () => {
    jsm = await nats.jsm();
  });

  const at = () => ['--server', nats.url];

  /** A stream of three events with their ids and a binary message without one. */
  async function stream(duplicateWindowNs?: number): Promise<{ name: string; prefix: string }> {
    const k = ++n;
    const name = `CLI_${k}`;
    const prefix = `cli${k}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`], ...(duplicateWindowNs ? { duplicate_window: duplicateWindowNs } : {}) });
    const js = nats.session.jetstream();
    for (let i = 1; i <= 3; i++) await js.publish(`${prefix}.domain.sales.order.placed.${i}`, encoder.encode(JSON.stringify({ event_id: `ev-${i}` })), { msgID: `ev-${i}` });
    await js.publish(`${prefix}.bin`, new Uint8Array([0, 255, 1]));
    return { name, prefix };
  }

  it('exports to stdout as JSON lines, the count on stderr (exit 0)', async () => {
    const { name, prefix } = await stream();
    const r = await cli(['export', ...at(), name]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    const messages = lines.map((l, i) => parseJsonLine(l, i + 1));
    assert.ok(messages.every(m => m.ok));
    assert.match(lines[0]!, new RegExp(`^\\{"seq":1,"time":"[^"]+","subject":"${prefix}\\.domain\\.sales\\.order\\.placed\\.1","headers":\\[\\["Nats-Msg-Id","ev-1"\\]\\],"payload":\\{"event_id":"ev-1"\\}\\}$`));
    assert.match(lines[3]!, /"payload":\{"base64":"AP8B"\}\}$/);
    assert.equal(r.err, `Exported 4 messages (#1–#4) of ${name}.\n`);

    const filtered = await cli(['export', ...at(), '--filter', `${prefix}.bin`, name]);
    assert.equal(filtered.out.trimEnd().split('\n').length, 1);
    assert.equal(filtered.err, `Exported 1 message (#4–#4) of ${name} on "${prefix}.bin".\n`);
    const from = await cli(['export', ...at(), '--from-seq', '3', name]);
    assert.deepEqual(from.out.trimEnd().split('\n').map(l => (JSON.parse(l) as { seq: number }).seq), [3, 4]);
    const since = await cli(['export', ...at(), '--since', '1h', name]);
    assert.equal(since.out.trimEnd().split('\n').length, 4);
  });

  it('exports to a file with the stream\'s configuration beside it, then restores it after a purge (exit 0)', async () => {
    const { name } = await stream(1e9);
    const file = join(dir, `${name}.jsonl`);
    const r = await cli(['export', ...at(), '-o', file, name]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, `Exported 4 messages (#1–#4) of ${name} to ${file}, and its configuration to ${join(dir, `${name}.stream.json`)}.\n`);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 4);
    const config = JSON.parse(readFileSync(join(dir, `${name}.stream.json`), 'utf8')) as { name: string; duplicate_window: number };
    assert.deepEqual([config.name, config.duplicate_window], [name, 1e9]);
    assert.ok(!readdirSync(dir).some(f => f.endsWith('.partial')));

    await jsm.streams.purge(name);
    await duplicateWindowPassed(nats.session, name, ['ev-1', 'ev-2', 'ev-3']);
    // a window longer than any run of the test from here on: the second import below meets every id again
    await jsm.streams.update(name, { duplicate_window: 120e9 });
    const restored = await cli(['import', ...at(), file]);
    assert.equal(restored.code, 0, restored.err);
    assert.equal(restored.out, `Stored 4 of 4 messages in ${name}.\n`);
    assert.equal((await jsm.streams.info(name)).state.messages, 4);

    const again = await cli(['import', ...at(), file]);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, `Stored 0 of 4 messages in ${name}.\n4 messages were already in ${name}: their message ids are within its 2m duplicate window, so they were not stored again.\n`);
  });

  it('says when a purge inside the duplicate window keeps messages out (exit 1), and stores them with --new-ids', async () => {
    const { name } = await stream();
    const file = join(dir, `${name}.jsonl`);
    assert.equal((await cli(['export', ...at(), '-o', file, name])).code, 0);
    await jsm.streams.purge(name);
    const trapped = await cli(['import', ...at(), file]);
    assert.equal(trapped.code, 1);
    assert.match(trapped.out, new RegExp(`^Stored 1 of 4 messages in ${name}\\.\n3 messages were not stored: ${name} was purged within its 2m duplicate window, which still remembers their message ids until \\d\\d:\\d\\d:\\d\\d\\. Wait until then, or import under new ids \\(--new-ids\\)\\.\n$`));
    const fresh = await cli(['import', ...at(), '--new-ids', file]);
    assert.equal(fresh.code, 0, fresh.err);
    assert.equal(fresh.out, `Stored 4 of 4 messages in ${name}.\n`);
  });

  it('creates a missing stream from the .stream.json with --create, and says to pass it otherwise', async () => {
    const { name } = await stream();
    const file = join(dir, `${name}.jsonl`);
    assert.equal((await cli(['export', ...at(), '-o', file, name])).code, 0);
    await jsm.streams.delete(name);
    const missing = await cli(['import', ...at(), file]);
    assert.equal(missing.code, 1);
    assert.equal(missing.err, `cim-nats: Stream ${name} does not exist on ${nats.url}: pass --create to create it from ${join(dir, `${name}.stream.json`)}.\n`);
    const created = await cli(['import', ...at(), '--create', file]);
    assert.equal(created.code, 0, created.err);
    assert.equal(created.out, `Created stream ${name} from its configuration.\nStored 4 of 4 messages in ${name}.\n`);
  });

  it('stops at a broken line or skips it with --skip-broken, naming it on stderr (exit 1); reads stdin with -', async () => {
    const { name, prefix } = await stream();
    const file = join(dir, 'broken.jsonl');
    const good = (i: number) => JSON.stringify({ subject: `${prefix}.late.${i}`, headers: [], payload: { i } });
    writeFileSync(file, [good(1), '{"subject": ', good(3)].join('\n') + '\n');
    const stopped = await cli(['import', ...at(), '--stream', name, file]);
    assert.equal(stopped.code, 1);
    assert.match(stopped.err, /^line 2: not JSON \(.*\)\.\n$/);
    assert.match(stopped.out, /^Stored 1 of 1 message in CLI_\d+\.\nThe import stopped at a broken line, line 2: .* fix the line, or skip broken lines \(--skip-broken\)\.\n$/);
    const skipped = await cli(['import', ...at(), '--stream', name, '--skip-broken', '--new-ids', file]);
    assert.equal(skipped.code, 1);
    assert.match(skipped.out, /^Stored 2 of 2 messages in CLI_\d+\.\n1 broken line was skipped; the first: line 2: /);

    const piped = await cli(['import', ...at(), '--new-ids', '-'], `${good(7)}\n${good(8)}\n`);
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.out, `Stored 2 of 2 messages in ${name}.\n`);
  });

  it('exits 2 on usage errors and 1 with one sentence when the stream or the file is not there', async () => {
    for (const [args, message] of [
      [['export', ...at()], 'export needs a STREAM'],
      [['export', ...at(), '--from-seq', 'x', 'S'], '--from-seq x: give a sequence number from 1'],
      [['export', ...at(), '--from-seq', '2', '--since', '1h', 'S'], '--from-seq and --since are two starts: give one'],
      [['export', ...at(), '--since', 'yesterday', 'S'], /^--since yesterday: "yesterday" is not a time/],
      [['import', ...at()], 'import needs a FILE.jsonl (- for stdin)'],
      [['import', ...at(), '--bogus', 'f.jsonl'], 'unknown option --bogus'],
    ] as const) {
      const r = await cli([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      if (typeof message === 'string') assert.equal(r.err, `cim-nats: ${message} (see cim-nats --help)\n`);
      else assert.match(r.err.replace(/^cim-nats: /, ''), message);
    }
    const none = await cli(['export', ...at(), '-o', join(dir, 'none.jsonl'), 'NO_SUCH']);
    assert.equal(none.code, 1);
    assert.equal(none.err, `cim-nats: Stream NO_SUCH does not exist on ${nats.url}: create it first or check the name. ${join(dir, 'none.jsonl')} was not written.\n`);
    assert.ok(!existsSync(join(dir, 'none.jsonl')) && !existsSync(join(dir, 'none.jsonl.partial')));
    const nofile = await cli(['import', ...at(), join(dir, 'nothing.jsonl')]);
    assert.equal(nofile.code, 1);
    assert.equal(nofile.err, `cim-nats: cannot read ${join(dir, 'nothing.jsonl')}: no such file.\n`);
  });
});
