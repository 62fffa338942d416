// Find Messages…: on a connection, a stream, an event type or a consumer (or from the palette) — a subject filter
// completed and checked by the algebra, a time or sequence range, a CEL expression checked before anything is read —
// scanned with progress and cancel, the matches opened in a message view; Continue Search goes on past a bound.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { completeSubject } from '../../core/complete/complete';
import { parseTimeRange } from '../../core/find/timeRange';
import { overlap } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import { validateSubject } from '../../core/subject/validate';
import { formatBytes, formatCount } from '../../core/text/format';
import type { CelFilter, FindCursor, FindOptions, FindResult } from '../../nats/runtime';
import type { AlgebraService } from '../algebraService';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ExplorerNode } from '../explorer/nodes';
import { pickConnection } from '../explorer/palettePick';
import type { NameRegistry } from '../nameRegistry';
import { COMMANDS } from '../platform/commandIds';
import { registerCommand } from '../platform/commands';
import { settingsFor } from '../platform/configuration';
import { natsRuntime } from '../platform/natsRuntime';
import type { MessageViews } from './messageView';
import { suggestInput } from './suggestInput';

/** Scripted use (and tests): the answers to the prompts; a prompt whose answer is given is not shown. */
export interface FindArgs {
  filter?: string;
  since?: string;
  until?: string;
  fromSeq?: number;
  toSeq?: number;
  /** The CEL expression; '' for none (every message in the range). */
  where?: string;
}

/** What a search's view needs to go on. */
interface SearchState {
  entryId: string;
  where?: CelFilter;
  describe: string;
  cursor?: FindCursor;
  result: FindResult;
  /** Every stream read so far (a search that goes on reads fewer each time), and those that could not be. */
  streams: Set<string>;
  problems: Map<string, string>;
  matches: FindResult['matches'];
  scanned: number;
  bytes: number;
}

interface Target {
  entryId: string;
  streams?: string[];
  subjects?: readonly string[];
  filter?: string;
  /** What the search is on, for titles: "stream X", "connection Y". */
  label: string;
}

export function registerFindCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry, views: MessageViews, algebra: AlgebraService, names: NameRegistry): void {
  const searches = new Map<string, SearchState>();

  registerCommand(context, COMMANDS.findMessages, async (node?: unknown, args: FindArgs = {}) => {
    const target = await targetOf(registry, node);
    if (!target) return undefined;
    const { algebra: active } = await algebra.algebraFor();
    const filter = args.filter ?? (await askFilter(target, active, names));
    if (filter === undefined) return undefined;
    const range = await askRange(args, target);
    if (!range) return undefined;
    const where = args.where ?? (await askExpression(target.label));
    if (where === undefined) return undefined;
    const rt = await natsRuntime();
    let filterCel: CelFilter | undefined;
    if (where !== '') {
      const compiled = rt.compileCel(where);
      if (!compiled.ok) throw new Error(`The expression cannot be used: ${compiled.problem.message}`);
      filterCel = compiled.filter;
    }
    const settings = settingsFor();
    const options: FindOptions = {
      ...range,
      maxScanned: settings['find.maxScanned'],
      maxMatches: settings['find.maxMatches'],
      ...(target.streams ? { streams: target.streams } : {}),
      ...(filter ? { filter } : {}),
      ...(filterCel ? { where: filterCel } : {}),
    };
    const describe = [where ? `\`${where}\`` : 'every message', filter ? `on ${filter}` : '', target.label].filter(Boolean).join(' ');
    const result = await search(registry, target.entryId, options, `Finding ${describe}`);
    const state: SearchState = { entryId: target.entryId, describe, result, streams: new Set(), problems: new Map(), matches: result.matches, scanned: result.scanned, bytes: result.bytes, ...(filterCel ? { where: filterCel } : {}), ...(result.cursor ? { cursor: result.cursor } : {}) };
    note(state, result);
    if (result.matches.length === 0 && !result.cursor) {
      void vscode.window.showInformationMessage(heading(state)[0]!);
      return { matches: 0, result };
    }
    const uri = await views.showList({ entryId: target.entryId, name: `find ${filter || target.label}`, heading: heading(state), messages: state.matches });
    searches.set(uri.toString(), state);
    if (result.bound) void offerToGoOn(state);
    return { matches: result.matches.length, result, uri };
  });

  // the editor's title bar passes the view's URI; the palette runs it on the active editor
  registerCommand(context, COMMANDS.findContinue, async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const state = uri && searches.get(uri.toString());
    if (!uri || !state) throw new Error('Open the view of a search first (Find Messages…): Continue Search goes on where it stopped.');
    if (!state.cursor) throw new Error('This search read its whole range: there is nothing further to read.');
    const settings = settingsFor();
    const result = await search(registry, state.entryId, { resume: state.cursor, maxScanned: settings['find.maxScanned'], maxMatches: settings['find.maxMatches'], ...(state.where ? { where: state.where } : {}) }, `Finding ${state.describe}`);
    state.result = result;
    note(state, result);
    state.matches = [...state.matches, ...result.matches];
    state.scanned += result.scanned;
    state.bytes += result.bytes;
    if (result.cursor) state.cursor = result.cursor;
    else delete state.cursor;
    views.updateList(uri, { entryId: state.entryId, heading: heading(state), messages: state.matches });
    return { matches: result.matches.length, result };
  });

  function offerToGoOn(state: SearchState): Thenable<void> {
    return vscode.window.showInformationMessage(heading(state)[1] ?? '', 'Continue Search').then(choice => {
      if (choice) void vscode.commands.executeCommand(COMMANDS.findContinue);
    });
  }
}

