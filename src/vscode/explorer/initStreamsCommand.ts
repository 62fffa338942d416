// Initialize CIM Streams…: pick domains and an environment, read the plan as a document, apply it on confirmation.
import * as vscode from 'vscode';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { domainNameProblem, narrowsItems, pickedDomains, typedNames } from '../../core/domain/pickedDomains';
import type { CimStreamPlan, StreamApplyResult } from '../../nats/streams/initStreams';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../platform/commands';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import type { ExplorerTreeProvider } from './explorerTree';
import type { InfoDocumentProvider } from './infoDocuments';
import { assertWritable } from './streamActions';
import { COMMANDS } from '../platform/commandIds';

export const INIT_STREAMS = COMMANDS.streamsInit;

/** Scripted use (and tests): the answers to the prompts; `confirmed` applies without the modal question. */
export interface InitStreamsArgs {
  connection?: string;
  domains?: string[];
  /** Text already typed into the domain picker, which still waits for Enter (a quick fix's suggestion, tests). */
  typed?: string;
  environment?: string;
  scope?: 'environment' | 'all';
  confirmed?: boolean;
}

export function registerInitStreams(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree: ExplorerTreeProvider, info: InfoDocumentProvider, algebraService: AlgebraService, domains: DomainService): void {
  registerCommand(context, INIT_STREAMS, async (arg?: unknown, scripted?: InitStreamsArgs) => {
    const args: InitStreamsArgs = scripted ?? (arg && typeof arg === 'object' && !('kind' in arg) ? (arg as InitStreamsArgs) : {});
    const entry = await resolveEntry(registry, args.connection ?? (arg && typeof arg === 'object' && 'kind' in arg ? arg : undefined), 'Initialize the CIM streams on which connection?');
    if (!entry) return undefined;
    assertWritable(entry, 'creating streams');
    const { algebra } = await algebraService.algebraFor();
    const picked = args.domains ?? (await pickDomains(algebra, await domains.all(), args.typed));
    if (!picked?.length) return undefined;
    const environment = args.environment ?? entry.config.environment ?? (await pickEnvironment([...algebra.environments], settingsFor()['playbook.defaultEnvironment']));
    if (!environment) return undefined;
    let scope = args.scope ?? 'environment';
    const rt = await natsRuntime();
    const session = await registry.session(entry.id);
    for (;;) {
      const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning the CIM streams on ${entry.config.name}…` }, () =>
        rt.planCimStreams(session, algebra, { domains: picked, environment, scope }));
      await info.showReport(entry.config.name, `init-${environment}`, rt.formatPlan(plan));
      const refused = plan.rows.filter(r => r.action === 'refused' && r.suggestion);
      if (refused.length && scope === 'all' && !args.confirmed) {
        const choice = await vscode.window.showWarningMessage(`${refused[0]!.reason} (${refused.length} stream${refused.length === 1 ? '' : 's'})`, { modal: true }, 'Use the Environment-Scoped Form');
        if (choice !== 'Use the Environment-Scoped Form') return plan;
        scope = 'environment';
        continue;
      }
      const work = plan.rows.filter(r => r.action === 'create' || r.action === 'update').length;
      const blocked = plan.rows.filter(r => r.action === 'recreate' || r.action === 'conflict' || r.action === 'refused');
      if (work === 0) {
        if (blocked.length) throw new Error(`Nothing can be applied on ${entry.config.name}: ${blocked[0]!.reason} (see the plan).`);
        void vscode.window.showInformationMessage(summary(plan, 'The server already holds this plan: nothing to do.'));
        return plan;
      }
      const count = (a: string) => plan.rows.filter(r => r.action === a).length;
      const question = `On ${entry.config.name}: create ${count('create')} and update ${count('update')} stream(s) for ${picked.join(', ')} in ${environment}?${entry.config.protected ? ' This connection is protected (production).' : ''}`;
      if (!args.confirmed && (await vscode.window.showWarningMessage(question, { modal: true, detail: summary(plan) }, 'Apply')) !== 'Apply') return plan;
      const results = await apply(rt, session, plan, entry.config.name);
      tree.refresh(entry.id);
      const failed = results.filter(r => r.action === 'failed' || r.action === 'cancelled');
      const text = rt.formatApplyResults(results);
      await info.showReport(entry.config.name, `init-${environment}-result`, `${rt.formatPlan(plan)}\n\n## What was done\n\n${text}\n`);
      if (failed.length) throw new Error(`${failed.length} stream(s) could not be set up on ${entry.config.name}: ${failed[0]!.reason}`);
      if (blocked.length) void vscode.window.showWarningMessage(`Applied what could be; ${blocked.length} stream(s) were left as they are: ${blocked[0]!.reason}`);
      else void vscode.window.showInformationMessage(`The CIM streams for ${picked.join(', ')} (${environment}) are in place on ${entry.config.name}.`);
      return results;
    }
  });
}

