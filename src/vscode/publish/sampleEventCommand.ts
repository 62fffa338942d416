// Publish Sample Event…: a subject from the cursor (a .nats line or a literal in code), from a stream or event type in
// the explorer, or built token by token from the palette; the category's envelope with fresh ids and typed data; then
// Publish (through the playbook's send path: read-only, production and protected guards) or Edit before sending.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { NameIndex, type NameEntry } from '../../core/complete/names';
import { namesFromDefinitions } from '../../core/domain/completionNames';
import { draftInsertion, sampleDraft, withFreshMessageId, type SampleDraft } from '../../core/envelope/sampleDraft';
import { namesFromStreamSubjects } from '../../core/complete/streamNames';
import { nextSubjectStep, plainTokens, tokenProblem, type SubjectStep } from '../../core/envelope/subjectSteps';
import { parsePlaybook } from '../../core/playbook/parser';
import { subjectContextAt } from '../../core/scan/subjectAt';
import type { ConnectionEntry } from '../../nats/connection/manager';
import type { BlockResult } from '../../core/playbook';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../platform/commands';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import type { ExplorerTreeProvider } from '../explorer/explorerTree';
import type { ExplorerNode } from '../explorer/nodes';
import { fileKindOfDocument } from '../language/subjectModel';
import { log } from '../platform/log';
import { settingsFor } from '../platform/configuration';
import type { PlaybookSender } from './playbookCommands';
import { COMMANDS } from '../platform/commandIds';
import { onSettingsChange } from '../platform/configuration';

export const SAMPLE_EVENT_COMMAND = COMMANDS.publishSampleEvent;
/** The languages whose literals the command reads at the cursor, for the editor menu's `when`. */
const LANGUAGES_CONTEXT = 'cimNats.subjectLanguages';

/** Scripted use (and tests): the answers to the prompts. */
export interface SampleEventArgs {
  /** The subject to publish to (checked by the algebra); absent: the cursor, the node or the token-by-token flow. */
  subject?: string;
  /** A connection id (`settings:local`) or name; absent: the node's, else the active one. */
  connection?: string;
  action?: 'publish' | 'edit';
  /** Answers the uncaptured, production and protected questions without a modal: true sends, false declines. */
  confirmed?: boolean;
}

/** What the command did, for callers and tests. */
export interface SampleEventOutcome {
  action: 'publish' | 'edit';
  subject: string;
  draft: SampleDraft;
  /** Publish: what the runner reported (stored with stream and seq, declined, failed with the reason). */
  result?: BlockResult;
  /** Edit: the playbook the block went into. */
  uri?: string;
}

