// Reading an algebra file: a broken one yields errors naming the path and the reason, and the default.
import { AlgebraSchema } from './schema';
import { compileAlgebra, preset, type CompiledAlgebra } from './compiled';

export interface AlgebraLoadError {
  /** JSON path inside the file, e.g. `categories[0].tokens[2].rule`, or '' for the whole file. */
  path: string;
  message: string;
  /** 0-based line of the offending value where it could be found. */
  line?: number;
}

export interface AlgebraLoadResult {
  algebra: CompiledAlgebra;
  /** Empty when the file was used; otherwise why the built-in default stands in. */
  errors: AlgebraLoadError[];
  usedFallback: boolean;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Parses the text of an algebra file; on any error falls back to the default (or given) algebra. */
export function loadAlgebraText(text: string, fallback: CompiledAlgebra = preset()): AlgebraLoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { algebra: fallback, usedFallback: true, errors: [{ path: '', message: `not valid JSON (${msg}); fix the syntax`, line: jsonErrorLine(text, msg) }] };
  }
  const parsed = AlgebraSchema.safeParse(json);
  if (parsed.success) return { algebra: compileAlgebra(parsed.data), errors: [], usedFallback: false };
  const errors = parsed.error.issues.map(i => {
    const path = formatPath(i.path);
    return { path, message: i.message, line: lineOfPath(text, i.path) };
  });
  return { algebra: fallback, usedFallback: true, errors };
}

function jsonErrorLine(text: string, msg: string): number | undefined {
  const m = /position (\d+)/.exec(msg);
  if (!m) return undefined;
  return text.slice(0, Number(m[1])).split('\n').length - 1;
}

/** Best-effort line of a JSON path: the line of the last named key on the path. */
function lineOfPath(text: string, path: ReadonlyArray<PropertyKey>): number | undefined {
  const keys = path.filter((p): p is string => typeof p === 'string');
  let from = 0;
  for (const k of keys) {
    const at = text.indexOf(`"${k}"`, from);
    if (at < 0) break;
    from = at;
  }
  return keys.length && from > 0 ? text.slice(0, from).split('\n').length - 1 : undefined;
}
