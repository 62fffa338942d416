// Splitting a subject into tokens with their offsets: the one tokenizer every feature shares.

export interface SubjectToken {
  text: string;
  /** Offset of the token's first character in the subject. */
  start: number;
  /** Offset just past the token's last character. */
  end: number;
  index: number;
  /** Set when the whole token is a NATS wildcard. */
  wildcard?: '*' | '>';
}

export function tokenize(subject: string): SubjectToken[] {
  const tokens: SubjectToken[] = [];
  let start = 0;
  for (let i = 0; i <= subject.length; i++) {
    if (i === subject.length || subject.charCodeAt(i) === 46 /* . */) {
      const text = subject.slice(start, i);
      const t: SubjectToken = { text, start, end: i, index: tokens.length };
      if (text === '*' || text === '>') t.wildcard = text;
      tokens.push(t);
      start = i + 1;
    }
  }
  return tokens;
}
