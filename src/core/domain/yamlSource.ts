// Reading YAML as data without throwing, and finding the line of a path inside it for problems.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlSource {
  /** The document as plain data; absent when the text is not valid YAML. */
  data?: unknown;
  /** A sentence for each syntax problem, with its 0-based line. */
  errors: { message: string; line?: number }[];
  /** 0-based line of the deepest node on the path that exists. */
  lineOf(path: YamlPath): number | undefined;
}

const FIX_BY_CODE: Record<string, string> = {
  DUPLICATE_KEY: 'remove or rename the repeated key',
  BAD_INDENT: 'line the entries up at the same indentation',
  MULTIPLE_DOCS: 'keep one document in the file (remove the extra "---")',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
};

export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { errors: [{ message: `is not readable as YAML (${reason(e)}); fix the syntax` }], lineOf: () => undefined };
  }
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line - 1;
  const lineOf = (path: YamlPath): number | undefined => {
    let node: unknown = doc.contents;
    let line = rangeLine(node, lineAt);
    for (const key of path) {
      let keyNode: unknown;
      if (isMap(node)) {
        // A key's own line: a missing child is then reported on the line of its parent's key.
        const pair = node.items.find(it => isScalar(it.key) && String(it.key.value) === String(key));
        keyNode = pair?.key;
        node = pair?.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = keyNode = node.items[key];
      } else break;
      const l = rangeLine(keyNode, lineAt);
      if (l === undefined) break;
      line = l;
    }
    return line;
  };
  if (doc.errors.length) {
    const errors: YamlSource['errors'] = [];
    for (const e of doc.errors) {
      const line = e.linePos ? e.linePos[0].line - 1 : lineAt(e.pos[0]);
      // One mistake often yields several parser errors on its line: the first says it best.
      if (errors.some(x => x.line === line)) continue;
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/;.*$/, '');
      errors.push({ message: `is not valid YAML: ${what} on line ${line + 1}; ${FIX_BY_CODE[e.code] ?? 'check the indentation and quoting there'}`, line });
    }
    return { errors, lineOf };
  }
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), errors: [], lineOf };
  } catch (e) {
    // Unresolved or exploding aliases only fail when the document is turned into data.
    return { errors: [{ message: `cannot be read as data (${reason(e)}); fix the anchors and aliases (&name, *name)` }], lineOf };
  }
}

function rangeLine(node: unknown, lineAt: (offset: number) => number): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lineAt(range[0]) : undefined;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
