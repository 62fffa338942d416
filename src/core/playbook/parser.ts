// `.nats` playbook text -> blocks, variables and problems, in one pass over the lines. Never throws.
import { problem, type Problem, type Span } from '../problem';
import { checkBody, headerColon } from './body';
import { ScopeTracker } from './scope';
import { forEachUse, nameEnd, skipBlanks, trimEnd, wordEnd, type MalformedUse } from './scan';
import type { Header, Playbook, PlaybookBlock, VariableDef, Verb } from './types';
import { parseVerbLine, suggestVerb, verbAt, type VerbLine } from './verbLine';

type State = 'pre' | 'headers' | 'body' | 'sub' | 'skip';

interface OpenBlock {
  start: number;
  title?: string;
  titleRange?: Span;
  state: State;
  verb?: VerbLine;
  scope: VariableDef[];
  headers: Header[];
  /** Body (or, after SUB, stray lines): first content line's start and last content line's end, -1 when none. */
  bodyStart: number;
  bodyEnd: number;
}

export function parsePlaybook(text: string): Playbook {
  return new PlaybookParser(text).run();
}

class PlaybookParser {
  private readonly problems: Problem[] = [];
  private readonly blocks: PlaybookBlock[] = [];
  private readonly scope = new ScopeTracker();
  private readonly malformed: MalformedUse[] = [];
  private readonly eol: string;
  private open: OpenBlock = blank(0);

  constructor(private readonly text: string) {
    const nl = text.indexOf('\n');
    this.eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
  }

  run(): Playbook {
    const { text } = this;
    const n = text.length;
    // Native indexOf finds line breaks far faster than a char loop; a lone CR (old Mac) is a break too.
    let nextLf = text.indexOf('\n');
    let nextCr = text.indexOf('\r');
    let pos = 0;
    for (;;) {
      if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
      const e = nextCr !== -1 && (nextLf === -1 || nextCr < nextLf) ? nextCr : nextLf;
      if (e === -1) {
        this.line(pos, n);
        break;
      }
      this.line(pos, e);
      pos = e === nextCr && nextLf === e + 1 ? e + 2 : e + 1;
    }
    this.close(n);
    for (const m of this.malformed) this.problems.push(malformedProblem(m));
    for (const p of this.scope.undefinedProblems(text)) this.problems.push(p);
    this.problems.sort((a, b) => a.start - b.start);
    return { blocks: this.blocks, variables: this.scope.all, variableUses: this.scope.uses, problems: this.problems };
  }

  /** One line: [ls, le) is its content without the line break. */
  private line(ls: number, le: number): void {
    const { text } = this;
    const b = this.open;
    const f = skipBlanks(text, ls, le);
    const c = text.charCodeAt(f);
    if (c === 35 && text.startsWith('###', f)) {
      this.close(ls);
      this.open = blank(ls);
      let t = f;
      while (t < le && text.charCodeAt(t) === 35) t++;
      t = skipBlanks(text, t, le);
      const te = trimEnd(text, t, le);
      if (te > t) {
        this.open.title = text.slice(t, te);
        this.open.titleRange = { start: t, end: te };
      }
      return;
    }
    const blankLine = f === le;
    if (blankLine || c === 35) {
      if (blankLine && b.state === 'headers') b.state = 'body';
      // A `#` line inside a started body stays body text unless nothing but blanks and comments follow it.
      return;
    }
    const verb = verbAt(text, f, le);
    if (verb && b.state !== 'pre' && b.state !== 'skip') {
      this.problems.push(problem('playbook/two-verbs', 'error', { start: f, end: f + 3 },
        `A block holds one request: put a ### line above this ${verb} to start a new block.`,
        [{ title: 'Start a new block here', start: ls, end: ls, newText: `###${this.eol}` }]));
      this.close(ls);
      this.open = blank(ls);
      this.verbLine(verb, f, le);
      return;
    }
    switch (b.state) {
      case 'pre':
        if (verb) this.verbLine(verb, f, le);
        else if (c === 64) this.variable(f, le);
        else this.notAVerb(f, le);
        return;
      case 'skip':
        if (verb) this.verbLine(verb, f, le);
        return;
      case 'headers':
        if (this.header(f, le)) return;
        b.state = 'body';
        break;
      case 'sub':
      case 'body':
        break;
    }
    if (b.bodyStart < 0) b.bodyStart = b.state === 'sub' ? f : ls;
    b.bodyEnd = trimEnd(text, f, le);
  }

  private verbLine(verb: Verb, f: number, le: number): void {
    const b = this.open;
    b.verb = parseVerbLine(this.text, verb, f, trimEnd(this.text, f, le), this.problems);
    this.uses(b.verb.subjectStart, b.verb.subjectEnd);
    b.scope = this.scope.atVerb();
    b.state = verb === 'SUB' ? 'sub' : 'headers';
  }

