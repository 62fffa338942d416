// What a tail's channel shows, read back: the subjects and sequences of the messages shown, and the skips it said.
import { eventually } from './eventually';

/** The subjects of the messages shown, in order (each block starts with its title line). */
export function subjectsShown(lines: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^(?:#\d+ {2})?(?:\S+Z {2})?(\S+) {2}\d/.exec(l);
    if (m && m[1]!.startsWith(prefix)) out.push(m[1]!);
  }
  return out;
}

/** The stream sequences of the messages shown, in order. */
export function seqsShown(lines: readonly string[]): number[] {
  return lines.flatMap(l => (/^#(\d+) {2}/.exec(l) ? [Number(/^#(\d+)/.exec(l)![1])] : []));
}

/** The messages the "… skipped N messages" lines add up to. */
export function skippedSaid(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) {
    const m = /^… skipped ([\d,]+) messages? \(([\d,]+) msgs\/s\)$/.exec(l);
    if (m) n += Number(m[1]!.replace(/,/g, ''));
  }
  return n;
}

/** `eventually` for a condition on what a tail shows, polled every 20 ms. */
export async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  await eventually(what, cond, { timeoutMs: ms, intervalMs: 20 });
}