async function search(registry: ConnectionRegistry, entryId: string, options: FindOptions, title: string): Promise<FindResult> {
  const rt = await natsRuntime();
  const session = await registry.session(entryId);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort(new Error('The search was cancelled.')));
    let shown = 0;
    try {
      return await rt.findMessages(session, {
        ...options,
        signal: abort.signal,
        onProgress: p => {
          const of = p.total ?? options.maxScanned;
          const share = Math.min(100, (100 * p.scanned) / Math.max(1, Math.min(of, options.maxScanned)));
          progress.report({ message: `scanned ${formatCount(p.scanned)}${p.total !== undefined ? ` of ${formatCount(p.total)}` : ''} (${formatBytes(p.bytes)}), ${formatCount(p.matched)} matched`, increment: share - shown });
          shown = share;
        },
      });
    } finally {
      sub.dispose();
    }
  });
}

function note(state: SearchState, result: FindResult): void {
  for (const o of result.streams) {
    if (o.problem) state.problems.set(o.stream, o.problem);
    else state.streams.add(o.stream);
  }
}

/** The view's first lines: what was found where, why it stopped, what could not be read or evaluated. */
function heading(s: SearchState): string[] {
  const streams = [...s.streams].sort();
  const lines = [`Find ${s.describe}: ${formatCount(s.matches.length)} match${s.matches.length === 1 ? '' : 'es'} in ${formatCount(s.scanned)} message${s.scanned === 1 ? '' : 's'} (${formatBytes(s.bytes)}) of ${streams.join(', ') || 'no stream'}, by time.`];
  const settings = settingsFor();
  if (s.result.bound === 'matches') lines.push(`Stopped at ${formatCount(settings['find.maxMatches'])} matches (cimNats.find.maxMatches): CIM NATS: Continue Search reads further.`);
  else if (s.result.bound === 'scanned') lines.push(`Stopped after ${formatCount(settings['find.maxScanned'])} messages read (cimNats.find.maxScanned): CIM NATS: Continue Search reads further.`);
  else lines.push('The whole range was read.');
  for (const problem of s.problems.values()) lines.push(`Not searched: ${problem}`);
  const f = s.result.firstFailure;
  if (f) lines.push(`The expression could not be evaluated on ${formatCount(s.result.failed)} message${s.result.failed === 1 ? '' : 's'} (they do not match); the first, ${f.stream} #${f.seq}: ${f.reason}.`);
  return lines;
}

async function targetOf(registry: ConnectionRegistry, node: unknown): Promise<Target | undefined> {
  const n = node && typeof node === 'object' && 'kind' in node ? (node as ExplorerNode) : undefined;
  if (n?.kind === 'stream') return { entryId: n.entryId, streams: [n.stream.name], subjects: n.stream.subjects, label: `in ${n.stream.name}` };
  if (n?.kind === 'eventType') return { entryId: n.entryId, streams: [n.stream.name], subjects: n.stream.subjects, filter: `${n.prefix}.${n.type.aggregate}.${n.type.event}.>`, label: `in ${n.stream.name}` };
  if (n?.kind === 'consumer') return { entryId: n.entryId, streams: [n.consumer.stream], filter: n.consumer.filterSubjects.length === 1 ? n.consumer.filterSubjects[0]! : '', label: `in ${n.consumer.stream} (consumer ${n.consumer.name}'s filter)` };
  const entry = n?.kind === 'connection' ? registry.entry(n.entry.id) : await pickConnection(registry, 'Find messages on which connection?');
  if (!entry) return undefined;
  return { entryId: entry.id, label: `on ${entry.config.name}`, filter: `${entry.config.environment ?? settingsFor()['playbook.defaultEnvironment']}.>` };
}

