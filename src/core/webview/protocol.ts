// What every webview's protocol shares: a message checked against its direction's zod schema, or one sentence saying
// what is wrong with it (the host logs it and ignores the message). The sentence is built here from the issue's data,
// not zod's message, which depends on whether a locale was loaded.
import type * as z from 'zod/mini';

export type Parsed<T> = { ok: true; message: T } | { ok: false; problem: string };

/** Checks `raw` against `schema`; `direction` names it in the sentence ("from the timeline"). */
export function parseMessage<T>(schema: z.ZodMiniType<T>, raw: unknown, direction: string): Parsed<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, message: r.data };
  const type = isRecord(raw) && typeof raw.type === 'string' ? `"${raw.type}" ` : '';
  const issue = r.error.issues[0];
  return { ok: false, problem: `Ignored a ${type}message ${direction}: ${issue ? reason(issue, raw) : 'it does not fit the protocol'}.` };
}

function reason(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = issue.path.map(String).join('.');
  const value = issue.path.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
  const what = path === '' ? 'it' : path;
  switch (issue.code) {
    case 'invalid_type':
      return `${what} should be ${article(issue.expected)} but is ${value === undefined ? 'missing' : kind(value)}`;
    case 'invalid_value':
      return `${what} should be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, not ${JSON.stringify(value) ?? 'nothing'}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `${what} ${JSON.stringify(value) ?? 'missing'} is not one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`
        : `${what} fits none of its forms`;
    default:
      return `${what}: ${issue.message}`;
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return article(typeof v);
}

function article(t: string): string {
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
