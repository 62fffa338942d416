// Runs in a worker thread: large documents are linted here so the extension host's event loop stays free.
import { parentPort } from 'node:worker_threads';
import { AlgebraSchema, compileAlgebra, lintText, type Algebra, type CompiledAlgebra, type FileKind, type LintOptions } from '../../core';

export interface LintRequest {
  id: number;
  /** The algebra's JSON: compiled once per distinct text. */
  algebra: string;
  text: string;
  kind: FileKind;
  options: Omit<LintOptions, 'newUuid'>;
}

let last: { key: string; algebra: CompiledAlgebra } | undefined;

parentPort?.on('message', (req: LintRequest) => {
  try {
    if (last?.key !== req.algebra) last = { key: req.algebra, algebra: compileAlgebra(AlgebraSchema.parse(JSON.parse(req.algebra)) as Algebra) };
    parentPort!.postMessage({ id: req.id, findings: lintText(last.algebra, req.text, req.kind, req.options) });
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) });
  }
});
