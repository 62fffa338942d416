// Tails: one output channel per connection and pattern (a tail started again reuses it), bounded in lines, counted in
// the status bar, stopped by command, from the status bar, or when their connection goes; each says why it stopped.
// A stopped tail's channel stays readable; only the newest KEPT_STOPPED_CHANNELS of them are kept.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ViewedMessage } from '../../core/message/types';
import type { TailFrom, TailSession } from '../../nats/tail/tail';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import { log } from '../platform/log';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import { COMMANDS } from '../platform/commandIds';

export interface RunningTail {
  id: number;
  entryId: string;
  pattern: string;
  channel: vscode.OutputChannel;
  session?: TailSession;
  /** The lines the channel shows, so it can be cut back to cimNats.tail.maxLines. */
  lines: string[];
  /** Every line appended so far (tests read what a person sees in the channel). */
  appended: number;
  /** Its place in the connection's scope (stops it when the connection goes). */
  scope?: vscode.Disposable;
  /** The last messages the channel showed, oldest first, at most RECENT_MESSAGES (for "copy as a PUB block"). */
  recent: ViewedMessage[];
}

/** Messages a tail keeps for "Copy a Tail Message as .nats PUB Block…". */
export const RECENT_MESSAGES = 20;
/** A kept payload larger than this is let go: its block then says it was not read whole. */
const RECENT_PAYLOAD_BYTES = 1024 * 1024;

export const STOP_TAIL = COMMANDS.tailStop;

/** Channels of stopped tails kept for reading; beyond this the least recently used one is disposed. */
export const KEPT_STOPPED_CHANNELS = 5;

interface TailChannel {
  channel: vscode.OutputChannel;
  /** The tail writing to it, if one runs. */
  running?: RunningTail;
}

