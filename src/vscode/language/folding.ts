// Folding for playbooks: each ### block, and the JSON inside bodies.
import * as vscode from 'vscode';
import { foldingRanges } from '../../core';

export class PlaybookFoldingProvider implements vscode.FoldingRangeProvider {
  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    return foldingRanges(doc.getText()).map(r => new vscode.FoldingRange(r.startLine, r.endLine, r.kind === 'block' ? vscode.FoldingRangeKind.Region : undefined));
  }
}