export function registerSampleEventCommand(context: vscode.ExtensionContext, registry: ConnectionRegistry, algebraService: AlgebraService, domains: DomainService, sender: PlaybookSender, explorer: ExplorerTreeProvider): void {
  const setLanguages = () => void vscode.commands.executeCommand('setContext', LANGUAGES_CONTEXT, settingsFor()['subjects.languages']);
  setLanguages();
  context.subscriptions.push(onSettingsChange(['subjects.languages'], setLanguages));

  registerCommand(context, SAMPLE_EVENT_COMMAND, async (first?: unknown, second?: unknown): Promise<SampleEventOutcome | undefined> => {
    const node = isNode(first) ? first : undefined;
    const args: SampleEventArgs = isArgs(second) ? second : !node && isArgs(first) ? first : {};
    const editor = vscode.window.activeTextEditor;
    const { algebra } = await algebraService.algebraFor(node ? undefined : editor?.document.uri);
    const named = args.connection ? entryNamed(registry, args.connection) : node && 'entryId' in node && node.entryId ? registry.entry(node.entryId) : undefined;
    if (args.connection && !named) throw new Error(`There is no connection "${args.connection}": add it in the JetStream view, or name another.`);

    const subject = args.subject ?? (await chooseSubject(algebra, node, editor, named));
    if (subject === undefined) return undefined;
    const definitions = await domains.all();
    const made = sampleDraft(algebra, subject, { definitions });
    if (!made.ok) throw new Error(`${made.problem} Fix the subject and run Publish Sample Event again.`);
    const { draft } = made;

    const action = args.action ?? (await chooseAction(draft, named));
    if (!action) return undefined;
    if (action === 'edit') return { action, subject, draft, uri: (await openDraft(draft, named)).toString() };

    const entry = named ?? registry.entry(registry.activeId() ?? '') ?? (await resolveEntry(registry, undefined, 'Publish the sample on which connection?'));
    if (!entry) return undefined;
    const playbook = parsePlaybook(draft.block);
    const block = playbook.blocks[0];
    if (!block) throw new Error(`The sample for "${subject}" did not make a PUB block: report this with the log.`);
    const answers = args.confirmed === undefined ? {} : { confirmed: args.confirmed };
    return { action, subject, draft, result: await sender.sendBlock(entry.id, playbook, block, answers) };
  });

  /** The subject from the node, the cursor, or asked token by token (names from the definitions and the live streams). */
  async function chooseSubject(algebra: CompiledAlgebra, node: ExplorerNode | undefined, editor: vscode.TextEditor | undefined, entry: ConnectionEntry | undefined): Promise<string | undefined> {
    let seed: string[] = [];
    let within: readonly string[] | undefined;
    if (node?.kind === 'stream') within = node.stream.subjects;
    else if (node?.kind === 'eventType') {
      within = node.stream.subjects;
      seed = [...node.prefix.split('.'), node.type.aggregate, node.type.event];
    } else if (node) {
      throw new Error('Run Publish Sample Event on a stream or an event type in the JetStream explorer.');
    } else if (editor) {
      const doc = editor.document;
      const at = subjectContextAt(doc.getText(), doc.offsetAt(editor.selection.active), fileKindOfDocument(doc));
      if (at?.text) {
        if (!at.pattern && plainTokens(at.text).join('.') === at.text && !nextSubjectStep(algebra, at.text.split('.'))) return withFreshMessageId(algebra, at.text);
        seed = plainTokens(at.text);
        if (at.pattern) within = [at.text];
      }
    }
    const names = await namesFor(algebra, within ? undefined : entry ?? registry.entry(registry.activeId() ?? ''));
    const defaultEnvironment = entry?.config.environment ?? settingsFor()['playbook.defaultEnvironment'];
    const chosen = [...seed];
    /** How many tokens were chosen before each question answered so far: Back returns there. */
    const asked: number[] = [];
    for (;;) {
      const step = nextSubjectStep(algebra, chosen, { names, ...(within ? { within } : {}), defaultEnvironment });
      if (!step) return chosen.join('.');
      if (step.fixed !== undefined) {
        chosen.push(step.fixed);
        continue;
      }
      if (!step.free && step.items.length === 0) {
        const where = within ? `within ${within.join(', ')}` : `after ${chosen.join('.') || 'the start'}`;
        throw new Error(`No ${step.title.toLowerCase()} of the algebra fits ${where}: publish a sample to a subject the algebra describes.`);
      }
      const answer = await askToken(algebra, step, within, asked.length > 0);
      if (answer === undefined) return undefined;
      if (answer === BACK) {
        chosen.length = asked.pop() ?? chosen.length;
        continue;
      }
      asked.push(chosen.length);
      chosen.push(answer);
    }
  }

  async function namesFor(algebra: CompiledAlgebra, entry: ConnectionEntry | undefined): Promise<NameIndex> {
    const entries: NameEntry[] = namesFromDefinitions(await domains.all());
    // Live streams only when the connection is already open: building a sample does not connect.
    if (entry && registry.current(entry.id)) {
      try {
        entries.push(...namesFromStreamSubjects(algebra, await explorer.streams(entry.id)));
      } catch (e) {
        log().warn(`Publish Sample Event: the streams of ${entry.config.name} could not be listed for names: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return new NameIndex(entries);
  }
}

const BACK = Symbol('back');

type TokenItem = vscode.QuickPickItem & { value?: string; problem?: string };

/** One token in a QuickPick: a listed one, or (for names) one typed in, checked as it is typed. */
function askToken(algebra: CompiledAlgebra, step: SubjectStep, within: readonly string[] | undefined, canGoBack: boolean): Promise<string | typeof BACK | undefined> {
  return new Promise(resolve => {
    const qp = vscode.window.createQuickPick<TokenItem>();
    const listed: TokenItem[] = step.items.map(i => ({ label: i.value, value: i.value, ...(i.detail ? { description: i.detail } : {}) }));
    qp.title = `Publish Sample Event: ${step.title}${step.chosen.length ? ` — ${step.chosen.join('.')}.…` : ''}`;
    qp.placeholder = step.description ?? `The ${step.title.toLowerCase()}`;
    if (step.free) qp.placeholder += listed.length ? ' (pick one, or type a new one)' : ' (type it)';
    qp.ignoreFocusOut = true;
    qp.matchOnDescription = true;
    qp.items = listed;
    if (canGoBack) qp.buttons = [vscode.QuickInputButtons.Back];
    let done = false;
    const finish = (v: string | typeof BACK | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidChangeValue(typed => {
      const v = typed.trim();
      if (!step.free || !v || listed.some(i => i.value === v)) {
        qp.items = listed;
        return;
      }
      const problem = tokenProblem(algebra, step, v, within);
      const own: TokenItem = problem
        ? { label: `$(warning) ${v}`, detail: problem, problem, alwaysShow: true }
        : { label: v, value: v, description: `a new ${step.title.toLowerCase()}`, alwaysShow: true };
      qp.items = [own, ...listed];
    });
    qp.onDidTriggerButton(b => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0] ?? qp.activeItems[0];
      if (picked?.problem) {
        void vscode.window.showWarningMessage(picked.problem);
        return;
      }
      if (picked?.value) finish(picked.value);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

async function chooseAction(draft: SampleDraft, entry: ConnectionEntry | undefined): Promise<'publish' | 'edit' | undefined> {
  const fields = Object.keys(dataOf(draft));
  const pick = await vscode.window.showQuickPick([
    { label: '$(play) Publish', id: 'publish' as const, description: entry ? `on ${entry.config.name}` : 'on the active connection', detail: draft.subject },
    { label: '$(edit) Edit before sending', id: 'edit' as const, description: 'as a .nats block', detail: 'The subject, headers and envelope in a playbook, sent with its Publish lens.' },
  ], {
    title: `Sample ${draft.definition ? `from ${draft.definition}` : 'envelope'}${fields.length ? ` (data: ${fields.join(', ')})` : ''}`,
    ignoreFocusOut: true,
  });
  return pick?.id;
}

/** Appends the block to the active playbook, or opens a new one that names the connection. */
async function openDraft(draft: SampleDraft, entry: ConnectionEntry | undefined): Promise<vscode.Uri> {
  const active = vscode.window.activeTextEditor;
  let editor: vscode.TextEditor;
  let from: number;
  if (active && active.document.languageId === 'nats' && !active.document.isClosed) {
    editor = await vscode.window.showTextDocument(active.document, active.viewColumn);
    const doc = editor.document;
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const text = draftInsertion(draft.block, doc.getText());
    const ok = await editor.edit(b => b.insert(end, text));
    if (!ok) throw new Error(`The sample could not be added to ${vscode.workspace.asRelativePath(doc.uri)}: make it writable, or close it and run the command again for a new playbook.`);
    from = doc.offsetAt(end) + (text.length - draft.block.length);
  } else {
    const content = draftInsertion(draft.block, '', entry?.config.name);
    const doc = await vscode.workspace.openTextDocument({ language: 'nats', content });
    editor = await vscode.window.showTextDocument(doc, { preview: false });
    from = content.length - draft.block.length;
  }
  const doc = editor.document;
  const pubLine = doc.positionAt(from + Math.max(0, draft.block.indexOf('\nPUB ') + 1));
  editor.selection = new vscode.Selection(pubLine, pubLine);
  editor.revealRange(new vscode.Range(pubLine, pubLine), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return doc.uri;
}

function dataOf(draft: SampleDraft): Record<string, unknown> {
  const env = draft.envelope as unknown as Record<string, unknown>;
  const data = env.data ?? env.state;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function entryNamed(registry: ConnectionRegistry, name: string): ConnectionEntry | undefined {
  return registry.entry(name) ?? registry.entries().find(e => e.config.name === name);
}

function isNode(v: unknown): v is ExplorerNode {
  return typeof v === 'object' && v !== null && 'kind' in v && typeof (v as { kind: unknown }).kind === 'string';
}

function isArgs(v: unknown): v is SampleEventArgs {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && !isNode(v) && ['subject', 'connection', 'action', 'confirmed'].some(k => k in v);
}
