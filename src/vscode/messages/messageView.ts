// The message view: a read-only document of messages — a stream's (View Messages…: last N, from a sequence, since a
// time, filtered; paged older and newer) or a search's (Find Messages…, a trace's or a history's message), never
// holding more than cimNats.messages.viewLimit; copy one as a .nats block or its payload.
import * as vscode from 'vscode';
import { isValidPattern } from '../../core/pattern/tokens';
import { overlap } from '../../core/pattern/lattice';
import { formatMessage, messageAsNatsBlock, parseSince, type ViewedMessage } from '../../core/message';
import { payloadText } from '../../core/message/payload';
import type { ReadFrom, ReadResult } from '../../nats/read/reader';
import { registerCommand } from '../platform/commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import type { ExplorerNode } from '../explorer/nodes';
import { nodeOrPick } from '../explorer/palettePick';
import { COMMANDS } from '../platform/commandIds';

export const MESSAGES_SCHEME = 'cimnats-messages';

export const MESSAGE_COMMANDS = {
  view: COMMANDS.streamViewMessages,
  older: COMMANDS.messagesShowOlder,
  newer: COMMANDS.messagesShowNewer,
  copyBlock: COMMANDS.messagesCopyAsPlaybook,
  copyPayload: COMMANDS.messagesCopyPayload,
} as const;

interface MessageView {
  entryId: string;
  connection: string;
  stream: string;
  filter?: string;
  messages: ViewedMessage[];
  more: { older: boolean; newer: boolean };
  notes: string[];
  /** Line where each message's block starts, for "copy the message under the cursor". */
  starts: number[];
  /** A search's view: its own first lines instead of a stream's, and no paging by sequence. */
  heading?: string[];
}

/** What a search, a trace or a history shows in a message view. */
export interface MessageListInput {
  entryId: string;
  /** The document's name (without extension). */
  name: string;
  /** The first lines (each shown as a `#` line). */
  heading: string[];
  messages: ViewedMessage[];
}

/** Scripted use (and tests): the answers to the prompts. */
export interface ViewArgs {
  from?: ReadFrom | { since: string };
  filter?: string;
}

class MessageViewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly views = new Map<string, MessageView>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const view = this.views.get(uri.toString());
    return view ? render(view) : 'This view is no longer loaded: open it again from the explorer.\n';
  }

  update(uri: vscode.Uri, view: MessageView): void {
    this.views.set(uri.toString(), view);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function render(view: MessageView): string {
  const head = view.heading ? [...view.heading.map(h => `# ${h}`), ...view.notes.map(n => `# ${n}`), ''] : [
    `# ${view.messages.length} message${view.messages.length === 1 ? '' : 's'} of ${view.stream}${view.filter ? ` matching ${view.filter}` : ''} on ${view.connection}` +
      (view.messages.length ? ` (seq ${view.messages[0]!.seq}–${view.messages.at(-1)!.seq})` : ''),
    `# older: ${view.more.older ? 'yes — CIM NATS: Show Older Messages' : 'none'} · newer: ${view.more.newer ? 'yes — CIM NATS: Show Newer Messages' : 'none so far'}`,
    ...view.notes.map(n => `# ${n}`),
    '',
  ];
  const lines = [...head];
  view.starts = [];
  for (const m of view.messages) {
    view.starts.push(lines.length);
    // a list gathers several streams: each message names its own
    const text = formatMessage(m);
    lines.push(...(view.heading && m.stream ? `${m.stream} ${text}` : text).split('\n'), '');
  }
  return lines.join('\n');
}

/** Opens and updates message views; the commands that read messages (view, find, trace) show them through it. */
export interface MessageViews {
  /** Opens a list of messages (a search's, a trace's) in a view of its own; `beside` keeps the focus where it is. */
  showList(input: MessageListInput, options?: { beside?: boolean }): Promise<vscode.Uri>;
  /** Replaces a list view's messages and heading (a search that went on). */
  updateList(uri: vscode.Uri, input: Omit<MessageListInput, 'name'>): void;
  /** The message under the cursor of the active message view, or undefined when the active editor shows none. */
  messageUnderCursor(): { message: ViewedMessage; entryId: string; uri: vscode.Uri } | undefined;
  readonly views: Map<string, unknown>;
}

export function registerMessageView(context: vscode.ExtensionContext, registry: ConnectionRegistry): MessageViews {
  const provider = new MessageViewProvider();
  context.subscriptions.push(provider, vscode.workspace.registerTextDocumentContentProvider(MESSAGES_SCHEME, provider));

  const read = async (view: Pick<MessageView, 'entryId' | 'stream' | 'filter'>, from: ReadFrom, direction: 'forward' | 'backward', max: number): Promise<ReadResult> => {
    const rt = await natsRuntime();
    const session = await registry.session(view.entryId);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${view.stream}…`, cancellable: true }, async (_p, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await rt.readMessages(session, { stream: view.stream, ...(view.filter ? { filter: view.filter } : {}), from, max, direction, signal: abort.signal });
      } finally {
        sub.dispose();
      }
    });
  };

  registerCommand(context, MESSAGE_COMMANDS.view, async (node?: unknown, args: ViewArgs = {}) => {
    const n = node && typeof node === 'object' && 'kind' in node ? (node as ExplorerNode) : await nodeOrPick(registry, node, 'stream', { title: 'View the messages of which stream?', streams: s => !s.unavailable });
    if (!n) return undefined;
    const target = n?.kind === 'stream' ? { stream: n.stream.name, subjects: n.stream.subjects, filter: undefined as string | undefined }
      : n?.kind === 'consumer' ? { stream: n.consumer.stream, subjects: undefined, filter: n.consumer.filterSubjects[0] }
      : n?.kind === 'eventType' ? { stream: n.stream.name, subjects: n.stream.subjects, filter: `${n.prefix}.${n.type.aggregate}.${n.type.event}.>` }
      : undefined;
    if (!n || !target || !('entryId' in n) || !n.entryId) throw new Error('Run View Messages on a stream, a consumer or an event type in the JetStream explorer.');
    const entry = registry.entry(n.entryId);
    if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
    const defaultCount = settingsFor()['messages.defaultCount'];
    const from = args.from ? toFrom(args.from) : await pickFrom(defaultCount);
    if (!from) return undefined;
    let filter = args.filter ?? target.filter;
    if (args.filter === undefined && n.kind === 'stream') {
      const typed = await vscode.window.showInputBox({
        title: `Subject filter for ${target.stream} (optional)`,
        prompt: `Leave empty for every subject of ${target.stream} (${target.subjects?.join(', ')})`,
        ignoreFocusOut: true,
        validateInput: v => filterProblem(v.trim(), target.subjects),
      });
      if (typed === undefined) return undefined;
      filter = typed.trim() || undefined;
    } else if (filter) {
      const problem = filterProblem(filter, target.subjects);
      if (problem) throw new Error(problem);
    }
    const limit = settingsFor()['messages.viewLimit'];
    const result = await read({ entryId: entry.id, stream: target.stream, filter }, from, 'forward', Math.min('last' in from ? from.last : defaultCount, limit));
    const uri = vscode.Uri.from({ scheme: MESSAGES_SCHEME, path: `/${encodeURIComponent(entry.config.name)}/${encodeURIComponent(target.stream)}${filter ? `.${encodeURIComponent(filter)}` : ''}.messages`, query: String(Date.now()) });
    provider.update(uri, { entryId: entry.id, connection: entry.config.name, stream: target.stream, ...(filter ? { filter } : {}), messages: result.messages, more: result.more, notes: result.note ? [result.note] : [], starts: [] });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
    return vscode.window.showTextDocument(doc, { preview: false });
  });

  const page = async (direction: 'older' | 'newer') => {
    const editor = vscode.window.activeTextEditor;
    const view = editor && provider.views.get(editor.document.uri.toString());
    if (!editor || !view) throw new Error('Open a message view first (View Messages… on a stream in the JetStream explorer).');
    if (view.heading) throw new Error('This view holds found messages, not a stream\'s page: open the stream\'s messages with View Messages…, or go on with CIM NATS: Continue Search.');
    const count = settingsFor()['messages.defaultCount'];
    const limit = settingsFor()['messages.viewLimit'];
    const first = view.messages[0]?.seq ?? 1;
    const last = view.messages.at(-1)?.seq ?? 0;
    const result = direction === 'older'
      ? await read(view, { seq: first - 1 }, 'backward', count)
      : await read(view, { seq: last + 1 }, 'forward', count);
    let messages = direction === 'older' ? [...result.messages, ...view.messages] : [...view.messages, ...result.messages];
    const notes: string[] = [];
    if (messages.length > limit) {
      const dropped = messages.length - limit;
      messages = direction === 'older' ? messages.slice(0, limit) : messages.slice(dropped);
      notes.push(`This view keeps at most ${limit} messages (cimNats.messages.viewLimit): ${dropped} ${direction === 'older' ? 'newer' : 'older'} ones were let go.`);
    }
    const more = direction === 'older'
      ? { older: result.more.older, newer: view.more.newer || notes.length > 0 }
      : { older: view.more.older || notes.length > 0, newer: result.more.newer };
    provider.update(editor.document.uri, { ...view, messages, more, notes: result.messages.length ? notes : [`No ${direction} messages.`] });
    return result.messages.length;
  };
  registerCommand(context, MESSAGE_COMMANDS.older, () => page('older'));
  registerCommand(context, MESSAGE_COMMANDS.newer, () => page('newer'));

  const atCursor = () => {
    const editor = vscode.window.activeTextEditor;
    const view = editor && provider.views.get(editor.document.uri.toString());
    if (!editor || !view) return undefined;
    const line = editor.selection.active.line;
    let index = -1;
    for (const [i, start] of view.starts.entries()) if (start <= line) index = i;
    return { editor, view, message: view.messages[index] };
  };
  const underCursor = (): ViewedMessage => {
    const found = atCursor();
    if (!found) throw new Error('Put the cursor on a message in a message view first.');
    if (!found.message) throw new Error('Put the cursor on a message (its # line or below) in the view.');
    return found.message;
  };
  registerCommand(context, MESSAGE_COMMANDS.copyBlock, async () => {
    const block = messageAsNatsBlock(underCursor());
    await vscode.env.clipboard.writeText(block);
    return block;
  });
  registerCommand(context, MESSAGE_COMMANDS.copyPayload, async () => {
    const m = underCursor();
    const text = payloadText(m.data);
    if (text === undefined) throw new Error(`The payload of #${m.seq} is binary: copy it as a .nats block to see its hex preview, or export the stream.`);
    await vscode.env.clipboard.writeText(text);
    return text;
  });
  const limitNote = (count: number) => `This view shows the first ${settingsFor()['messages.viewLimit']} of ${count} messages (cimNats.messages.viewLimit).`;
  const listView = (input: Omit<MessageListInput, 'name'>, connection: string): MessageView => {
    const limit = settingsFor()['messages.viewLimit'];
    return {
      entryId: input.entryId, connection, stream: '', heading: input.heading, messages: input.messages.slice(0, limit),
      more: { older: false, newer: false }, notes: input.messages.length > limit ? [limitNote(input.messages.length)] : [], starts: [],
    };
  };
  return {
    views: provider.views,
    async showList(input, options = {}) {
      const entry = registry.entry(input.entryId);
      if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
      const uri = vscode.Uri.from({ scheme: MESSAGES_SCHEME, path: `/${encodeURIComponent(entry.config.name)}/${input.name.replace(/[/\\?#%]/g, '_')}.messages`, query: String(Date.now()) });
      provider.update(uri, listView(input, entry.config.name));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
      await vscode.window.showTextDocument(doc, options.beside ? { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : { preview: false });
      return uri;
    },
    updateList(uri, input) {
      const view = provider.views.get(uri.toString());
      if (view) provider.update(uri, listView(input, view.connection));
    },
    messageUnderCursor() {
      const found = atCursor();
      return found?.message ? { message: found.message, entryId: found.view.entryId, uri: found.editor.document.uri } : undefined;
    },
  };
}

function toFrom(from: ReadFrom | { since: string }): ReadFrom {
  if ('since' in from && typeof from.since === 'string') {
    const r = parseSince(from.since);
    if (!r.ok) throw new Error(r.problem);
    return { since: r.since };
  }
  return from as ReadFrom;
}

function filterProblem(filter: string, subjects: readonly string[] | undefined): string | undefined {
  if (!filter) return undefined;
  if (!isValidPattern(filter)) return `"${filter}" is not a subject or pattern (tokens split by dots; * and > only as whole tokens, > last).`;
  if (subjects?.length && !subjects.some(s => overlap(s, filter))) return `"${filter}" matches none of the stream's subjects (${subjects.join(', ')}).`;
  return undefined;
}

async function pickFrom(defaultCount: number): Promise<ReadFrom | undefined> {
  const pick = await vscode.window.showQuickPick([
    { label: `Last ${defaultCount}`, id: 'default' },
    { label: 'Last N…', id: 'last' },
    { label: 'From a sequence…', id: 'seq' },
    { label: 'Since a time…', id: 'since', description: '10m, 2h, 1d or an ISO time' },
  ], { title: 'Which messages?', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.id === 'default') return { last: defaultCount };
  const number = (title: string) => vscode.window.showInputBox({ title, ignoreFocusOut: true, validateInput: v => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : 'Enter a whole number above 0.') });
  if (pick.id === 'last') {
    const v = await number('How many of the newest messages?');
    return v ? { last: Number(v) } : undefined;
  }
  if (pick.id === 'seq') {
    const v = await number('From which sequence?');
    return v ? { seq: Number(v) } : undefined;
  }
  const v = await vscode.window.showInputBox({ title: 'Since when?', prompt: '10m, 2h, 1d or an ISO time', ignoreFocusOut: true, validateInput: t => { const r = parseSince(t); return r.ok ? undefined : r.problem; } });
  if (!v) return undefined;
  return toFrom({ since: v });
}
