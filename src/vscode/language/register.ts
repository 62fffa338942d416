// Registers the language features for .nats files and for subject literals in the configured languages.
import * as vscode from 'vscode';
import type { AlgebraService } from '../algebraService';
import type { DomainService } from '../domainService';
import type { NameRegistry } from '../nameRegistry';
import { settingsFor } from '../platform/configuration';
import { SubjectCodeActionProvider } from './codeActions';
import { SubjectCompletionProvider } from './completion';
import { SubjectDiagnostics } from './diagnostics';
import { PlaybookFoldingProvider } from './folding';
import { SubjectHoverProvider } from './hover';
import { SubjectModel } from './subjectModel';
import { onSettingsChange } from '../platform/configuration';

function selector(): vscode.DocumentSelector {
  return [{ language: 'nats' }, ...settingsFor()['subjects.languages'].map(language => ({ language }))];
}

export function registerLanguageFeatures(context: vscode.ExtensionContext, algebra: AlgebraService, domains: DomainService, names: NameRegistry): SubjectDiagnostics {
  const model = new SubjectModel(algebra);
  const diagnostics = new SubjectDiagnostics(model);
  let providers: vscode.Disposable[] = [];
  const register = () => {
    providers.forEach(p => p.dispose());
    const sel = selector();
    providers = [
      vscode.languages.registerCompletionItemProvider(sel, new SubjectCompletionProvider(algebra, names), '.', '"', "'", '`', ' '),
      vscode.languages.registerHoverProvider(sel, new SubjectHoverProvider(algebra, domains, model)),
      vscode.languages.registerCodeActionsProvider(sel, new SubjectCodeActionProvider(model), { providedCodeActionKinds: SubjectCodeActionProvider.kinds }),
    ];
  };
  register();
  context.subscriptions.push(
    model,
    diagnostics,
    vscode.languages.registerFoldingRangeProvider({ language: 'nats' }, new PlaybookFoldingProvider()),
    { dispose: () => providers.forEach(p => p.dispose()) },
    onSettingsChange(['subjects.languages'], register),
    algebra.onDidChange(() => diagnostics.refreshAll()),
    domains.onDidChange(() => diagnostics.refreshAll()),
  );
  return diagnostics;
}
