// The backup directory natscli's `nats stream backup` writes (jsm.go's SnapshotToDirectory): backup.json with the
// stream's config and state, and the server's snapshot bytes as they arrived, named after the archive format inside.
import { open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamConfig, StreamState } from '@nats-io/jetstream';
import { NatsUserError } from '../errors/sentences';

export const META_FILE = 'backup.json';
/** An S2-compressed tar of the stream's files: what nats-server before 2.15 sends. */
export const TAR_FILE = 'stream.tar.s2';
/** An S2-compressed `NATSARC1` archive ("Stream Backup and Restore V2"): what nats-server 2.15 and later send. */
export const ARC_FILE = 'stream.arc.s2';

export type SnapshotFormat = 'tar' | 'arc';

export const FILE_OF: Record<SnapshotFormat, string> = { tar: TAR_FILE, arc: ARC_FILE };

/** The first nats-server version that reads (and writes) the V2 archive. */
export const ARC_SERVER = { major: 2, minor: 15, text: '2.15' } as const;

export interface BackupMeta {
  config: StreamConfig;
  state: StreamState;
}

export interface BackupDirectory {
  dir: string;
  meta: BackupMeta;
  dataFile: string;
  format: SnapshotFormat;
  size: number;
}

const S2_STREAM_ID = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x53, 0x32, 0x73, 0x54, 0x77, 0x4f]); // "S2sTwO"
const SNAPPY_STREAM_ID = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]); // "sNaPpY"
const ARC_MAGIC = Buffer.from('NATSARC1');

/**
 * The archive format of snapshot bytes, read from their start: the first block's first literal holds the archive's
 * first bytes (`NATSARC1` for V2, a tar header otherwise). Undefined when the bytes are too few or not S2 at all.
 */
export function sniffFormat(bytes: Uint8Array): SnapshotFormat | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < S2_STREAM_ID.length + 4) return undefined;
  if (!b.subarray(0, 10).equals(S2_STREAM_ID) && !b.subarray(0, 10).equals(SNAPPY_STREAM_ID)) return undefined;
  let p = 10;
  // skip padding and skippable chunks until the first data chunk
  while (p + 4 <= b.length) {
    const type = b[p]!;
    const len = b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16);
    const body = p + 4;
    if (type === 0x01) return startOf(b.subarray(body + 4, body + len));
    if (type === 0x00) return startOf(firstLiteral(b.subarray(body + 4, Math.min(b.length, body + len))));
    if (type < 0x80) return undefined;
    p = body + len;
  }
  return undefined;
}

function startOf(head: Uint8Array | undefined): SnapshotFormat | undefined {
  if (!head || head.length < ARC_MAGIC.length) return undefined;
  return Buffer.from(head.buffer, head.byteOffset, ARC_MAGIC.length).equals(ARC_MAGIC) ? 'arc' : 'tar';
}

/** The literal that opens a compressed block (after its uncompressed-length varint). */
function firstLiteral(block: Uint8Array): Uint8Array | undefined {
  let p = 0;
  while (p < block.length && block[p]! & 0x80) p++;
  p++;
  const tag = block[p];
  if (tag === undefined || (tag & 0x03) !== 0) return undefined;
  let len = (tag >> 2) + 1;
  p++;
  if (tag >> 2 >= 60) {
    const extra = (tag >> 2) - 59;
    len = 0;
    for (let i = 0; i < extra; i++) len |= (block[p + i] ?? 0) << (8 * i);
    len += 1;
    p += extra;
  }
  return block.subarray(p, p + len);
}

function notABackup(dir: string, what: string): NatsUserError {
  return new NatsUserError(`${dir} is not a stream backup: ${what}. A backup folder holds ${META_FILE} and ${TAR_FILE} or ${ARC_FILE}, as \`cim-nats backup\` and \`nats stream backup\` write them.`);
}

/** Reads and checks a backup directory; every problem is one sentence naming what is missing. */
export async function readBackupDirectory(dir: string): Promise<BackupDirectory> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NatsUserError(code === 'ENOENT' ? `${dir} does not exist: give the folder a backup was written to.` : code === 'ENOTDIR' ? `${dir} is a file: give the folder a backup was written to (it holds ${META_FILE}).` : `cannot read ${dir}: ${(e as Error).message}.`, { cause: e });
  }
  const hasMeta = names.includes(META_FILE);
  const data = names.includes(ARC_FILE) ? ARC_FILE : names.includes(TAR_FILE) ? TAR_FILE : undefined;
  if (!hasMeta && !data) throw notABackup(dir, `it has neither ${META_FILE} nor a snapshot file`);
  if (!hasMeta) throw notABackup(dir, `${META_FILE} (the stream's configuration and state) is missing`);
  if (!data) throw notABackup(dir, `its snapshot file (${TAR_FILE} or ${ARC_FILE}) is missing${names.some(n => n.endsWith('.partial')) ? ': a backup that did not finish left only a .partial file' : ''}`);
  const meta = parseMeta(dir, await readFile(join(dir, META_FILE), 'utf8'));
  const dataFile = join(dir, data);
  const handle = await open(dataFile, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (size === 0) throw notABackup(dir, `${data} is empty`);
  const format = sniffFormat(head);
  if (!format) throw notABackup(dir, `${data} is not S2-compressed snapshot data`);
  return { dir, meta, dataFile, format, size };
}

function parseMeta(dir: string, text: string): BackupMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw notABackup(dir, `${META_FILE} is not JSON (${(e as Error).message})`);
  }
  const x = json as { config?: { name?: unknown; subjects?: unknown }; state?: { last_seq?: unknown } };
  if (!x || typeof x !== 'object' || !x.config || typeof x.config !== 'object') throw notABackup(dir, `${META_FILE} has no "config"`);
  if (typeof x.config.name !== 'string' || !x.config.name) throw notABackup(dir, `${META_FILE}'s config has no stream name`);
  if (!x.state || typeof x.state !== 'object' || typeof x.state.last_seq !== 'number') throw notABackup(dir, `${META_FILE} has no stream "state"`);
  return json as BackupMeta;
}

/** backup.json as jsm.go writes it: the snapshot response's config and state, indented by two. */
export function metaText(meta: BackupMeta): string {
  return JSON.stringify({ config: meta.config, state: meta.state }, null, 2);
}
