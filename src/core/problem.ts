// Problems are data: core code reports them, it never throws on user input.

export type Severity = 'error' | 'warning' | 'info';

/** A half-open range of UTF-16 offsets [start, end) into the text the problem is about. */
export interface Span {
  start: number;
  end: number;
}

/** A machine-usable fix: replace [start, end) with newText. */
export interface Fix extends Span {
  title: string;
  newText: string;
}

export interface Problem extends Span {
  /** Stable code, e.g. `nats/empty-token` or `algebra/unknown-category`. */
  code: string;
  severity: Severity;
  /** One sentence that names the problem and the fix. */
  message: string;
  fixes: Fix[];
}

export function problem(code: string, severity: Severity, span: Span, message: string, fixes: Fix[] = []): Problem {
  return { code, severity, start: span.start, end: span.end, message, fixes };
}
