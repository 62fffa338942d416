// What every row's tooltip and menu share: Markdown escapes and code spans, and contextValues.

/** Plain text inside Markdown: the characters that would start emphasis, links, code or HTML. */
export function escape(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, '\\$&');
}

/** A code span: backslashes are not escapes there, so the text goes in as is (a backtick widens the fence). */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${s}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** contextValues are lowercase nouns; `.readonly` hides write actions on a read-only connection. */
export function contextValue(noun: string, readOnly: boolean): string {
  return readOnly ? `${noun}.readonly` : noun;
}
