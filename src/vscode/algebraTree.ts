// The "Subject Algebra" view: environments, categories with their patterns, tokens and streams.
import * as vscode from 'vscode';
import { categoryPattern, type CategorySpec, type TokenSpec } from '../core';
import type { ActiveAlgebra, AlgebraService } from './algebraService';

type Node =
  | { kind: 'source'; active: ActiveAlgebra }
  | { kind: 'environments'; active: ActiveAlgebra }
  | { kind: 'environment'; name: string; production: boolean }
  | { kind: 'category'; active: ActiveAlgebra; category: CategorySpec }
  | { kind: 'token'; token: TokenSpec; position: number }
  | { kind: 'stream'; category: CategorySpec };

export class AlgebraTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: AlgebraService) {
    this.subscription = service.onDidChange(() => this.changed.fire());
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const active = await this.service.algebraFor();
      const roots: Node[] = [{ kind: 'source', active }];
      if (active.algebra.environments.size) roots.push({ kind: 'environments', active });
      for (const category of active.algebra.spec.categories) roots.push({ kind: 'category', active, category });
      return roots;
    }
    if (node.kind === 'environments') {
      const prod = node.active.algebra.productionEnvironments;
      return node.active.algebra.spec.environments.map(name => ({ kind: 'environment', name, production: prod.has(name) }));
    }
    if (node.kind === 'category') {
      const all = [...node.active.algebra.spec.prefix, { role: 'category', rule: 'enum', values: [node.category.name] } as TokenSpec, ...node.category.tokens];
      const children: Node[] = all.map((token, position) => ({ kind: 'token', token, position }));
      if (node.category.stream) children.push({ kind: 'stream', category: node.category });
      return children;
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        const broken = node.active.errors.length > 0;
        const item = new vscode.TreeItem(node.active.algebra.spec.name);
        item.description = broken ? `${node.active.source} (file invalid: ${node.active.errors[0]?.message})` : node.active.source;
        item.tooltip = node.active.algebra.spec.description;
        item.iconPath = new vscode.ThemeIcon(broken ? 'warning' : 'symbol-namespace');
        item.contextValue = 'algebra';
        if (node.active.fileUri && broken) item.command = { command: 'vscode.open', title: 'Open', arguments: [node.active.fileUri] };
        return item;
      }
      case 'environments': {
        const item = new vscode.TreeItem('Environments', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = node.active.algebra.spec.environments.join(', ');
        item.iconPath = new vscode.ThemeIcon('globe');
        return item;
      }
      case 'environment': {
        const item = new vscode.TreeItem(node.name);
        item.description = node.production ? 'production: publishing asks first' : undefined;
        item.iconPath = new vscode.ThemeIcon(node.production ? 'shield' : 'circle-outline');
        return item;
      }
      case 'category': {
        const item = new vscode.TreeItem(node.category.title ?? node.category.name, vscode.TreeItemCollapsibleState.Collapsed);
        const pattern = categoryPattern(node.active.algebra, node.category);
        item.description = pattern;
        item.tooltip = new vscode.MarkdownString(`**${node.category.title ?? node.category.name}**\n\n\`${pattern}\`\n\n${node.category.description ?? ''}`);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'category';
        item.id = `category:${node.category.name}`;
        return item;
      }
      case 'token': {
        const rule = node.token.rule === 'enum' ? (node.token.values ?? []).join(' | ') : node.token.rule;
        const item = new vscode.TreeItem(`${node.position}: ${node.token.role}`);
        item.description = node.token.style ? `${rule}, ${node.token.style}` : rule;
        item.tooltip = node.token.description;
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        return item;
      }
      case 'stream': {
        const s = node.category.stream!;
        const item = new vscode.TreeItem(`Stream ${s.name}`);
        item.description = `${s.subjects} · ${s.storage} · ${s.retention}${s.maxAge ? ' · ' + s.maxAge : ''}`;
        item.iconPath = new vscode.ThemeIcon('database');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