function summary(plan: CimStreamPlan, lead = ''): string {
  const by = new Map<string, number>();
  for (const r of plan.rows) by.set(r.action, (by.get(r.action) ?? 0) + 1);
  return `${lead}${lead ? ' ' : ''}${[...by].map(([a, n]) => `${n} ${a}`).join(', ')}.`;
}

async function apply(rt: Awaited<ReturnType<typeof natsRuntime>>, session: Parameters<typeof rt.applyCimStreamPlan>[0], plan: CimStreamPlan, name: string): Promise<StreamApplyResult[]> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Initializing the CIM streams on ${name}`, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const total = plan.rows.length;
      return await rt.applyCimStreamPlan(session, plan, {
        signal: abort.signal,
        onProgress: (r, i) => progress.report({ increment: 100 / total, message: `${r.name}: ${r.action} (${i + 1} of ${total})` }),
      });
    } finally {
      sub.dispose();
    }
  });
}

/**
 * The domains to initialize: the workspace's domain definitions as items (none checked beforehand), and text typed
 * that matches no item read as the domain list. Undefined: cancelled.
 */
function pickDomains(algebra: CompiledAlgebra, definitions: readonly { domain: string; boundedContext?: string }[], typed = ''): Promise<string[] | undefined> {
  const known = [...new Set(definitions.map(d => d.boundedContext ?? d.domain))].filter(d => algebra.nameRe.test(d)).sort();
  const title = 'Domains to initialize';
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  const items: vscode.QuickPickItem[] = known.map(d => ({ label: d, description: 'from a domain definition' }));
  qp.title = title;
  qp.canSelectMany = true;
  qp.ignoreFocusOut = true;
  qp.placeholder = known.length ? 'Check domains with Space, or type names (e.g. billing inventory); Enter plans them' : 'Type domain names, e.g. sales inventory; Enter plans them';
  qp.items = items;
  /** The typed names, shown as an item of their own (or why they cannot be domains) while they match no item. */
  const showTyped = () => {
    const checked = qp.selectedItems;
    const typed = typedNames(qp.value);
    const extra: vscode.QuickPickItem[] = [];
    if (typed.length && !narrowsItems(qp.value, known)) {
      const problem = typed.map(n => domainNameProblem(algebra, n)).find(Boolean);
      extra.push(problem ? { label: `$(error) ${problem}`, alwaysShow: true } : { label: `$(add) ${typed.join(', ')}`, description: 'typed: Enter plans these', alwaysShow: true });
    }
    qp.items = [...items, ...extra];
    qp.selectedItems = checked.filter(c => items.includes(c));
  };
  return new Promise(resolve => {
    let done = false;
    const finish = (v: string[] | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidChangeValue(showTyped);
    qp.onDidAccept(() => {
      const answer = pickedDomains(algebra, qp.selectedItems.filter(i => items.includes(i)).map(i => i.label), qp.value, known);
      if (answer.kind === 'domains') return finish(answer.domains);
      qp.title = answer.kind === 'problem' ? `${title}: ${answer.problem}`
        : answer.kind === 'filter' ? `${title}: check the domain with Space, or type its whole name`
        : `${title}: check or type at least one domain`;
    });
    qp.onDidHide(() => finish(undefined));
    qp.value = typed;
    showTyped();
    qp.show();
  });
}

async function pickEnvironment(environments: string[], preferred: string): Promise<string | undefined> {
  const sorted = [preferred, ...environments.filter(e => e !== preferred)].filter(e => environments.includes(e));
  const pick = await vscode.window.showQuickPick(sorted.map(e => ({ label: e })), { title: 'Environment', ignoreFocusOut: true });
  return pick?.label;
}
