// A key's value as a document (`cimnats-kv:/<bucket>/<key>?c=<connection>`, `&rev=N` for a past revision, read-only):
// JSON pretty-printed, binary as hex, large values cut with the size said. Saving writes a compare-and-set on the
// revision that was opened; when someone else changed the key meanwhile nothing is written, the user is told, and the
// diff editor opens between theirs and theirs; the next save then goes on their revision, deliberately.
import * as vscode from 'vscode';
import { valueText, savedValue, type ValueText } from '../../core/kv/valueText';
import type { KvValue } from '../../nats/kv';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import { log } from '../platform/log';

export const KV_SCHEME = 'cimnats-kv';
/** Values longer than this show cut (and read-only). */
export const MAX_SHOWN_BYTES = 1024 * 1024;

export interface KvDocRef {
  entryId: string;
  bucket: string;
  key: string;
  /** A past revision (read-only); none: the key's latest. */
  revision?: number;
}

export function kvUri(ref: KvDocRef): vscode.Uri {
  const query = new URLSearchParams({ c: ref.entryId, ...(ref.revision ? { rev: String(ref.revision) } : {}) }).toString();
  return vscode.Uri.from({ scheme: KV_SCHEME, path: `/${ref.bucket}/${ref.key}`, query });
}

export function kvRef(uri: vscode.Uri): KvDocRef {
  const q = new URLSearchParams(uri.query);
  const [, bucket = '', ...rest] = uri.path.split('/');
  const rev = Number(q.get('rev') ?? 0);
  return { entryId: q.get('c') ?? '', bucket, key: rest.join('/'), ...(rev > 0 ? { revision: rev } : {}) };
}

interface Opened {
  /** The revision a save must still find (the one read, or theirs after a conflict was shown). */
  revision: number;
  created: Date;
  shown: ValueText;
  original: Uint8Array;
  /** When the last save was written (the document's mtime). */
  mtime: number;
}

export class KvFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly opened = new Map<string, Opened>();

  constructor(
    private readonly registry: ConnectionRegistry,
    /** Tells the explorer a bucket changed. */
    private readonly didWrite: (ref: KvDocRef) => void,
  ) {}

  /** How a document's value showed (json, text, binary), once read. */
  shownAs(uri: vscode.Uri): ValueText | undefined {
    return this.opened.get(uri.toString())?.shown;
  }

  /** The revision a save of this document must find. */
  revisionOf(uri: vscode.Uri): number | undefined {
    return this.opened.get(uri.toString())?.revision;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const held = this.opened.get(uri.toString()) ?? (await this.read(uri));
    const readonly = !!kvRef(uri).revision || !held.shown.editable || this.registry.entry(kvRef(uri).entryId)?.config.readOnly;
    return {
      type: vscode.FileType.File,
      ctime: held.created.getTime(),
      mtime: held.mtime,
      size: Buffer.byteLength(held.shown.text),
      ...(readonly ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return Buffer.from((await this.read(uri)).shown.text, 'utf8');
  }

  private async read(uri: vscode.Uri): Promise<Opened> {
    const ref = kvRef(uri);
    const [rt, session] = await Promise.all([natsRuntime(), this.registry.session(ref.entryId)]);
    const v = await rt.getValue(session, ref.bucket, ref.key, ref.revision);
    if (!v || v.key !== ref.key) throw vscode.FileSystemError.FileNotFound(`${ref.key}${ref.revision ? ` revision ${ref.revision}` : ''} is not in bucket ${ref.bucket}`);
    if (v.operation !== 'PUT' && !ref.revision) {
      throw vscode.FileSystemError.FileNotFound(`${ref.key} in bucket ${ref.bucket} was ${v.operation === 'DEL' ? 'deleted' : 'purged'} at revision ${v.revision}`);
    }
    const value = v.value ?? new Uint8Array();
    const opened: Opened = { revision: v.revision, created: v.created, shown: valueText(value, MAX_SHOWN_BYTES), original: value, mtime: v.created.getTime() };
    // a past revision is its own document; only the latest one's revision guards saves
    this.opened.set(uri.toString(), opened);
    return opened;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const ref = kvRef(uri);
    if (ref.revision) throw vscode.FileSystemError.NoPermissions(`Revision ${ref.revision} of ${ref.key} is a past revision and read-only: use Revert to put it back.`);
    const entry = this.registry.entry(ref.entryId);
    if (entry?.config.readOnly) throw vscode.FileSystemError.NoPermissions(`${entry.config.name} is a read-only connection: saving ${ref.key} is not allowed through it.`);
    const held = this.opened.get(uri.toString()) ?? (await this.read(uri));
    const saved = savedValue(held.shown, Buffer.from(content).toString('utf8'), held.original);
    if (!saved.ok) throw vscode.FileSystemError.NoPermissions(saved.problem);
    const [rt, session] = await Promise.all([natsRuntime(), this.registry.session(ref.entryId)]);
    let revision: number;
    try {
      revision = await rt.updateValue(session, ref.bucket, ref.key, saved.bytes, held.revision);
    } catch (e) {
      // VS Code shows the sentence with the failed save; the log keeps it (and its cause) for Show Log
      log().error(`kv: saving ${ref.key} in bucket ${ref.bucket} was refused:`, e instanceof Error ? (e.stack ?? e.message) : e);
      if (e instanceof rt.KvConflictError) {
        this.conflict(uri, ref, held, e.current);
        throw vscode.FileSystemError.Unavailable(`${e.message}`);
      }
      throw e;
    }
    log().info(`kv: saved ${ref.key} in bucket ${ref.bucket} as revision ${revision} (was ${held.revision})`);
    const now = Date.now();
    this.opened.set(uri.toString(), { revision, created: new Date(now), shown: valueText(saved.bytes, MAX_SHOWN_BYTES), original: saved.bytes, mtime: now });
    this.didWrite(ref);
  }

  /** Their revision becomes the one the next save must find (the user has seen it), and the diff opens. */
  private conflict(uri: vscode.Uri, ref: KvDocRef, held: Opened, theirs: KvValue | null): void {
    if (theirs) held.revision = theirs.revision;
    else held.revision = 0;
    const left = theirs && theirs.operation === 'PUT' ? kvUri({ ...ref, revision: theirs.revision }) : undefined;
    if (!left) return;
    void vscode.commands.executeCommand('vscode.diff', left, uri, `${ref.key}: theirs (revision ${theirs!.revision}) ↔ yours`, { preview: false });
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Buckets hold keys, not folders.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete a key from the JetStream explorer (Delete Key…).');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Keys cannot be renamed: create the new key and delete the old one.');
  }

  /** Forgets a closed document's revision. */
  forget(uri: vscode.Uri): void {
    this.opened.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Opens a key's value (or one revision) in an editor, as JSON where it is JSON. */
export async function openKvDocument(fs: KvFileSystem, ref: KvDocRef, options: vscode.TextDocumentShowOptions = {}): Promise<vscode.TextEditor> {
  const uri = kvUri(ref);
  let doc = await vscode.workspace.openTextDocument(uri);
  const shown = fs.shownAs(uri);
  const language = shown?.kind === 'json' ? 'json' : 'plaintext';
  if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
  return vscode.window.showTextDocument(doc, { preview: false, ...options });
}
