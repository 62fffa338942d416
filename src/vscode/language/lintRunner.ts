// Lints small documents inline and large ones in a worker thread, so typing in a huge file never stalls the host.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lintText, type CompiledAlgebra, type FileKind, type LintOptions, type SubjectFinding } from '../../core';
import { log } from '../platform/log';
import type { LintRequest } from './lintWorker';

/** Above this many characters a document goes to the worker (about 5,000 lines of code). */
export const WORKER_THRESHOLD = 200_000;

type Pending = { resolve: (f: SubjectFinding[]) => void; reject: (e: Error) => void };

export class LintRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly specs = new WeakMap<CompiledAlgebra, string>();

  constructor(private readonly workerFile = path.join(__dirname, 'lintWorker.js')) {}

  lint(algebra: CompiledAlgebra, text: string, kind: FileKind, options: LintOptions): Promise<SubjectFinding[]> {
    if (text.length < WORKER_THRESHOLD) return Promise.resolve(lintText(algebra, text, kind, options));
    let spec = this.specs.get(algebra);
    if (!spec) this.specs.set(algebra, (spec = JSON.stringify(algebra.spec)));
    const req: LintRequest = { id: this.nextId++, algebra: spec, text, kind, options: { style: options.style, environment: options.environment } };
    return new Promise<SubjectFinding[]>((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.ensureWorker().postMessage(req);
    }).catch((e: Error) => {
      // the worker is an optimisation: if it fails, the same work is done inline
      log().warn(`Linting in the worker failed (${e.message}); linting inline.`);
      return lintText(algebra, text, kind, options);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerFile);
    w.unref();
    w.on('message', (m: { id: number; findings?: SubjectFinding[]; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.findings) p?.resolve(m.findings);
      else p?.reject(new Error(m.error ?? 'no result'));
    });
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = undefined;
    };
    w.on('error', fail);
    w.on('exit', code => code !== 0 && fail(new Error(`worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
