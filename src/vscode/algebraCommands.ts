// Commands about the algebra itself: reload, switch preset, write the preset out as a file to customise.
import * as vscode from 'vscode';
import { PRESETS, isPresetId } from '../core';
import type { AlgebraService } from './algebraService';
import { registerCommand } from './platform/commands';
import { settingsFor } from './platform/configuration';
import { COMMANDS } from './platform/commandIds';

export function registerAlgebraCommands(context: vscode.ExtensionContext, service: AlgebraService): void {
  registerCommand(context, COMMANDS.algebraReload, async () => {
    await service.reload();
    const active = await service.algebraFor();
    void vscode.window.showInformationMessage(`CIM NATS uses the algebra "${active.algebra.spec.name}" (${active.source}).`);
  });

  registerCommand(context, COMMANDS.algebraSelectPreset, async () => {
    const current = settingsFor()['algebra.preset'];
    const pick = await vscode.window.showQuickPick(
      Object.entries(PRESETS).map(([id, p]) => ({ label: id, description: id === current ? 'current' : undefined, detail: p.description })),
      { title: 'Subject algebra preset', placeHolder: 'The algebra used when the workspace has no algebra file' },
    );
    if (!pick || !isPresetId(pick.label)) return;
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('cimNats').update('algebra.preset', pick.label, target);
  });

  registerCommand(context, COMMANDS.algebraCustomize, async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('Open a folder first: the algebra file lives in the workspace.');
    const settings = settingsFor(folder);
    const uri = vscode.Uri.joinPath(folder.uri, settings['algebra.file']);
    const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    if (!exists) {
      const base = PRESETS[settings['algebra.preset']];
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(base, null, 2) + '\n'));
    }
    await vscode.window.showTextDocument(uri);
  });
}
