// A tree command run from the palette gets no node: this asks for the connection (the registry's entries), the stream
// and the consumer (read from the server at that moment) with QuickPicks and builds the node the tree would have passed.
import * as vscode from 'vscode';
import { formatAgo, formatBytes, formatCount } from '../../core/text/format';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { ConsumerSummary, StreamSummary } from '../../nats/explorer';
import { CONNECTION_COMMANDS } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import type { ExplorerTreeProvider } from './explorerTree';
import type { ExplorerNode } from './nodes';

export type NodeOf<K extends ExplorerNode['kind']> = Extract<ExplorerNode, { kind: K }>;
type Pickable = 'stream' | 'consumer' | 'eventTypes';

export interface PickOptions {
  /** The QuickPicks' title: what the command is about to do ("Purge which stream?"). */
  title: string;
  /** Streams offered (e.g. not the unavailable ones); all by default. */
  streams?: (s: StreamSummary) => boolean;
  /** For `eventTypes`: the tree, which knows which streams have event types and how their subjects read. */
  tree?: ExplorerTreeProvider;
}

function isNode(arg: unknown): arg is ExplorerNode {
  return !!arg && typeof arg === 'object' && typeof (arg as { kind?: unknown }).kind === 'string';
}

/**
 * The node a command was given when it is of `kind`; otherwise (the palette passes none) the one the tree would pass,
 * asked for: a connection node or another node of a connection narrows the connection, a stream node the stream.
 * Undefined when the user cancels.
 */
export async function nodeOrPick<K extends Pickable>(registry: ConnectionRegistry, arg: unknown, kind: K, options: PickOptions): Promise<NodeOf<K> | undefined> {
  const given = isNode(arg) ? arg : undefined;
  if (given?.kind === kind) return given as NodeOf<K>;
  const entry = given?.kind === 'connection' ? registry.entry(given.entry.id)
    : given && 'entryId' in given && given.entryId ? registry.entry(given.entryId)
    : await pickConnection(registry, options.title);
  if (!entry) return undefined;
  const givenStream = given && given.kind !== 'connection' && 'stream' in given && typeof given.stream === 'object' ? given.stream as StreamSummary : undefined;
  if (kind === 'eventTypes') {
    const node = await categoryStream(entry, givenStream, options);
    return node && ((await eventTypesOf(node, options)) as NodeOf<K>);
  }
  const stream = givenStream ?? (await pickStream(entry, options, async () => (await natsRuntime()).listStreams(await registry.session(entry.id))));
  if (!stream) return undefined;
  if (kind === 'stream') return { kind: 'stream', entryId: entry.id, stream } as NodeOf<K>;
  const consumer = await pickConsumer(registry, entry, stream, options.title);
  return consumer ? ({ kind: 'consumer', entryId: entry.id, consumer } as NodeOf<K>) : undefined;
}

