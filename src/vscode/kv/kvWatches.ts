// Watches of a bucket or key pattern, each in its own output channel, bounded like tails (cimNats.tail.maxLines):
// time, key, operation, revision and the value (cut). Each change also tells the explorer, so the bucket's keys
// follow. A watch ends by command, when its connection goes, or when the extension stops; the channel says so.
import * as vscode from 'vscode';
import { formatBytes } from '../../core/text/format';
import type { KvValue, KvWatch } from '../../nats/kv';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { settingsFor } from '../platform/configuration';
import { natsRuntime } from '../platform/natsRuntime';

export interface RunningKvWatch {
  id: string;
  entryId: string;
  bucket: string;
  pattern: string;
  channel: vscode.OutputChannel;
  lines: string[];
  /** Changes seen. */
  seen: number;
  watch: KvWatch;
}

const VALUE_CHARS = 200;

/** `12:00:01.250  PUT    orders.17  rev 42  {"status":"paid"}` */
export function watchLine(e: KvValue & { cut?: boolean }): string {
  const time = e.created.toISOString().slice(11, 23);
  let value = '';
  if (e.operation === 'PUT' && e.value) {
    const text = new TextDecoder().decode(e.value).replace(/\s*\n\s*/g, ' ');
    value = text.length > VALUE_CHARS || e.cut ? `${text.slice(0, VALUE_CHARS)}… (${formatBytes(e.size)})` : text;
  }
  return `${time}  ${e.operation.padEnd(5)}  ${e.key}  rev ${e.revision}${value ? `  ${value}` : ''}`;
}

export class KvWatchManager implements vscode.Disposable {
  private readonly watches = new Map<string, RunningKvWatch>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a watch starts, sees a change or ends (tests wait on it). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly pendingTree = new Map<string, NodeJS.Timeout>();

  constructor(private readonly registry: ConnectionRegistry) {
    this.disposables.push(registry.onDidChangeState(e => {
      if (e.state.kind === 'idle' || e.state.kind === 'failed') for (const w of this.list().filter(x => x.entryId === e.id)) this.stop(w, 'the connection closed');
    }));
  }

  list(): RunningKvWatch[] {
    return [...this.watches.values()];
  }

  /** Starts a watch (or shows the one already running for the same bucket and pattern). */
  async start(entryId: string, bucket: string, pattern: string, from: 'now' | 'history'): Promise<RunningKvWatch> {
    const id = `${entryId}\0${bucket}\0${pattern}`;
    const running = this.watches.get(id);
    if (running) {
      running.channel.show(true);
      return running;
    }
    const name = this.registry.entry(entryId)?.config.name ?? entryId;
    const [rt, session] = await Promise.all([natsRuntime(), this.registry.session(entryId)]);
    const channel = vscode.window.createOutputChannel(`NATS KV: ${bucket} ${pattern} (${name})`);
    const w: RunningKvWatch = { id, entryId, bucket, pattern, channel, lines: [], seen: 0, watch: undefined as unknown as KvWatch };
    try {
      w.watch = await rt.watchKeys(session, bucket, e => this.onChange(w, e), { pattern, from });
    } catch (e) {
      channel.dispose();
      throw e;
    }
    this.watches.set(id, w);
    channel.appendLine(`# watching ${pattern} in bucket ${bucket} on ${name}${from === 'history' ? ', the history the bucket keeps first' : ', from now'} (stop: CIM NATS: Stop Key-Value Watch)`);
    channel.show(true);
    void w.watch.ended.then(why => {
      if (this.watches.get(id) !== w) return;
      this.watches.delete(id);
      channel.appendLine(`# watch ended: ${why} (${w.seen} changes seen)`);
      this.changed.fire();
    });
    this.changed.fire();
    return w;
  }

  private onChange(w: RunningKvWatch, e: KvValue & { cut: boolean }): void {
    w.seen++;
    this.append(w, watchLine(e));
    // the explorer reads the bucket again, once per burst
    if (!this.pendingTree.has(w.id)) {
      this.pendingTree.set(w.id, setTimeout(() => {
        this.pendingTree.delete(w.id);
        this.registry.didChangeServer({ connectionId: w.entryId, streams: [`KV_${w.bucket}`], reason: 'key changed (watch)' });
      }, 300));
    }
    this.changed.fire();
  }

  private append(w: RunningKvWatch, line: string): void {
    const max = settingsFor()['tail.maxLines'];
    w.lines.push(line);
    if (w.lines.length > max * 1.2) {
      w.lines.splice(0, w.lines.length - max);
      w.channel.replace(`# … older lines let go (cimNats.tail.maxLines = ${max})\n${w.lines.join('\n')}\n`);
    } else {
      w.channel.appendLine(line);
    }
  }

  stop(w: RunningKvWatch, why = 'stopped'): void {
    if (this.watches.get(w.id) !== w) return;
    this.watches.delete(w.id);
    w.watch.stop();
    w.channel.appendLine(`# watch ended: ${why} (${w.seen} changes seen)`);
    this.changed.fire();
  }

  dispose(): void {
    for (const w of this.list()) {
      w.watch.stop();
      w.channel.dispose();
    }
    this.watches.clear();
    for (const t of this.pendingTree.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
