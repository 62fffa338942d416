// The verb line: `PUB <subject> [repeat=N] [interval=<duration>]`, `SUB <pattern>`, `REQ <subject> [timeout=<duration>] [repeat=N] [interval=<duration>]`.
import { problem, type Problem } from '../problem';
import { isBlank, nameEnd, skipBlanks, trimEnd, wordEnd } from './scan';
import type { Verb, VerbOption } from './types';

/** The options each verb accepts; values are checked by `checkOption`. */
const OPTIONS: Record<Verb, readonly string[]> = { PUB: ['repeat', 'interval'], SUB: [], REQ: ['timeout', 'repeat', 'interval'] };

const DURATION_UNITS = new Map([['ms', 1], ['s', 1000], ['m', 60_000]]);

export interface VerbLine {
  verb: Verb;
  verbStart: number;
  verbEnd: number;
  subjectStart: number;
  subjectEnd: number;
  options: VerbOption[];
  timeoutMs?: number;
}

/** The verb a line starts with, when its first word is exactly PUB, SUB or REQ. */
export function verbAt(text: string, start: number, end: number): Verb | undefined {
  if (start + 3 > end || (start + 3 < end && !isBlank(text.charCodeAt(start + 3)))) return undefined;
  const w = text.slice(start, start + 3);
  return w === 'PUB' || w === 'SUB' || w === 'REQ' ? w : undefined;
}

/** The verb a mistyped word most likely meant, for a quick fix. */
export function suggestVerb(word: string): Verb | undefined {
  const w = word.toUpperCase();
  if (w === 'PUB' || w === 'SUB' || w === 'REQ') return w;
  if (w.startsWith('PUB') || w === 'SEND' || w === 'POST' || w === 'EMIT') return 'PUB';
  if (w.startsWith('SUB') || w === 'TAIL' || w === 'LISTEN' || w === 'WATCH') return 'SUB';
  if (w.startsWith('REQ') || w === 'ASK' || w === 'CALL') return 'REQ';
  return undefined;
}

/** Parses a line known to start (at `start`, first non-blank) with a verb; `end` is the line's content end. */
export function parseVerbLine(text: string, verb: Verb, start: number, end: number, problems: Problem[]): VerbLine {
  const verbEnd = start + 3;
  const subjectStart = skipBlanks(text, verbEnd, end);
  const subjectEnd = wordEnd(text, subjectStart, end);
  const line: VerbLine = { verb, verbStart: start, verbEnd, subjectStart, subjectEnd, options: [] };
  if (subjectStart === subjectEnd) {
    const example = verb === 'SUB' ? 'SUB {{env}}.domain.sales.>' : `${verb} {{env}}.command.sales.order.create`;
    problems.push(problem('playbook/missing-subject', 'error', { start, end: verbEnd },
      `${verb} needs a ${verb === 'SUB' ? 'pattern' : 'subject'} after it, e.g. \`${example}\`.`));
    return line;
  }
  let i = subjectEnd;
  for (;;) {
    const ws = i;
    i = skipBlanks(text, i, end);
    if (i >= end) break;
    const we = wordEnd(text, i, end);
    const ne = nameEnd(text, i, we);
    if (ne === i || ne >= we || text.charCodeAt(ne) !== 61 || ne + 1 === we) {
      const rest = { start: i, end: trimEnd(text, i, end) };
      problems.push(problem('playbook/extra-text', 'error', rest,
        `A subject holds no spaces: remove "${text.slice(rest.start, rest.end)}" or join it to the subject with a dot.`,
        [{ title: 'Remove the text after the subject', start: ws, end: rest.end, newText: '' }]));
      break;
    }
    const opt: VerbOption = {
      name: text.slice(i, ne), value: text.slice(ne + 1, we),
      range: { start: i, end: we }, nameRange: { start: i, end: ne }, valueRange: { start: ne + 1, end: we },
    };
    const remove = [{ title: `Remove ${opt.name}=${opt.value}`, start: ws, end: we, newText: '' }];
    if (!OPTIONS[verb].includes(opt.name)) {
      const known = OPTIONS[verb].length ? `${verb} knows only ${OPTIONS[verb].map(o => `${o}=`).join(', ')}` : `${verb} takes no options`;
      problems.push(problem('playbook/unknown-option', 'warning', opt.range, `${known}: "${opt.name}=${opt.value}" is ignored; remove it.`, remove));
    } else if (opt.name === 'repeat') {
      // repeat=N sends N messages, each with fresh built-ins (the runner reads it from the options)
      if (!/^[1-9]\d{0,6}$/.test(opt.value)) {
        problems.push(problem('playbook/invalid-option', 'error', opt.valueRange, `repeat takes a whole number of sends from 1 to 9999999, not "${opt.value}".`));
      }
    } else {
      const ms = parseDuration(opt.value);
      if (ms === undefined) {
        problems.push(problem('playbook/invalid-option', 'error', opt.valueRange,
          `${opt.name} takes a positive duration such as 500ms, 2s or 1m, not "${opt.value}".`));
      } else if (opt.name === 'timeout') line.timeoutMs = ms;
    }
    line.options.push(opt);
    i = we;
  }
  return line;
}

/** `<digits>(ms|s|m)` in milliseconds, or undefined when malformed or zero. */
export function parseDuration(value: string): number | undefined {
  let k = 0;
  while (k < value.length && value.charCodeAt(k) >= 48 && value.charCodeAt(k) <= 57) k++;
  const unit = DURATION_UNITS.get(value.slice(k));
  if (k === 0 || k > 9 || unit === undefined) return undefined;
  const ms = Number(value.slice(0, k)) * unit;
  return ms > 0 ? ms : undefined;
}