  private variable(f: number, le: number): void {
    const { text } = this;
    const ne = nameEnd(text, f + 1, le);
    const eq = skipBlanks(text, ne, le);
    const end = trimEnd(text, f, le);
    if (ne === f + 1 || eq >= le || text.charCodeAt(eq) !== 61) {
      this.problems.push(problem('playbook/invalid-variable', 'error', { start: f, end },
        'Write a variable as "@name = value", the name made of letters, digits, _ and - and starting with a letter or _.'));
      return;
    }
    // An empty value leaves the trimmed end before the skipped blanks: clamp so the value range stays inside.
    const vs = Math.min(skipBlanks(text, eq + 1, le), end);
    this.uses(vs, end);
    this.scope.define({
      name: text.slice(f + 1, ne), value: text.slice(vs, end),
      range: { start: f, end }, nameRange: { start: f + 1, end: ne }, valueRange: { start: vs, end },
    });
  }

  private header(f: number, le: number): boolean {
    const { text } = this;
    const colon = headerColon(text, f, le);
    if (colon < 0) return false;
    const nameEndAt = trimEnd(text, f, colon);
    const vs = skipBlanks(text, colon + 1, le);
    const ve = trimEnd(text, vs, le);
    this.uses(vs, ve);
    this.open.headers.push({
      name: text.slice(f, nameEndAt), value: text.slice(vs, ve),
      range: { start: f, end: ve }, nameRange: { start: f, end: nameEndAt }, valueRange: { start: vs, end: ve },
    });
    return true;
  }

  private notAVerb(f: number, le: number): void {
    const { text } = this;
    this.open.state = 'skip';
    const we = wordEnd(text, f, le);
    const word = text.slice(f, we);
    if (/^[A-Za-z]+$/.test(word)) {
      const verb = suggestVerb(word);
      const fixes = verb ? [{ title: `Change to ${verb}`, start: f, end: we, newText: verb }] : [];
      this.problems.push(problem('playbook/unknown-verb', 'error', { start: f, end: we },
        `"${word}" is not a verb: start the request with PUB, SUB or REQ (upper case).`, fixes));
    } else {
      this.problems.push(problem('playbook/missing-verb', 'error', { start: f, end: trimEnd(text, f, le) },
        'A request starts with a "PUB <subject>", "SUB <pattern>" or "REQ <subject>" line; add one above this line.'));
    }
  }

  private readonly onUse = (name: string, start: number, end: number): void => this.scope.use(name, start, end);

  private uses(start: number, end: number): void {
    forEachUse(this.text, start, end, this.onUse, this.malformed);
  }

  /** Ends the open block at `end` (the next block's start) and records it when it has a verb. */
  private close(end: number): void {
    const b = this.open;
    const v = b.verb;
    if (v) {
      const block: PlaybookBlock = {
        range: { start: b.start, end }, verb: v.verb, verbRange: { start: v.verbStart, end: v.verbEnd },
        subject: this.text.slice(v.subjectStart, v.subjectEnd), subjectRange: { start: v.subjectStart, end: v.subjectEnd },
        options: v.options, headers: b.headers, variablesInScope: b.scope,
      };
      if (b.title !== undefined) block.title = b.title;
      if (b.titleRange) block.titleRange = b.titleRange;
      if (v.timeoutMs !== undefined) block.timeoutMs = v.timeoutMs;
      if (b.bodyStart >= 0 && b.state === 'sub') this.strayAfterSub(v, b.bodyStart, b.bodyEnd);
      else if (b.bodyStart >= 0) {
        block.body = { text: this.text.slice(b.bodyStart, b.bodyEnd), range: { start: b.bodyStart, end: b.bodyEnd } };
        const first = this.scope.uses.length;
        this.uses(b.bodyStart, b.bodyEnd);
        checkBody(this.text, b.bodyStart, b.bodyEnd, this.scope.uses, first, this.problems);
      }
      this.blocks.push(block);
    }
    this.scope.endBlock();
  }

  private strayAfterSub(v: VerbLine, start: number, end: number): void {
    this.problems.push(problem('playbook/body-on-sub', 'error', { start, end },
      'SUB takes no headers or body: remove these lines, or change SUB to PUB to send them.',
      [
        { title: 'Change SUB to PUB', start: v.verbStart, end: v.verbEnd, newText: 'PUB' },
        { title: 'Remove the lines after SUB', start, end, newText: '' },
      ]));
  }
}

function blank(start: number): OpenBlock {
  return { start, state: 'pre', scope: [], headers: [], bodyStart: -1, bodyEnd: -1 };
}

function malformedProblem(m: MalformedUse): Problem {
  return problem('playbook/malformed-variable', 'warning', m,
    `Write {{${m.name}}} without spaces inside the braces, or it is sent as literal text.`,
    [{ title: `Write {{${m.name}}}`, start: m.start, end: m.end, newText: `{{${m.name}}}` }]);
}
