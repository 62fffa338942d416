// Bucket commands: create (a flow of inputs with defaults; fields the server lacks are named with the version they
// need), edit the mutable fields (current values filled in, only changes sent), delete (the numbers read now; the
// name typed on a protected connection).
import * as vscode from 'vscode';
import { bucketNameProblem } from '../../core/kv/valueText';
import { parseDuration, parseSize } from '../../core/kv/units';
import { formatBytes, formatCount } from '../../core/text/format';
import type { BucketSettings, BucketSummary } from '../../nats/kv';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { assertWritable } from '../explorer/streamActions';
import { formatMs } from '../explorer/items/kvItems';
import { COMMANDS } from '../platform/commandIds';
import { registerCommand } from '../platform/commands';
import { natsRuntime } from '../platform/natsRuntime';
import { bucketTarget, connectionOf } from './kvPick';
import { confirmDestructive } from '../platform/confirm';

/** One input; `parse` turns the text into the value or a sentence. Undefined when the user cancels. */
async function ask<T>(title: string, prompt: string, value: string, parse: (v: string) => T | string): Promise<T | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: v => {
      const r = parse(v);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const r = parse(typed);
  return typeof r === 'string' ? undefined : r;
}

const wholeIn = (min: number, max: number, what: string) => (v: string): number | string => {
  const n = Number(v.trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : `${what} must be a whole number from ${min} to ${max}.`;
};

const sizeText = (n: number) => (n < 0 ? '' : String(n));

/** The settings flow; `current` fills in an edit, and fields an edit cannot change are not asked. */
async function askSettings(title: string, version: string | undefined, current?: BucketSummary): Promise<BucketSettings | undefined> {
  const rt = await natsRuntime();
  const out: BucketSettings = {};
  const description = await ask(title, 'Description (optional)', current?.description ?? '', v => v);
  if (description === undefined) return undefined;
  if (description || current?.description) out.description = description;
  const history = await ask(title, `History: revisions kept per key (1–${rt.MAX_HISTORY})`, String(current?.history ?? 1), wholeIn(1, rt.MAX_HISTORY, 'History'));
  if (history === undefined) return undefined;
  out.history = history;
  const ttl = await ask(title, 'TTL: how long a value lives (90s, 5m, 1h, 7d; 0 = for ever)', current ? formatMs(current.ttlMs).replace('none', '0').replace('min', 'm') : '0', parseDuration);
  if (ttl === undefined) return undefined;
  out.ttlMs = ttl;
  const maxValue = await ask(title, 'Max value size (1024, 64KiB, 1MiB; empty = the server\'s max payload)', current ? sizeText(current.maxValueSize) : '', parseSize);
  if (maxValue === undefined) return undefined;
  out.maxValueSize = maxValue;
  const maxBytes = await ask(title, 'Max bytes of the whole bucket (empty = no limit)', current ? sizeText(current.maxBytes) : '', parseSize);
  if (maxBytes === undefined) return undefined;
  out.maxBytes = maxBytes;
  if (!current) {
    const storage = await vscode.window.showQuickPick([{ label: 'file', description: 'kept on disk (survives a restart)' }, { label: 'memory', description: 'faster, lost when the server restarts' }], { title: `${title}: storage (cannot change later)`, ignoreFocusOut: true });
    if (!storage) return undefined;
    out.storage = storage.label as 'file' | 'memory';
  }
  const replicas = await vscode.window.showQuickPick(['1', '3', '5'].map(r => ({ label: r, description: r === String(current?.replicas ?? 1) ? 'current' : r === '1' ? 'one server' : 'a cluster of at least as many servers' })), { title: `${title}: replicas`, ignoreFocusOut: true });
  if (!replicas) return undefined;
  out.replicas = Number(replicas.label);
  if (rt.serverHas(version, rt.BUCKET_FIELDS.compression.since)) {
    const compression = await vscode.window.showQuickPick([{ label: 'No compression', on: false }, { label: 'S2 compression', on: true }], { title: `${title}: compression`, ignoreFocusOut: true });
    if (!compression) return undefined;
    if (compression.on || current?.compression) out.compression = compression.on;
  }
  return out;
}

/** Only what differs from the bucket as it is. */
function changes(before: BucketSummary, wanted: BucketSettings): BucketSettings {
  const out: BucketSettings = {};
  if (wanted.description !== undefined && wanted.description !== (before.description ?? '')) out.description = wanted.description;
  if (wanted.history !== undefined && wanted.history !== before.history) out.history = wanted.history;
  if (wanted.ttlMs !== undefined && wanted.ttlMs !== before.ttlMs) out.ttlMs = wanted.ttlMs;
  if (wanted.maxValueSize !== undefined && wanted.maxValueSize !== before.maxValueSize) out.maxValueSize = wanted.maxValueSize;
  if (wanted.maxBytes !== undefined && wanted.maxBytes !== before.maxBytes) out.maxBytes = wanted.maxBytes;
  if (wanted.replicas !== undefined && wanted.replicas !== before.replicas) out.replicas = wanted.replicas;
  if (wanted.compression !== undefined && wanted.compression !== before.compression) out.compression = wanted.compression;
  return out;
}

export function registerBucketCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const changed = (entryId: string, bucket: string, reason: string) => registry.didChangeServer({ connectionId: entryId, streams: [`KV_${bucket}`], reason });

  // (node, { name, settings }): scripted use skips the inputs
  registerCommand(context, COMMANDS.kvCreateBucket, async (arg?: unknown, args: { name?: string; settings?: BucketSettings } = {}) => {
    const entry = await connectionOf(registry, arg, 'Create a bucket on which connection?');
    if (!entry) return undefined;
    assertWritable(entry, 'creating a key-value bucket');
    const [rt, s] = await Promise.all([natsRuntime(), registry.session(entry.id)]);
    const version = s.nc.info?.version;
    const name = args.name ?? await vscode.window.showInputBox({ title: 'New key-value bucket', prompt: 'Bucket name (letters, digits, - and _)', ignoreFocusOut: true, validateInput: v => bucketNameProblem(v.trim()) });
    if (!name) return undefined;
    const settings = args.settings ?? await askSettings(`New bucket ${name}`, version, undefined);
    if (!settings) return undefined;
    const bucket = await rt.createBucket(s, name.trim(), settings);
    registry.didChangeServer({ connectionId: entry.id, reason: 'bucket created' });
    void vscode.window.showInformationMessage(`Created bucket ${bucket.name} on ${entry.config.name}: history ${bucket.history}, TTL ${formatMs(bucket.ttlMs)}, ${bucket.storage}, R${bucket.replicas}.`);
    return bucket;
  });

  registerCommand(context, COMMANDS.kvEditBucket, async (arg?: unknown, args: { settings?: BucketSettings } = {}) => {
    const t = await bucketTarget(registry, arg, 'Edit which bucket?');
    if (!t) return undefined;
    assertWritable(t.entry, `editing bucket ${t.bucket}`);
    const [rt, s] = await Promise.all([natsRuntime(), registry.session(t.entry.id)]);
    const before = await rt.bucketNow(s, t.bucket);
    const wanted = args.settings ?? await askSettings(`Edit bucket ${t.bucket}`, s.nc.info?.version, before);
    if (!wanted) return undefined;
    const diff = args.settings ?? changes(before, wanted);
    if (Object.keys(diff).length === 0) {
      void vscode.window.showInformationMessage(`Bucket ${t.bucket} is unchanged.`);
      return before;
    }
    if (diff.history !== undefined && diff.history < before.history) {
      const q = `Keep ${diff.history} revisions per key in bucket ${t.bucket} instead of ${before.history}? Older revisions beyond ${diff.history} are removed as keys change.`;
      if (!(await confirmDestructive(t.entry, q, 'Change', t.bucket))) return undefined;
    }
    const after = await rt.editBucket(s, t.bucket, diff);
    changed(t.entry.id, t.bucket, 'bucket edited');
    void vscode.window.showInformationMessage(`Bucket ${t.bucket} now keeps ${after.history} revisions per key, TTL ${formatMs(after.ttlMs)}, max value ${after.maxValueSize < 0 ? 'the server\'s max payload' : formatBytes(after.maxValueSize)}, R${after.replicas}.`);
    return after;
  });

  registerCommand(context, COMMANDS.kvDeleteBucket, async (arg?: unknown) => {
    const t = await bucketTarget(registry, arg, 'Delete which bucket?');
    if (!t) return false;
    assertWritable(t.entry, `deleting bucket ${t.bucket}`);
    const [rt, s] = await Promise.all([natsRuntime(), registry.session(t.entry.id)]);
    const now = await rt.bucketNow(s, t.bucket);
    const question = `Delete bucket ${t.bucket} on ${t.entry.config.name}? Its ${formatCount(now.keys)} keys (${formatCount(now.values)} revisions, ${formatBytes(now.bytes)}) are lost.`;
    if (!(await confirmDestructive(t.entry, question, 'Delete Bucket', t.bucket))) return false;
    await rt.deleteBucket(s, t.bucket);
    registry.didChangeServer({ connectionId: t.entry.id, reason: 'bucket deleted' });
    void vscode.window.showInformationMessage(`Deleted bucket ${t.bucket} (${formatCount(now.keys)} keys).`);
    return true;
  });
}