/** The registry's connections, the active one first; one connection is taken without asking. */
export async function pickConnection(registry: ConnectionRegistry, title: string): Promise<ConnectionEntry | undefined> {
  const entries = registry.entries();
  if (entries.length === 0) {
    const choice = await vscode.window.showInformationMessage('There is no NATS connection yet.', 'Add Connection');
    if (choice === 'Add Connection') await vscode.commands.executeCommand(CONNECTION_COMMANDS.add);
    return undefined;
  }
  if (entries.length === 1) return entries[0];
  const active = registry.activeId();
  const ordered = [...entries.filter(e => e.id === active), ...entries.filter(e => e.id !== active)];
  const pick = await vscode.window.showQuickPick(ordered.map(e => ({
    label: e.config.name,
    description: [e.id === active ? 'active' : undefined, e.config.readOnly ? 'read-only' : undefined, e.config.protected ? 'protected' : undefined].filter(Boolean).join(' · '),
    detail: e.config.servers.map(s => s.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1')).join(', '),
    entry: e,
  })), { title, placeHolder: 'Connection', ignoreFocusOut: true });
  return pick?.entry;
}

async function pickStream(entry: ConnectionEntry, options: PickOptions, list: () => Promise<StreamSummary[]>): Promise<StreamSummary | undefined> {
  const all = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the streams of ${entry.config.name}` }, list);
  // buckets' and object stores' streams are offered as buckets and stores (their own commands), as in the tree
  const streams = all.filter(s => s.kind === 'stream' && (options.streams?.(s) ?? true));
  if (streams.length === 0) throw new Error(`${entry.config.name} has no stream ${all.length ? 'this can be done to' : 'yet'}: create one (CIM NATS: Initialize CIM Streams…), then run this again.`);
  const pick = await vscode.window.showQuickPick(streams.map(s => ({
    label: s.name,
    description: s.unavailable ? 'unavailable' : `${formatCount(s.messages)} msgs · ${formatBytes(s.bytes)} · ${formatAgo(s.lastActivity)}`,
    detail: s.subjects.join(', '),
    stream: s,
  })), { title: options.title, placeHolder: `Stream on ${entry.config.name}`, matchOnDetail: true, ignoreFocusOut: true });
  return pick?.stream;
}

async function pickConsumer(registry: ConnectionRegistry, entry: ConnectionEntry, stream: StreamSummary, title: string): Promise<ConsumerSummary | undefined> {
  const rt = await natsRuntime();
  const consumers = await rt.listConsumers(await registry.session(entry.id), stream.name);
  if (consumers.length === 0) throw new Error(`${stream.name} on ${entry.config.name} has no consumer: create one (CIM NATS: Create Consumer…), or pick another stream.`);
  const pick = await vscode.window.showQuickPick(consumers.map(c => ({
    label: c.name,
    description: `${formatCount(c.pending)} pending · ${formatCount(c.ackPending)} ack pending${c.durable ? '' : ' · ephemeral'}`,
    detail: c.filterSubjects.join(', ') || 'the whole stream',
    consumer: c,
  })), { title, placeHolder: `Consumer of ${stream.name}`, matchOnDetail: true, ignoreFocusOut: true });
  return pick?.consumer;
}

/** A stream of one of the algebra's categories as the tree shows it (read again now), given or picked. */
async function categoryStream(entry: ConnectionEntry, given: StreamSummary | undefined, options: PickOptions): Promise<NodeOf<'stream'> | undefined> {
  const tree = options.tree;
  if (!tree) throw new Error('Run this on a stream\'s Event types row in the JetStream explorer.');
  tree.refresh(entry.id);
  const root = (await tree.getChildren()).find(n => n.kind === 'connection' && n.entry.id === entry.id);
  const nodes: NodeOf<'stream'>[] = [];
  for (const group of root ? await tree.getChildren(root) : []) {
    if (group.kind === 'error') throw new Error(group.message);
    if (group.kind !== 'group' || group.key.kind !== 'category') continue;
    for (const n of await tree.getChildren(group)) if (n.kind === 'stream' && (!given || n.stream.name === given.name)) nodes.push(n);
  }
  const filtered = tree.filter ? ` among the streams the explorer's filter "${tree.filter}" shows` : '';
  if (given && nodes.length === 0) throw new Error(`${given.name} is not a stream of the algebra's categories${filtered}: it has no event types.`);
  const stream = given ?? (await pickStream(entry, options, async () => nodes.map(n => n.stream)));
  return stream && nodes.find(n => n.stream.name === stream.name);
}

/** The stream's "Event types" row as the tree builds it (the algebra's category and how its subjects read). */
async function eventTypesOf(node: NodeOf<'stream'>, options: PickOptions): Promise<NodeOf<'eventTypes'>> {
  const rows = await options.tree!.getChildren(node);
  const found = rows.find((n): n is NodeOf<'eventTypes'> => n.kind === 'eventTypes');
  if (found) return found;
  throw new Error(`${node.stream.name} has no event types to count: its category names no aggregate and event, or it holds no message.`);
}
