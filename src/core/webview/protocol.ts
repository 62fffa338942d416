// What every webview's protocol shares: a message checked against its direction's zod schema, or one sentence saying
// what is wrong with it (the host logs it and ignores the message).
import type * as z from 'zod/mini';

export type Parsed<T> = { ok: true; message: T } | { ok: false; problem: string };

/** Checks `raw` against `schema`; `direction` names it in the sentence ("from the timeline"). */
export function parseMessage<T>(schema: z.ZodMiniType<T>, raw: unknown, direction: string): Parsed<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, message: r.data };
  const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? `"${(raw as { type: string }).type}" ` : '';
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return { ok: false, problem: `Ignored a ${type}message ${direction}: ${issue?.message ?? 'it does not fit the protocol'}${where}.` };
}
