// Test the CIM Setup: one sample of each category per domain, each checked where the algebra says it lands, one
// re-published to prove dedupe; the result as a report opened rendered (its source one click away). What CIM-Start's test-domain-events.sh does.
import * as vscode from 'vscode';
import type { SmokeResult } from '../../nats/smoke/smokeTest';
import type { AlgebraService } from '../algebraService';
import { registerCommand } from '../platform/commands';
import { resolveEntry } from '../connections/connectionCommands';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { DomainService } from '../domainService';
import type { InfoDocumentProvider } from '../explorer/infoDocuments';
import { assertWritable } from '../explorer/streamActions';
import { natsRuntime } from '../platform/natsRuntime';
import { settingsFor } from '../platform/configuration';
import { COMMANDS } from '../platform/commandIds';

export const SMOKE_TEST = COMMANDS.setupTest;

export function registerSmokeCommand(context: vscode.ExtensionContext, registry: ConnectionRegistry, algebraService: AlgebraService, domains: DomainService, info: InfoDocumentProvider): void {
  // (node, { connection, domains, environment }): scripted use skips the prompts
  registerCommand(context, SMOKE_TEST, async (node?: unknown, scripted?: { connection?: string; domains?: string[]; environment?: string }) => {
    const entry = await resolveEntry(registry, scripted?.connection ?? node, 'Test the CIM set-up on which connection?');
    if (!entry) return undefined;
    assertWritable(entry, 'publishing test events');
    const { algebra } = await algebraService.algebraFor();
    const definitions = [...(await domains.all())];
    const known = [...new Set(definitions.map(d => d.boundedContext ?? d.domain))];
    const chosen = scripted?.domains ?? (await vscode.window.showInputBox({
      title: 'Domains to test', prompt: 'Domain names separated by spaces', value: known.join(' ') || 'sales', ignoreFocusOut: true,
      validateInput: v => (v.split(/[\s,]+/).filter(Boolean).every(d => algebra.nameRe.test(d)) ? undefined : 'Domain names are lowercase, e.g. order-history.'),
    }))?.split(/[\s,]+/).filter(Boolean);
    if (!chosen?.length) return undefined;
    const environment = scripted?.environment ?? entry.config.environment ?? settingsFor()['playbook.defaultEnvironment'];
    if (algebra.productionEnvironments.has(environment) || entry.config.protected) {
      const ok = await vscode.window.showWarningMessage(`Publish test events to ${environment} on ${entry.config.name}?`, { modal: true }, 'Publish');
      if (ok !== 'Publish') return undefined;
    }
    const rt = await natsRuntime();
    const session = await registry.session(entry.id);
    const result: SmokeResult = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing the CIM set-up on ${entry.config.name}`, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        // the definitions of the chosen domains only: smokeTest leaves out the others
        return await rt.smokeTest(session, { algebra, environment, domains: chosen, definitions, signal: abort.signal, onRow: r => progress.report({ message: `${r.category}: ${r.status}` }) });
      } finally {
        sub.dispose();
      }
    });
    const streams = [...new Set(result.rows.flatMap(r => (r.stream && r.seq !== undefined ? [r.stream] : [])))];
    if (streams.length) registry.didChangeServer({ connectionId: entry.id, streams, reason: 'set-up test' });
    const failed = result.rows.filter(r => r.status === 'failed').length;
    const warned = result.rows.filter(r => r.status === 'warning').length;
    const mark = { ok: '✓ ok', warning: '⚠ not checked', failed: '✗ failed' } as const;
    const summary = failed
      ? `${failed} of ${result.rows.length} checks failed: see the verdicts.`
      : warned
        ? `Every sample that could be checked landed where the algebra says; ${warned} check${warned === 1 ? '' : 's'} could not be made: see the verdicts.`
        : 'Every sample landed where the algebra says, and the re-publish was a duplicate.';
    const table = [
      `# CIM set-up test on ${entry.config.name} (${environment}: ${chosen.join(', ')})`, '',
      summary, '',
      '| Category | Check | Subject | Stream | Seq | Result |', '|---|---|---|---|---|---|',
      ...result.rows.map(r => `| ${r.category} | ${r.check} | \`${r.subject}\` | ${r.stream ?? '–'} | ${r.seq ?? '–'} | ${mark[r.status]}${r.status === 'ok' ? '' : `: ${cell(r.verdict)}`} |`), '',
    ].join('\n');
    await info.showReport(entry.config.name, `setup-test-${environment}`, table);
    if (failed) void vscode.window.showWarningMessage(`The CIM set-up test on ${entry.config.name} found ${failed} problem${failed === 1 ? '' : 's'}: see the report.`);
    else if (warned) void vscode.window.showWarningMessage(`The CIM set-up on ${entry.config.name} works as far as it could be checked: ${warned} check${warned === 1 ? '' : 's'} could not be made (see the report).`);
    else void vscode.window.showInformationMessage(`The CIM set-up on ${entry.config.name} works: ${result.rows.length} checks passed.`);
    return result;
  });
}

/** A verdict in one table cell: pipes escaped, line breaks joined. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
