// Consumers from the tree: create with a guided flow (checked before sending, config shown first), edit the fields
// the server can change in place, pause and resume (nats-server 2.11+).
import * as vscode from 'vscode';
import { natsNameProblem } from '../../core/names/natsNames';
import { consumerPreview } from '../../core/explorer/consumerPreview';
import { parseSince } from '../../core/message/since';
import { meetWithin } from '../../core/pattern/lattice';
import type { ConsumerDraft, ConsumerEdit } from '../../nats/streams/ops';
import { registerCommand } from '../platform/commands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { natsRuntime } from '../platform/natsRuntime';
import type { InfoDocumentProvider } from './infoDocuments';
import type { ExplorerNode } from './nodes';
import { nodeOrPick } from './palettePick';
import { assertWritable } from './streamActions';
import { COMMANDS } from '../platform/commandIds';
import { consumerNow } from './serverNow';

export const CONSUMER_ACTIONS = {
  create: COMMANDS.consumerCreate,
  edit: COMMANDS.consumerEdit,
  pause: COMMANDS.consumerPause,
  resume: COMMANDS.consumerResume,
} as const;

class Cancelled extends Error {}
function need<T>(v: T | undefined): T {
  if (v === undefined) throw new Cancelled();
  return v;
}

export function registerConsumerActions(context: vscode.ExtensionContext, registry: ConnectionRegistry, info: InfoDocumentProvider): void {
  const entryOf = (node: ExplorerNode, action: string) => {
    const entry = 'entryId' in node && node.entryId ? registry.entry(node.entryId) : undefined;
    if (!entry) throw new Error('That connection no longer exists: refresh the explorer.');
    assertWritable(entry, action);
    return entry;
  };

  // (node, { draft, confirmed }): scripted use; { typed }: the prompts start with these values (tests accept them)
  registerCommand(context, CONSUMER_ACTIONS.create, async (node?: unknown, scripted?: { draft?: ConsumerDraft; typed?: Typed; confirmed?: boolean }) => {
    const n = await nodeOrPick(registry, node, 'stream', { title: 'Create a consumer on which stream?', streams: s => s.kind === 'stream' && !s.unavailable });
    if (!n) return undefined;
    const entry = entryOf(n, `creating a consumer on ${n.stream.name}`);
    const rt = await natsRuntime();
    let draft: ConsumerDraft;
    try {
      draft = scripted?.draft ?? (await promptDraft(n.stream.subjects, rt.consumerDraftProblems, scripted?.typed));
    } catch (e) {
      if (e instanceof Cancelled) return undefined;
      throw e;
    }
    const problems = rt.consumerDraftProblems(draft, n.stream.subjects);
    if (problems.length) throw new Error(problems[0]);
    await info.show(entry.config.name, `${n.stream.name}.${draft.durable}.new-consumer`, consumerPreview(rt.consumerConfig(draft)));
    if (!scripted?.confirmed && (await vscode.window.showInformationMessage(`Create consumer ${draft.durable} on ${n.stream.name} (${entry.config.name}) with the config shown?`, { modal: true }, 'Create')) !== 'Create') return undefined;
    const created = await rt.createConsumer(await registry.session(entry.id), n.stream.name, draft, n.stream.subjects);
    registry.didChangeServer({ connectionId: entry.id, streams: [n.stream.name], reason: 'consumer created' });
    void vscode.window.showInformationMessage(`Created consumer ${created.name} on ${n.stream.name}: ${created.num_pending} messages pending.`);
    return created;
  });

  registerCommand(context, CONSUMER_ACTIONS.edit, async (node?: unknown, scripted?: ConsumerEdit) => {
    const n = await nodeOrPick(registry, node, 'consumer', { title: 'Edit which consumer?' });
    if (!n) return undefined;
    const entry = entryOf(n, `editing consumer ${n.consumer.name}`);
    // the prompts start from the consumer as the server has it now, not the tree's row
    const config = (scripted ? n.consumer : await consumerNow(registry, entry, n.consumer.stream, n.consumer.name)).config as { description?: string; max_deliver?: number; ack_wait?: number; max_ack_pending?: number };
    let edit: ConsumerEdit;
    try {
      edit = scripted ?? {
        description: need(await vscode.window.showInputBox({ title: `${n.consumer.name}: description`, value: config.description ?? '', ignoreFocusOut: true })),
        maxDeliver: Number(need(await askNumber(`${n.consumer.name}: max deliver (-1 for no limit)`, String(config.max_deliver ?? -1), true))),
        ackWaitSeconds: Number(need(await askNumber(`${n.consumer.name}: ack wait in seconds`, String((config.ack_wait ?? 30e9) / 1e9)))),
        maxAckPending: Number(need(await askNumber(`${n.consumer.name}: max ack pending (-1 for no limit)`, String(config.max_ack_pending ?? 1000), true))),
      };
    } catch (e) {
      if (e instanceof Cancelled) return undefined;
      throw e;
    }
    const rt = await natsRuntime();
    const updated = await rt.updateConsumer(await registry.session(entry.id), n.consumer.stream, n.consumer.name, edit);
    registry.didChangeServer({ connectionId: entry.id, streams: [n.consumer.stream], reason: 'consumer edited' });
    void vscode.window.showInformationMessage(`Updated consumer ${n.consumer.name} of ${n.consumer.stream}.`);
    return updated;
  });

  const pause = (paused: boolean) => async (node?: unknown) => {
    const n = await nodeOrPick(registry, node, 'consumer', { title: `${paused ? 'Pause' : 'Resume'} which consumer?` });
    if (!n) return undefined;
    const entry = entryOf(n, `${paused ? 'pausing' : 'resuming'} consumer ${n.consumer.name}`);
    const rt = await natsRuntime();
    const r = await rt.setConsumerPaused(await registry.session(entry.id), n.consumer.stream, n.consumer.name, paused);
    registry.didChangeServer({ connectionId: entry.id, streams: [n.consumer.stream], reason: paused ? 'consumer paused' : 'consumer resumed' });
    void vscode.window.showInformationMessage(r.paused ? `Paused consumer ${n.consumer.name}${r.until ? ` until ${r.until}` : ''}.` : `Resumed consumer ${n.consumer.name}.`);
    return r;
  };
  registerCommand(context, CONSUMER_ACTIONS.pause, pause(true));
  registerCommand(context, CONSUMER_ACTIONS.resume, pause(false));
}

