// Names for completion from any number of sources (domain definitions now, a live server's streams later).
import type * as vscode from 'vscode';
import { NameIndex, type NameEntry } from '../core';

/** A source of names for completion; the live server's streams are one more of these. */
export interface NameSource {
  readonly onDidChange: vscode.Event<void>;
  /** Resolves once the source has read what it knows. */
  ready(): Promise<unknown>;
  names(): readonly NameEntry[];
}

/** Combines name sources into one index, rebuilt only when a source changes. */
export class NameRegistry implements vscode.Disposable {
  private index: NameIndex | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  constructor(private readonly sources: NameSource[]) {
    for (const s of sources) this.subscriptions.push(s.onDidChange(() => (this.index = undefined)));
  }
  /** A source that comes later (the connected server's names); disposing the result takes it out again. */
  add(source: NameSource): vscode.Disposable {
    this.sources.push(source);
    this.index = undefined;
    const sub = source.onDidChange(() => (this.index = undefined));
    return { dispose: () => {
      sub.dispose();
      const i = this.sources.indexOf(source);
      if (i >= 0) this.sources.splice(i, 1);
      this.index = undefined;
    } };
  }
  async current(): Promise<NameIndex> {
    if (this.index) return this.index;
    await Promise.all(this.sources.map(s => s.ready()));
    this.index ??= new NameIndex(this.sources.flatMap(s => s.names()));
    return this.index;
  }
  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
