// Initialize CIM Streams…: pick domains and an environment, read the plan as a document, apply it on confirmation.
import * as vscode from 'vscode';
import type { CimStreamPlan, StreamApplyResult } from '../../nats/streams/initStreams';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../commands';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import { natsRuntime } from '../natsRuntime';
import { settingsFor } from '../settings';
import type { ExplorerTreeProvider } from './explorerTree';
import type { InfoDocumentProvider } from './infoDocuments';
import { assertWritable } from './streamActions';

export const INIT_STREAMS = 'cimNats.streams.init';

/** Scripted use (and tests): the answers to the prompts; `confirmed` applies without the modal question. */
export interface InitStreamsArgs {
  connection?: string;
  domains?: string[];
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
    const picked = args.domains ?? (await pickDomains(algebra.nameRe, await domains.all()));
    if (!picked?.length) return undefined;
    const environment = args.environment ?? entry.config.environment ?? (await pickEnvironment([...algebra.environments], settingsFor()['playbook.defaultEnvironment']));
    if (!environment) return undefined;
    let scope = args.scope ?? 'environment';
    const rt = await natsRuntime();
    const session = await registry.session(entry.id);
    for (;;) {
      const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning the CIM streams on ${entry.config.name}…` }, () =>
        rt.planCimStreams(session, algebra, { domains: picked, environment, scope }));
      await info.show(entry.config.name, `init-${environment}`, rt.formatPlan(plan), 'markdown');
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
      await info.show(entry.config.name, `init-${environment}-result`, `${rt.formatPlan(plan)}\n\n## What was done\n\n${text}\n`, 'markdown');
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

async function pickDomains(nameRe: RegExp, definitions: readonly { domain: string; boundedContext?: string }[]): Promise<string[] | undefined> {
  const known = [...new Set(definitions.map(d => d.boundedContext ?? d.domain))].filter(d => nameRe.test(d));
  const TYPE = '$(edit) Type domain names…';
  if (known.length) {
    const picks = await vscode.window.showQuickPick([...known.map(d => ({ label: d, picked: true, description: 'from a domain definition' })), { label: TYPE }], { title: 'Domains to initialize', canPickMany: true, ignoreFocusOut: true });
    if (!picks) return undefined;
    const chosen = picks.filter(p => p.label !== TYPE).map(p => p.label);
    if (!picks.some(p => p.label === TYPE)) return chosen;
    const typed = await typeDomains(nameRe);
    return typed ? [...chosen, ...typed] : undefined;
  }
  return typeDomains(nameRe);
}

async function typeDomains(nameRe: RegExp): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Domains to initialize',
    prompt: 'Domain names separated by spaces or commas, e.g. sales inventory customer',
    ignoreFocusOut: true,
    validateInput: v => {
      const names = v.split(/[\s,]+/).filter(Boolean);
      if (!names.length) return 'Enter at least one domain.';
      const bad = names.find(n => !nameRe.test(n));
      return bad ? `"${bad}" is not a domain name of the algebra (lowercase, e.g. order-history).` : undefined;
    },
  });
  return text?.split(/[\s,]+/).filter(Boolean);
}

async function pickEnvironment(environments: string[], preferred: string): Promise<string | undefined> {
  const sorted = [preferred, ...environments.filter(e => e !== preferred)].filter(e => environments.includes(e));
  const pick = await vscode.window.showQuickPick(sorted.map(e => ({ label: e })), { title: 'Environment', ignoreFocusOut: true });
  return pick?.label;
}
