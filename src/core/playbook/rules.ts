// The rules a playbook block is run by, pure: its errors (the lens and the runner ask the same function), the message
// it resolves to, whether it needs a confirmation, how often it repeats and the event id that becomes its Nats-Msg-Id.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { Problem } from '../problem';
import { validateSubject } from '../subject/validate';
import { formatCount } from '../text/format';
import { evaluateScope, resolveVariables } from './resolve';
import type { InvalidBlock, PreparedSend } from './results';
import type { Builtins, Playbook, PlaybookBlock } from './types';
import { parseDuration } from './verbLine';

export const MAX_REPEAT = 1_000_000;

/**
 * A sentence to confirm before publishing to a production environment's subject or through a protected connection,
 * or undefined when no confirmation is due.
 */
export function needsConfirmation(subject: string, algebra: CompiledAlgebra, connectionProtected: boolean, server = 'the server'): string | undefined {
  const env = algebra.environmentIndex >= 0 ? subject.split('.')[algebra.environmentIndex] : undefined;
  if (env !== undefined && algebra.productionEnvironments.has(env)) return `"${subject}" is a production subject (${env}) on ${server}: publish?`;
  if (connectionProtected) return `${server} is a protected connection: publish to "${subject}"?`;
  return undefined;
}

/** `repeat=N interval=D` from the verb line's options (the parser keeps options it does not know). */
export function repeatOf(block: PlaybookBlock): { count: number; intervalMs: number; given: boolean } | { reason: string } {
  const opt = (name: string) => block.options.find(o => o.name === name)?.value;
  const r = opt('repeat');
  const iv = opt('interval');
  let count = 1;
  if (r !== undefined) {
    if (!/^\d{1,7}$/.test(r) || Number(r) < 1 || Number(r) > MAX_REPEAT) return { reason: `repeat takes a number of sends from 1 to ${formatCount(MAX_REPEAT)}, not "${r}".` };
    count = Number(r);
  }
  let intervalMs = 0;
  if (iv !== undefined) {
    const ms = parseDuration(iv);
    if (ms === undefined) return { reason: `interval takes a positive duration such as 250ms, 2s or 1m, not "${iv}".` };
    intervalMs = ms;
  }
  return { count, intervalMs, given: r !== undefined };
}

/** Error problems of the parse that stop this block: inside it, or in a variable definition it uses. */
export function blockErrors(playbook: Playbook, block: PlaybookBlock): Problem[] {
  // A parsed playbook does not change: a repeat asks for the same block's errors at every send.
  let byBlock = blockErrorCache.get(playbook);
  if (!byBlock) blockErrorCache.set(playbook, (byBlock = new WeakMap()));
  let errors = byBlock.get(block);
  if (!errors) byBlock.set(block, (errors = findBlockErrors(playbook, block)));
  return errors;
}

const blockErrorCache = new WeakMap<Playbook, WeakMap<PlaybookBlock, Problem[]>>();

function findBlockErrors(playbook: Playbook, block: PlaybookBlock): Problem[] {
  const spans = [block.range, ...block.variablesInScope.filter(d => !within(d.range, block.range)).map(d => d.range)];
  return playbook.problems.filter(p => p.severity === 'error' && spans.some(s => p.start >= s.start && p.start < Math.max(s.end, s.start + 1)));
}

/**
 * The block resolved for one send, or why it cannot be sent: its parse errors, an undefined variable, a subject the
 * algebra refuses, a JSON body its values break. The lens asks this before it offers Publish; the runner before it sends.
 */
