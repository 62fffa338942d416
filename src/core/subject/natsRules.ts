// nats-server's own subject rules, checked before the algebra: they hold whatever the convention.
import { problem, type Problem } from '../problem';
import { SUBJECT_SPACE_RE } from '../text/patterns';

export const MAX_SUBJECT_BYTES = 4096;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}


/**
 * Appends NATS-level problems for `subject` (already split into `tokens`, with `starts` their offsets).
 * Returns false when the subject is structurally broken and the algebra cannot be checked.
 */
export function checkNatsRules(subject: string, tokens: string[], starts: Int32Array, pattern: boolean, out: Problem[]): boolean {
  if (subject.length === 0) {
    out.push(problem('nats/empty-subject', 'error', { start: 0, end: 0 }, 'The subject is empty: write at least one token, e.g. dev.domain.sales.order.created.<uuid>.'));
    return false;
  }
  let ok = true;
  if (subject.length * 3 > MAX_SUBJECT_BYTES && utf8Length(subject) > MAX_SUBJECT_BYTES) {
    out.push(problem('nats/too-long', 'error', { start: 0, end: subject.length }, `The subject is ${utf8Length(subject)} bytes, over the server's ${MAX_SUBJECT_BYTES}-byte control line: shorten it.`));
    ok = false;
  }
  const last = tokens.length - 1;
  // one scan of the whole subject: whitespace is rare, so tokens are searched only when there is some
  const spaced = SUBJECT_SPACE_RE.test(subject);
  for (let i = 0; i <= last; i++) {
    const t = tokens[i]!;
    const start = starts[i]!;
    const end = start + t.length;
    if (t.length === 0) {
      const dot = start === 0 ? { start: 0, end: 1 } : { start: start - 1, end: start };
      const where = i === 0 ? 'starts with a dot' : i === last ? 'ends with a dot' : 'has two dots in a row';
      out.push(problem('nats/empty-token', 'error', dot, `The subject ${where}, which makes an empty token: remove the extra dot.`, [{ title: 'Remove the extra dot', ...dot, newText: '' }]));
      ok = false;
      continue;
    }
    if (t === '*' || t === '>') {
      if (!pattern) {
        out.push(problem('nats/wildcard-in-publish', 'error', { start, end }, `A subject you publish to cannot hold the wildcard ${t}: name a concrete token (wildcards belong in subscriptions and stream filters).`));
        ok = false;
      } else if (t === '>' && i !== last) {
        out.push(problem('nats/full-wildcard-not-last', 'error', { start, end }, 'The wildcard > matches the rest of the subject, so it must be the last token: remove what follows it or use * here.', [
          { title: 'Remove the tokens after >', start: end, end: subject.length, newText: '' },
        ]));
        ok = false;
      }
      continue;
    }
    if (spaced && SUBJECT_SPACE_RE.test(t)) {
      out.push(problem('nats/whitespace', 'error', { start, end }, `The token "${t.trim() || ' '}" holds whitespace, which NATS does not allow in a subject: remove it.`, [
        { title: 'Remove the whitespace', start, end, newText: t.replace(/[ \t\r\n\f]+/g, '') },
      ]));
      ok = false;
    }
  }
  if (ok && subject.charCodeAt(0) === 36 /* $ */) {
    out.push(problem('nats/reserved-prefix', 'warning', { start: 0, end: tokens[0]!.length }, `Subjects starting with $ (${tokens[0]}) are reserved for the server and JetStream APIs: application messages should start with an environment token.`));
    return false;
  }
  return ok;
}
