// What to say about a body that is not valid JSON: the likely slip first, the JSON reason otherwise.
import { problem, type Problem } from '../problem';
import { checkJson } from './jsonCheck';
import { isHeaderNameChar, skipBlanks } from './scan';
import type { VariableUse } from './types';

/** Checks the body text[start, end), whose uses are uses[from..] in order, and adds at most one problem. */
export function checkBody(text: string, start: number, end: number, uses: readonly VariableUse[], from: number, problems: Problem[]): void {
  // checkJson asks at increasing offsets, so a cursor over the sorted uses answers without a map.
  let k = from;
  const useEnd = (i: number): number => {
    while (k < uses.length && uses[k]!.range.start < i) k++;
    const u = uses[k];
    return u && u.range.start === i ? u.range.end : -1;
  };
  const err = checkJson(text, start, end, useEnd);
  if (!err) return;
  const first = skipBlanks(text, start, end);
  const c = text.charCodeAt(first);
  const at = { start: err.offset, end: Math.min(err.offset + 1, end) };
  const errLine = lineStartBefore(text, err.offset, start);
  if (text.charCodeAt(err.offset) === 64 && skipBlanks(text, errLine, end) === err.offset) {
    problems.push(problem('playbook/variable-after-verb', 'error', { start: err.offset, end: firstLineEnd(text, err.offset, end) },
      'Variables are defined above a verb line; here this line is read as the body, so move it above the verb or below a new ###.'));
    return;
  }
  if (c === 123 || c === 91) {
    problems.push(problem('playbook/invalid-json-body', 'error', at, `The JSON body is invalid here: ${err.reason}; fix the JSON so it can be sent.`));
    return;
  }
  const lineEnd = firstLineEnd(text, first, end);
  const firstLine = { start: first, end: lineEnd };
  if (looksLikeHeader(text, first, lineEnd)) {
    problems.push(problem('playbook/header-after-blank', 'warning', firstLine,
      'This line follows a blank line, so it is sent as the body, not as a header; remove the blank line above it.'));
  } else {
    problems.push(problem('playbook/text-body', 'info', firstLine,
      'The body is not JSON, so it is sent as plain text; quote it if you meant a JSON string.'));
  }
}

function lineStartBefore(text: string, i: number, floor: number): number {
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

function firstLineEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** `Name: value` with a token-character name; shared with the parser's header recognition. */
export function headerColon(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isHeaderNameChar(text.charCodeAt(i))) i++;
  if (i === start) return -1;
  i = skipBlanks(text, i, end);
  return i < end && text.charCodeAt(i) === 58 ? i : -1;
}

function looksLikeHeader(text: string, start: number, end: number): boolean {
  return headerColon(text, start, end) !== -1;
}
