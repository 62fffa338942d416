// Which streams of a layout capture a subject or a pattern, through the engine's CaptureIndex: no loop over streams.
import { CaptureIndex } from '../pattern/captureIndex';
import { meet } from '../pattern/lattice';
import { patternTokens } from '../pattern/tokens';
import { coveredBy } from './lattice';
import type { LayoutStream, StreamLayout } from './layout';

export interface CapturingStream {
  stream: LayoutStream;
  /** The stream's subjects that match the subject, or that overlap the pattern. */
  subjects: string[];
  /** Every subject asked about is captured by this stream (always true for a concrete subject). */
  full: boolean;
}

export interface Capture {
  subject: string;
  /** Asked as a pattern: it holds `*` or `>`. */
  pattern: boolean;
  /** In layout order. */
  streams: CapturingStream[];
  /** Every subject asked about is captured by some stream (a pattern may be covered by several together). */
  full: boolean;
}

export interface StreamOverlap {
  a: LayoutStream;
  b: LayoutStream;
  /** The subjects of a and b that overlap, and their meet (⊓), one entry per overlapping pair of subjects. */
  on: { a: string; b: string; meet: string }[];
  /** One sentence: which subjects both would capture, and that one account cannot hold both. */
  message: string;
}

interface Entry {
  stream: number;
  subject: string;
}

/** A layout indexed for capture questions. Building one is a trie insert per stream subject: rebuild it when streams change. */
export class CoverageIndex {
  private readonly index: CaptureIndex<Entry>;
  private overlapCache: StreamOverlap[] | undefined;

  constructor(readonly layout: StreamLayout) {
    this.index = new CaptureIndex<Entry>();
    layout.streams.forEach((s, stream) => {
      for (const subject of new Set(s.subjects)) this.index.add(subject, { stream, subject });
    });
  }

  /** The same questions over other streams (e.g. after the server's list changed), where the layout is said the same way. */
  withStreams(streams: LayoutStream[]): CoverageIndex {
    return new CoverageIndex({ ...this.layout, streams });
  }

  get streams(): readonly LayoutStream[] {
    return this.layout.streams;
  }

  /**
   * The streams that capture a subject; for a pattern (a `*` or `>` token), the streams whose subjects overlap
   * it, each full (pattern ⊑ its subjects) or partial. An invalid subject or pattern is captured by nothing.
   */
  capturing(subjectOrPattern: string): Capture {
    // most questions are concrete subjects: no second tokenization, no grouping map (entries come in layout order)
    const wild = subjectOrPattern.indexOf('*') >= 0 || subjectOrPattern.indexOf('>') >= 0;
    const tokens = wild ? patternTokens(subjectOrPattern) : null;
    const pattern = tokens !== null && tokens.some(t => t === '*' || t === '>');
    if (wild && !tokens) return { subject: subjectOrPattern, pattern: false, streams: [], full: false };
    const entries = pattern ? this.index.overlaps(subjectOrPattern) : this.index.capture(subjectOrPattern);
    const streams: CapturingStream[] = [];
    let last: CapturingStream | undefined;
    let lastId = -1;
    for (const e of entries) {
      if (e.stream === lastId) last!.subjects.push(e.subject);
      else streams.push((last = { stream: this.layout.streams[(lastId = e.stream)]!, subjects: [e.subject], full: true }));
    }
    if (!pattern) return { subject: subjectOrPattern, pattern, streams, full: streams.length > 0 };
    for (const c of streams) c.full = coveredBy(subjectOrPattern, c.subjects);
    const full = streams.length > 0 && (streams.some(c => c.full) || coveredBy(subjectOrPattern, entries.map(e => e.subject)));
    return { subject: subjectOrPattern, pattern, streams, full };
  }

  /** Pairs of streams whose subjects overlap, which one account cannot hold (the server refuses the second). */
  overlappingStreams(): StreamOverlap[] {
    if (this.overlapCache) return this.overlapCache;
    const pairs = new Map<string, { a: number; b: number; on: StreamOverlap['on'] }>();
    this.layout.streams.forEach((s, i) => {
      for (const subject of new Set(s.subjects)) {
        for (const other of this.index.overlaps(subject)) {
          // each pair once, from its earlier stream
          if (other.stream <= i) continue;
          const key = `${i}:${other.stream}`;
          let pair = pairs.get(key);
          if (!pair) pairs.set(key, (pair = { a: i, b: other.stream, on: [] }));
          pair.on.push({ a: subject, b: other.subject, meet: meet(subject, other.subject)! });
        }
      }
    });
    this.overlapCache = [...pairs.values()]
      .sort((x, y) => x.a - y.a || x.b - y.b)
      .map(({ a, b, on }) => {
        const sa = this.layout.streams[a]!;
        const sb = this.layout.streams[b]!;
        const meets = [...new Set(on.map(o => o.meet))].join(', ');
        return { a: sa, b: sb, on, message: `${sa.name} and ${sb.name} both capture ${meets}: one account cannot hold both streams (nats-server refuses the second).` };
      });
    return this.overlapCache;
  }
}