export class TailManager implements vscode.Disposable {
  private readonly tails = new Map<number, RunningTail>();
  /** By connection and pattern, least recently used first. */
  private readonly channelMap = new Map<string, TailChannel>();
  /** Tails being started, by connection and pattern: the same one asked for meanwhile is this one. */
  private readonly starting = new Map<string, Promise<RunningTail>>();
  private nextId = 1;
  private readonly item = vscode.window.createStatusBarItem('cimNats.tails', vscode.StatusBarAlignment.Left, 49);
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.item, this.changed];

  constructor(private readonly registry: ConnectionRegistry, private readonly algebra: AlgebraService, private readonly domains: DomainService) {
    this.item.name = 'CIM NATS tails';
    this.item.command = STOP_TAIL;
    this.update();
  }

  list(): RunningTail[] {
    return [...this.tails.values()];
  }

  /** The tail channels that exist, least recently used first (what the Output panel's list offers). */
  channels(): { name: string; running: boolean }[] {
    return [...this.channelMap.values()].map(c => ({ name: c.channel.name, running: !!c.running }));
  }

  /**
   * Starts a tail of `pattern` in its channel. The same pattern already tailed live on the connection is not started
   * twice: its channel is shown (a start from the past restarts it there).
   */
  async start(entryId: string, pattern: string, from?: TailFrom): Promise<RunningTail> {
    const entry = this.registry.entry(entryId);
    if (!entry) throw new Error('That connection no longer exists: pick another one.');
    const key = `${entryId}\0${pattern}`;
    const same = this.channelMap.get(key)?.running;
    if (same && !from) {
      same.channel.show(true);
      return same;
    }
    const starting = this.starting.get(key);
    if (starting && !from) return starting;
    const started = (async () => {
      if (same) await this.stop(same, `started again from ${describeFrom(from!)}`);
      return this.startIn(key, entryId, pattern, from);
    })();
    this.starting.set(key, started);
    try {
      return await started;
    } finally {
      if (this.starting.get(key) === started) this.starting.delete(key);
    }
  }

  private async startIn(key: string, entryId: string, pattern: string, from: TailFrom | undefined): Promise<RunningTail> {
    const entry = this.registry.entry(entryId);
    if (!entry) throw new Error('That connection no longer exists: pick another one.');
    const rt = await natsRuntime();
    // the shared connection first: it asks for a missing secret once and shows the state; the tail has its own
    await this.registry.session(entryId);
    const connect = await this.registry.connectOptions(entryId, `tail of ${pattern}`);
    const settings = settingsFor();
    const { algebra } = await this.algebra.algebraFor();
    const definitions = settings['tail.envelopeWarnings'] ? await this.domains.all() : [];
    const tail: RunningTail = { id: this.nextId++, entryId, pattern, channel: this.channelFor(key, pattern, entry.config.name), lines: [], appended: 0, recent: [] };
    this.channelMap.get(key)!.running = tail;
    const append = (lines: string[]) => this.append(tail, lines, settings['tail.maxLines']);
    append([`# Tailing ${pattern} on ${entry.config.name}${from ? ` from ${describeFrom(from)}, then live` : ' (live)'} — CIM NATS: Stop Tail ends it.`]);
    tail.channel.show(true);
    this.tails.set(tail.id, tail);
    // a tail lives as long as its connection's session: the connection's scope stops it
    tail.scope = this.registry.addToScope(entryId, { dispose: () => void this.stop(tail, `the connection ${entry.config.name} was closed`) });
    try {
      // in a worker thread: a firehose is parsed and formatted there, the extension host gets batches
      tail.session = await rt.startTailInWorker(connect, {
        pattern,
        ...(from ? { from } : {}),
        format: { showHeaders: settings['tail.showHeaders'], maxPayloadBytes: settings['tail.maxPayloadBytes'] },
      }, {
        workerFile: path.join(__dirname, 'tailWorker.js'),
        ...(settings['tail.envelopeWarnings'] ? { envelopes: { algebra: algebra.spec, definitions } } : {}),
        keepMessages: RECENT_MESSAGES,
        keepPayloadBytes: RECENT_PAYLOAD_BYTES,
        onBatch: lines => append(lines),
        onMessage: m => remember(tail, m),
        onStatus: sentence => append([`# ${sentence}`]),
      });
    } catch (e) {
      this.tails.delete(tail.id);
      append([`# The tail could not start: ${e instanceof Error ? e.message : String(e)}`]);
      this.ended(tail);
      this.update();
      throw e;
    }
    if (!this.tails.has(tail.id)) {
      // stopped (by the user, or with its connection) while it was starting: it must not run on unseen
      await tail.session.stop().catch(() => undefined);
      throw new Error(`The tail of ${pattern} was stopped while it started.`);
    }
    void tail.session.closed.then(why => {
      if (this.tails.delete(tail.id)) {
        append([`# The tail stopped: ${why}`]);
        this.ended(tail);
        this.update();
      }
    });
    this.update();
    return tail;
  }

  async stop(tail: RunningTail, why = 'stopped by you'): Promise<void> {
    if (!this.tails.delete(tail.id)) return;
    const scope = tail.scope;
    tail.scope = undefined;
    scope?.dispose();
    await tail.session?.stop().catch(e => log().warn(`stopping the tail of ${tail.pattern}: ${e instanceof Error ? e.message : String(e)}`));
    const stats = tail.session?.stats();
    this.append(tail, [`# The tail stopped (${why})${stats ? `: ${stats.received} received, ${stats.shown} shown, ${stats.skipped} skipped` : ''}.`], Number.MAX_SAFE_INTEGER);
    this.ended(tail);
    this.update();
  }

  /** The channel of a connection's pattern: the one it had (now the most recently used), or a new one. */
  private channelFor(key: string, pattern: string, connection: string): vscode.OutputChannel {
    const had = this.channelMap.get(key);
    this.channelMap.delete(key);
    // the same pattern on another connection: the name says which
    const taken = [...this.channelMap.values()].some(c => c.channel.name === `NATS: ${pattern}`);
    const channel = had?.channel ?? vscode.window.createOutputChannel(taken ? `NATS: ${pattern} (${connection})` : `NATS: ${pattern}`);
    this.channelMap.set(key, { channel });
    return channel;
  }

  /** A tail ended: its channel is kept for reading (the oldest stopped ones beyond the bound go); the tree re-reads. */
  private ended(tail: RunningTail): void {
    const mine = [...this.channelMap].find(([, c]) => c.running === tail);
    if (mine) {
      delete mine[1].running;
      // the channel just written to is the last to go
      this.channelMap.delete(mine[0]);
      this.channelMap.set(mine[0], mine[1]);
    }
    const stopped = [...this.channelMap].filter(([, c]) => !c.running);
    for (const [key, c] of stopped.slice(0, Math.max(0, stopped.length - KEPT_STOPPED_CHANNELS))) {
      this.channelMap.delete(key);
      c.channel.dispose();
    }
    const stream = tail.session?.stream;
    this.registry.didChangeServer({ connectionId: tail.entryId, ...(stream ? { streams: [stream] } : {}), reason: 'tail stopped' });
  }

  async stopAll(why?: string): Promise<number> {
    const all = this.list();
    await Promise.all(all.map(t => this.stop(t, why)));
    return all.length;
  }

  /** Appends to the channel; beyond `max` lines the channel is cut back to its newest lines (bounded memory). */
  private append(tail: RunningTail, lines: string[], max: number): void {
    if (lines.length === 0) return;
    tail.appended += lines.length;
    tail.lines.push(...lines);
    if (tail.lines.length > max * 1.2) {
      tail.lines.splice(0, tail.lines.length - max);
      tail.channel.replace(`# … older lines let go (cimNats.tail.maxLines = ${max})\n${tail.lines.join('\n')}\n`);
    } else {
      tail.channel.append(`${lines.join('\n')}\n`);
    }
    this.changed.fire();
  }

  private update(): void {
    const n = this.tails.size;
    if (n === 0) this.item.hide();
    else {
      this.item.text = `$(pulse) ${n} tail${n === 1 ? '' : 's'}`;
      this.item.tooltip = `${this.list().map(t => t.pattern).join('\n')}\nClick to stop one or all`;
      this.item.show();
    }
  }

  dispose(): void {
    void this.stopAll('VS Code is closing').finally(() => {
      for (const c of this.channelMap.values()) c.channel.dispose();
      this.channelMap.clear();
    });
    for (const d of this.disposables) d.dispose();
  }
}

/** Keeps the message in the tail's bounded ring; a large payload is not kept (its size is). */
function remember(tail: RunningTail, m: ViewedMessage): void {
  // the worker sent a copy of its own
  const data = m.data.length > RECENT_PAYLOAD_BYTES ? new Uint8Array(0) : m.data;
  tail.recent.push({ ...m, data, size: Math.max(m.size, m.data.length) });
  if (tail.recent.length > RECENT_MESSAGES) tail.recent.shift();
}

export function describeFrom(from: TailFrom): string {
  if ('last' in from) return `the last ${from.last}`;
  if ('seq' in from) return `sequence ${from.seq}`;
  return from.since.toISOString();
}