/** The subject filter, completed token by token from the algebra and the known names, checked as a pattern. */
async function askFilter(target: Target, algebra: CompiledAlgebra, names: NameRegistry): Promise<string | undefined> {
  const index = await names.current();
  const wholeStream = !!target.streams;
  return suggestInput({
    title: `Find Messages ${target.label}: subject filter`,
    placeholder: wholeStream ? 'A subject or pattern (empty: every subject of the stream)' : 'A subject or pattern, e.g. dev.domain.sales.>',
    value: target.filter ?? '',
    suggest: value => {
      const c = completeSubject(algebra, value, value.length, { pattern: true, names: index });
      return c.items.slice(0, 40).map(i => ({ label: value.slice(0, c.start) + i.insertText, description: i.detail ?? i.kind, value: value.slice(0, c.start) + i.insertText }));
    },
    check: value => filterProblem(value.trim(), algebra, target, wholeStream),
    accept: value => (value.trim() ? `$(filter) Use ${value.trim()}` : '$(filter) Every subject'),
  });
}

function filterProblem(filter: string, algebra: CompiledAlgebra, target: Target, emptyAllowed: boolean): string | undefined {
  if (!filter) return emptyAllowed ? undefined : 'Type a subject filter: a search on a connection reads the streams that store it.';
  if (!isValidPattern(filter)) return `"${filter}" is not a subject or pattern: tokens split by dots; * and > only as whole tokens, > last.`;
  const error = validateSubject(algebra, filter, { pattern: true, style: false }).find(p => p.severity === 'error');
  if (error) return error.message;
  if (target.subjects?.length && !target.subjects.some(s => overlap(s, filter))) return `"${filter}" matches none of the stream's subjects (${target.subjects.join(', ')}).`;
  return undefined;
}

async function askRange(args: FindArgs, target: Target): Promise<Pick<FindOptions, 'since' | 'until' | 'fromSeq' | 'toSeq'> | undefined> {
  if (args.since !== undefined || args.until !== undefined || args.fromSeq !== undefined || args.toSeq !== undefined || args.where !== undefined) return rangeOf(args);
  const oneStream = target.streams?.length === 1;
  const pick = await vscode.window.showQuickPick([
    { label: 'All messages', id: 'all' },
    { label: 'Since a time…', id: 'since', description: '10m, 2h, 1d or an ISO time' },
    { label: 'Between two times…', id: 'between' },
    ...(oneStream ? [{ label: 'A sequence range…', id: 'seq', description: 'from N to M' }] : []),
  ], { title: `Find Messages ${target.label}: which messages to read?`, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.id === 'all') return {};
  if (pick.id === 'seq') {
    const typed = await vscode.window.showInputBox({ title: 'Sequence range', prompt: 'From N to M, e.g. 1000-2000 (M may be left out)', ignoreFocusOut: true, validateInput: v => (/^\s*\d+\s*(-\s*\d*\s*)?$/.test(v) ? undefined : 'Write N-M, e.g. 1000-2000, or N-.') });
    if (!typed) return undefined;
    const [from, to] = typed.split('-').map(t => t.trim());
    return rangeOf({ fromSeq: Number(from), ...(to ? { toSeq: Number(to) } : {}) });
  }
  const time = (title: string) => vscode.window.showInputBox({ title, prompt: '10m, 2h, 1d or an ISO time', ignoreFocusOut: true, validateInput: v => { const r = parseTimeRange({ since: v }); return r.ok ? undefined : r.problem; } });
  const since = await time('Since when?');
  if (!since) return undefined;
  if (pick.id === 'since') return rangeOf({ since });
  const until = await vscode.window.showInputBox({ title: 'Until when?', prompt: '10m, 2h ago or an ISO time', ignoreFocusOut: true, validateInput: v => { const r = parseTimeRange({ since, until: v }); return r.ok ? undefined : r.problem; } });
  return until ? rangeOf({ since, until }) : undefined;
}

function rangeOf(args: FindArgs): Pick<FindOptions, 'since' | 'until' | 'fromSeq' | 'toSeq'> {
  const r = parseTimeRange({ ...(args.since !== undefined ? { since: args.since } : {}), ...(args.until !== undefined ? { until: args.until } : {}) });
  if (!r.ok) throw new Error(r.problem);
  if (args.toSeq !== undefined && args.fromSeq !== undefined && args.toSeq < args.fromSeq) throw new Error(`The sequence range ${args.fromSeq}–${args.toSeq} is empty: the last sequence comes before the first.`);
  return { ...r.range, ...(args.fromSeq !== undefined ? { fromSeq: args.fromSeq } : {}), ...(args.toSeq !== undefined ? { toSeq: args.toSeq } : {}) };
}

/** The CEL expression with its variables completed; a compile error is shown (with its column) before anything is read. */
async function askExpression(label: string): Promise<string | undefined> {
  const rt = await natsRuntime();
  return suggestInput({
    title: `Find Messages ${label}: CEL expression`,
    placeholder: 'e.g. event.data.customer_id == "123" — empty: every message in the range',
    suggest: value => rt.celSuggestions(value),
    check: value => {
      if (!value.trim()) return undefined;
      const r = rt.compileCel(value);
      return r.ok ? undefined : r.problem.message;
    },
    accept: value => (value.trim() ? '$(search) Search with this expression' : '$(search) Search every message'),
  });
}
