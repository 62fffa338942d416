// Style rules (warnings): events in the past tense, commands in the imperative.
import type { TokenSpec } from '../algebra/schema';
import { problem, type Problem, type Span } from '../problem';
import { SAGA_STATES, baseOf, isPastTense, looksImperative, pastOf } from './verbs';

function lastSeparator(text: string): number {
  return Math.max(text.lastIndexOf('-'), text.lastIndexOf('_'));
}

export function checkStyle(spec: TokenSpec, text: string, start: number, out: Problem[]): void {
  if (!spec.style) return;
  if (spec.style === 'imperative') {
    const cut = text.search(/[-_]/);
    if (looksImperative(cut < 0 ? text : text.slice(0, cut))) return;
  } else {
    const last = text.slice(lastSeparator(text) + 1);
    if (isPastTense(last)) return;
    // a phrase such as sent-out or cancelled-by-user carries its verb before the end
    if (lastSeparator(text) >= 0 && text.split(/[-_]/).some(isPastTense)) return;
    if (spec.style === 'past-tense-or-state' && (SAGA_STATES.has(text) || SAGA_STATES.has(last))) return;
  }
  report(spec, text, { start, end: start + text.length }, out);
}

/** The warning, with its fix: only reached for a token that breaks the rule. */
function report(spec: TokenSpec, text: string, span: Span, out: Problem[]): void {
  const parts = text.split(/[-_]/);
  const sep = text.includes('_') ? '_' : '-';
  if (spec.style === 'imperative') {
    const first = parts[0]!;
    const base = baseOf(first);
    const fixed = base && [base, ...parts.slice(1)].join(sep);
    out.push(problem('style/imperative', 'warning', span, `Commands are named in the imperative: "${text}" reads as ${first.endsWith('ing') ? 'a gerund' : 'past tense'}${fixed ? `; write "${fixed}"` : ''}.`,
      fixed ? [{ title: `Rename to "${fixed}"`, ...span, newText: fixed }] : []));
    return;
  }
  const last = parts[parts.length - 1]!;
  const fixed = [...parts.slice(0, -1), pastOf(last)].join(sep);
  const what = spec.style === 'past-tense-or-state' ? 'Saga events are named in the past tense or as a state' : 'Domain events are named in the past tense';
  out.push(problem('style/past-tense', 'warning', span, `${what}: write "${fixed}" instead of "${text}".`, [{ title: `Rename to "${fixed}"`, ...span, newText: fixed }]));
}
