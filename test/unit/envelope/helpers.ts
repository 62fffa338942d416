// Deterministic inputs for envelopes: a fixed clock and numbered UUIDs, so a test can name every value.
import { preset } from '../../../src/core/algebra/compiled';
import type { PresetId } from '../../../src/core/algebra/presets';
import { parseSubject, type ParsedSubject } from '../../../src/core/subject/parse';

export const NOW = new Date('2025-03-04T05:06:07.890Z');
export const NOW_ISO = '2025-03-04T05:06:07.890Z';

/** The n-th id a `numberedIds()` generator hands out. */
export function id(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function numberedIds(): () => string {
  let n = 0;
  return () => id(++n);
}

export function subject(text: string, algebra: PresetId = 'cim-start'): ParsedSubject {
  return parseSubject(preset(algebra), text);
}