export function prepareBlock(playbook: Playbook, block: PlaybookBlock, algebra: CompiledAlgebra, builtins: Builtins): PreparedSend | InvalidBlock {
  const problems = blockErrors(playbook, block);
  if (problems.length) return { kind: 'invalid', reason: problems[0]!.message, problems };
  // resolveBlock's steps, kept apart: the evaluated values also tell whether the JSON body needs parsing again.
  const values = evaluateScope(block.variablesInScope, builtins);
  const unresolved: string[] = [];
  const fill = (text: string): string => {
    const r = resolveVariables(text, values, builtins);
    for (const n of r.unresolved) if (!unresolved.includes(n)) unresolved.push(n);
    return r.value;
  };
  const subject = fill(block.subject);
  const headers = block.headers.map(h => ({ name: h.name, value: fill(h.value) }));
  const body = block.body ? fill(block.body.text) : undefined;
  if (unresolved.length) {
    const names = unresolved.map(n => `{{${n}}}`).join(', ');
    return invalid(`${names} ${unresolved.length > 1 ? 'are' : 'is'} not defined: add "@${unresolved[0]} = value" above the request.`);
  }
  const pattern = block.verb === 'SUB';
  const subjectError = validateSubject(algebra, subject, { pattern, style: false }).find(p => p.severity === 'error');
  if (subjectError) return invalid(`"${subject}" is not a valid ${pattern ? 'pattern' : 'subject'}: ${subjectError.message}`);
  if (body !== undefined && /^\s*[{[]/.test(body) && !stillValidJson(block, values, builtins.env)) {
    try {
      JSON.parse(body);
    } catch (e) {
      return invalid(`The JSON body is invalid once its variables are filled in (${(e as Error).message}): fix the JSON or the variable's value.`);
    }
  }
  const out: PreparedSend = { verb: block.verb, subject, headers };
  if (body !== undefined) out.body = body;
  const msgID = headers.find(isMsgIdHeader)?.value || eventIdOf(algebra, subject);
  if (msgID) out.msgID = msgID;
  if (block.timeoutMs !== undefined) out.timeoutMs = block.timeoutMs;
  return out;
}

/** The subject's own message id: the last token when its category ends in a UUID (a snapshot's names its aggregate). */
export function eventIdOf(algebra: CompiledAlgebra, subject: string): string | undefined {
  // Called once per send on a subject the validator passed: the category token and the token count are enough.
  let start = 0;
  for (let i = 0; i < algebra.categoryIndex && start >= 0; i++) start = subject.indexOf('.', start) + 1 || -1;
  if (start < 0) return undefined;
  const end = subject.indexOf('.', start);
  const category = algebra.categories.get(subject.slice(start, end < 0 ? subject.length : end));
  const last = category?.tokens[category.tokens.length - 1];
  if (!category || !last || last.rule !== 'uuid' || category.envelope === 'snapshot') return undefined;
  let dots = 0;
  for (let i = subject.indexOf('.'); i >= 0; i = subject.indexOf('.', i + 1)) dots++;
  return dots === algebra.categoryIndex + category.tokens.length ? subject.slice(subject.lastIndexOf('.') + 1) : undefined;
}

export function isMsgIdHeader(h: { name: string }): boolean {
  return h.name.length === 11 && h.name.toLowerCase() === 'nats-msg-id';
}

function invalid(reason: string): InvalidBlock {
  return { kind: 'invalid', reason, problems: [] };
}

function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** Per block: whether every {{use}} in its JSON body sits inside a JSON string. */
const usesQuoted = new WeakMap<PlaybookBlock, boolean>();

/**
 * True when the resolved body is valid JSON without parsing it again: the parser passed the template, each use sits
 * inside a string, and no value puts a quote, backslash or control character there ({{uuid}} and {{now}} never do).
 */
function stillValidJson(block: PlaybookBlock, values: ReadonlyMap<string, string>, env: string): boolean {
  let quoted = usesQuoted.get(block);
  if (quoted === undefined) usesQuoted.set(block, (quoted = usesInsideStrings(block.body?.text ?? '')));
  if (!quoted || hasJsonSpecial(env)) return false;
  for (const v of values.values()) if (hasJsonSpecial(v)) return false;
  return true;
}

function hasJsonSpecial(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return true;
  }
  return false;
}

function usesInsideStrings(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString && c === 92) i++;
    else if (c === 34) inString = !inString;
    else if (!inString && c === 123 && text.charCodeAt(i + 1) === 123) return false;
  }
  return true;
}
