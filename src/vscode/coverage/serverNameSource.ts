// Completion names from the connected server: what its streams' subjects name and the event types they hold. Read
// only from a connection that is already connected, cached per connection, dropped when the streams change.
import * as vscode from 'vscode';
import type { NameEntry } from '../../core/complete/names';
import type { NameSource } from '../nameRegistry';
import { settingsFor } from '../platform/configuration';
import type { CountEntry, CoverageService } from './coverageService';
import { serverNameEntries, type CountedStream } from '../../core/coverage/serverNames';

/** Completion waits this long for the first counts after a change; later ones arrive with the next completion. */
const READY_WAIT_MS = 2_000;
/** Streams counted for names at most: the rest still give the names in their subjects. */
const MAX_COUNTED = 16;

export class ServerNameSource implements NameSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private entries: NameEntry[] = [];
  private loaded: { key: string; promise: Promise<void> } | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly service: CoverageService) {
    // the name registry keeps its index until told: every change, even to no names, is told
    this.disposables.push(service.onDidChange(() => {
      this.loaded = undefined;
      this.entries = [];
      this.changed.fire();
    }));
  }

  names(): readonly NameEntry[] {
    return this.entries;
  }

  async ready(): Promise<unknown> {
    if (settingsFor()['coverage.source'] !== 'server' || !this.service.connected()) return undefined;
    const view = await this.service.view();
    const server = view?.server;
    if (!view || !server) return undefined;
    const key = `${server.entryId}\0${server.signature}`;
    if (this.loaded?.key !== key) {
      const counting = server.streams
        .filter(s => s.messages > 0)
        .map(stream => ({ stream, entry: this.service.countsFor(view, stream) }))
        .filter((c): c is { stream: (typeof server.streams)[number]; entry: CountEntry } => !!c.entry)
        .slice(0, MAX_COUNTED);
      const build = () => {
        const counted: CountedStream[] = counting.flatMap(({ stream, entry }) =>
          entry.result ? [{ stream: stream.name, prefix: entry.layout.prefix, ...(entry.layout.domain ? { domain: entry.layout.domain } : {}), counts: entry.result }] : []);
        this.entries = serverNameEntries(view.algebra, server.connection, server.streams, counted);
      };
      build();
      const all = Promise.all(counting.map(c => c.entry.promise));
      const promise = Promise.race([all, new Promise(r => setTimeout(r, READY_WAIT_MS))]).then(build);
      this.loaded = { key, promise };
      // counts slower than completion waits for: their names come with the next completion
      void all.then(() => {
        if (this.loaded?.promise !== promise) return;
        const before = this.entries.length;
        build();
        if (this.entries.length !== before) this.changed.fire();
      });
    }
    return this.loaded.promise;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