type DraftProblems = (d: ConsumerDraft, s: readonly string[]) => string[];

/**
 * The filter box. A filter reaching beyond the stream's subjects gets its meet with them (what it can ever see) as the
 * one-key fix: Enter takes the meet, and the preview shows it before anything is created. A filter that meets none of
 * them (it could never match) is refused.
 */
function askFilter(subjects: readonly string[], problem: (filter: string) => string | undefined, value: string): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = 'Filter subject (optional)';
  box.prompt = `Within ${subjects.join(', ')}; empty reads the whole stream`;
  box.value = value;
  box.ignoreFocusOut = true;
  const fixOf = (text: string) => {
    const filter = text.trim();
    const why = filter ? problem(filter) : undefined;
    // a filter that reaches beyond the stream may overlap it: its meet is what it could ever see
    const meets = why ? meetWithin(filter, subjects) : [];
    return { filter, why, meet: meets[0] };
  };
  const show = () => {
    const { why, meet } = fixOf(box.value);
    box.validationMessage = !why ? undefined : meet ? { message: `${why} Enter uses ${meet}.`, severity: vscode.InputBoxValidationSeverity.Warning } : why;
  };
  show();
  return new Promise(resolve => {
    let answer: string | undefined;
    box.onDidChangeValue(show);
    box.onDidAccept(() => {
      const { filter, why, meet } = fixOf(box.value);
      if (why && !meet) return;
      answer = why ? meet : filter;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(answer);
    });
    box.show();
  });
}

function askNumber(title: string, value: string, allowMinusOne = false): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, value, ignoreFocusOut: true, validateInput: v => (/^\d+(\.\d+)?$/.test(v.trim()) || (allowMinusOne && v.trim() === '-1') ? undefined : 'Enter a number.') });
}

interface Typed {
  durable?: string;
  filter?: string;
}

async function promptDraft(subjects: readonly string[], problems: DraftProblems, typed: Typed = {}): Promise<ConsumerDraft> {
  const durable = need(await vscode.window.showInputBox({ title: 'Durable consumer name', prompt: 'e.g. order-projector', value: typed.durable ?? '', ignoreFocusOut: true, validateInput: v => natsNameProblem(v.trim(), 'consumer') })).trim();
  const filter = need(await askFilter(subjects, f => problems({ durable, filter: f, deliver: 'all', ack: 'explicit' }, subjects)[0], typed.filter ?? (subjects.length === 1 ? subjects[0]! : '')));
  const deliver = need(await vscode.window.showQuickPick([
    { label: 'all', description: 'from the first message' },
    { label: 'last', description: 'from the last message' },
    { label: 'new', description: 'only messages stored from now on' },
    { label: 'by_start_sequence', description: 'from a sequence' },
    { label: 'by_start_time', description: 'from a time' },
  ], { title: 'Deliver policy', ignoreFocusOut: true })).label as ConsumerDraft['deliver'];
  const draft: ConsumerDraft = { durable, ...(filter ? { filter } : {}), deliver, ack: 'explicit' };
  if (deliver === 'by_start_sequence') draft.startSeq = Number(need(await askNumber('Start sequence', '1')));
  if (deliver === 'by_start_time') {
    const t = need(await vscode.window.showInputBox({ title: 'Start time', prompt: '10m, 2h, 1d or an ISO time', ignoreFocusOut: true, validateInput: v => { const r = parseSince(v); return r.ok ? undefined : r.problem; } }));
    const r = parseSince(t);
    if (r.ok) draft.startTime = r.since;
  }
  draft.ack = need(await vscode.window.showQuickPick([{ label: 'explicit' }, { label: 'all' }, { label: 'none' }], { title: 'Ack policy', ignoreFocusOut: true })).label as ConsumerDraft['ack'];
  draft.maxDeliver = Number(need(await askNumber('Max deliver (-1 for no limit)', '-1', true)));
  draft.ackWaitSeconds = Number(need(await askNumber('Ack wait in seconds', '30')));
  return draft;
}
