// "Since when" as people type it: how long ago (10m, 2h, 1d, 1h30m) or an ISO time.

export type SinceResult = { ok: true; since: Date } | { ok: false; problem: string };

const UNIT_MS: Record<string, number> = {
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

const AGO = /^(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+$/i;
const AGO_PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/gi;
// Date only (midnight UTC, as JavaScript reads it), or date and time with an optional zone (local time without one).
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

const HOW = 'write how long ago (30s, 10m, 2h, 1d) or an ISO time (2026-12-01T09:30:00Z)';

/** The instant `text` names, relative to `now` for a duration; a problem sentence when it names none. */
export function parseSince(text: string, now: Date = new Date()): SinceResult {
  const t = text.trim();
  if (!t) return { ok: false, problem: `Say since when: ${HOW}.` };
  if (AGO.test(t)) {
    let ms = 0;
    for (const [, amount, unit] of t.matchAll(AGO_PART)) {
      const size = UNIT_MS[unit!.toLowerCase()];
      if (size === undefined) return { ok: false, problem: `"${unit}" in "${t}" is not a unit of time: use s, m, h, d or w (10m, 2h, 1d).` };
      ms += Number(amount) * size;
    }
    return { ok: true, since: new Date(now.getTime() - ms) };
  }
  if (!ISO.test(t)) return { ok: false, problem: `"${t}" is not a time: ${HOW}.` };
  const at = new Date(t.replace(' ', 'T'));
  if (Number.isNaN(at.getTime()) || !sameCalendarDate(t, at)) return { ok: false, problem: `"${t}" is not a valid date: check the month, day and time.` };
  if (at.getTime() > now.getTime()) return { ok: false, problem: `${at.toISOString()} is in the future: no message has been stored since then yet.` };
  return { ok: true, since: at };
}

/** JavaScript rolls 2026-02-30 over to March; a person meant a date that does not exist. */
function sameCalendarDate(text: string, at: Date): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d && !Number.isNaN(at.getTime());
}
