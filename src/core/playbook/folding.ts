// Folding ranges: language-configuration markers cannot fold "from one ### to the next" (a line cannot be both
// the end of one region and the start of the next), so the editor asks this through a FoldingRangeProvider.
import { lineAt, lineStarts } from './scan';
import type { Playbook } from './types';
import { parsePlaybook } from './parser';

export interface FoldingRange {
  /** 0-based first line (the `###` line, or the line with the opening bracket). */
  startLine: number;
  /** 0-based last line folded into it. */
  endLine: number;
  kind: 'block' | 'body';
}

/** One range per `###` section (up to its last non-blank line) and per multi-line `{}`/`[]` in a body. */
export function foldingRanges(text: string, playbook: Playbook = parsePlaybook(text)): FoldingRange[] {
  const starts = lineStarts(text);
  const ranges: FoldingRange[] = [];
  let open = -1;
  let lastContent = -1;
  for (let line = 0; line < starts.length; line++) {
    const s = starts[line]!;
    let i = s;
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const c = text.charCodeAt(i);
    if (c === 35 && text.startsWith('###', i)) {
      if (open >= 0 && lastContent > open) ranges.push({ startLine: open, endLine: lastContent, kind: 'block' });
      open = line;
      lastContent = line;
    } else if (i < text.length && c !== 10 && c !== 13) lastContent = line;
  }
  if (open >= 0 && lastContent > open) ranges.push({ startLine: open, endLine: lastContent, kind: 'block' });
  for (const b of playbook.blocks) if (b.body) bracketRanges(text, b.body.range.start, b.body.range.end, starts, ranges);
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** Multi-line bracket pairs outside strings; the closing line stays visible, as in VS Code's own JSON folding. */
function bracketRanges(text: string, start: number, end: number, starts: readonly number[], out: FoldingRange[]): void {
  const stack: number[] = [];
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34 || c === 10 || c === 13) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) stack.push(i);
    else if ((c === 125 || c === 93) && stack.length) {
      const startLine = lineAt(starts, stack.pop()!);
      const endLine = lineAt(starts, i) - 1;
      if (endLine > startLine) out.push({ startLine, endLine, kind: 'body' });
    }
  }
}
