// Reads the date values a search term may hold. Each becomes a span of time [start, end): a whole
// UTC year, month or day for `2024`, `2024-01`, `2024-01-01`, and the written precision for
// timestamps (`…T10:00` is a minute, `…T10:00:00.000Z` a millisecond). Equality (`:`) matches the
// whole span; range comparators compare against its start, so `created_at:>2024-01-01` means after
// 2024-01-01T00:00:00Z. Timestamps without an offset are read as UTC, never as local time.

export interface DateSpan {
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, exclusive. */
  end: number;
}

const DAY_MS = 86_400_000;

const CALENDAR = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Returns the span the value names, or null when it is not a date this syntax understands. */
export function parseSearchDate(value: string, now: Date): DateSpan | null {
  const lower = value.trim().toLowerCase();
  if (lower === 'now') return { start: now.getTime(), end: now.getTime() + 1 };
  if (lower === 'today') return utcDay(startOfUtcDay(now.getTime()));
  if (lower === 'yesterday') return utcDay(startOfUtcDay(now.getTime()) - DAY_MS);
  return parseCalendar(lower) ?? parseTimestamp(lower);
}

function parseCalendar(value: string): DateSpan | null {
  const match = CALENDAR.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  if (match[2] === undefined) return span(utc(year, 1, 1), utc(year + 1, 1, 1));
  const month = Number(match[2]);
  if (match[3] === undefined) {
    if (month < 1 || month > 12) return null;
    return span(utc(year, month, 1), utc(year, month + 1, 1));
  }
  const day = Number(match[3]);
  if (!isRealDate(year, month, day)) return null;
  return utcDay(utc(year, month, day));
}

function parseTimestamp(value: string): DateSpan | null {
  const match = TIMESTAMP.exec(value);
  if (!match) return null;
  const part = (group: number): number => Number(match[group] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const fraction = match[7];
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetMinutes = readOffsetMinutes(match[9], match[10], match[11]);
  if (offsetMinutes === null) return null;
  const wallClock = utc(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1_000 + millis;
  const start = wallClock - offsetMinutes * 60_000;
  const precision = fraction !== undefined ? 1 : match[6] !== undefined ? 1_000 : 60_000;
  return span(start, start + precision);
}

/** Minutes east of UTC; 0 for `Z` or no offset; null for an impossible offset. */
function readOffsetMinutes(sign?: string, hours?: string, minutes?: string): number | null {
  if (sign === undefined) return 0;
  const h = Number(hours);
  const m = Number(minutes);
  if (h > 23 || m > 59) return null;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Date.UTC rolls 2024-02-30 over to March; a real date survives the round trip.
  return new Date(utc(year, month, day)).getUTCDate() === day;
}

/** Midnight UTC of a calendar date; an overflowing month or day rolls over (month 13 = next January). */
function utc(year: number, month: number, day: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

function startOfUtcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

function utcDay(start: number): DateSpan {
  return span(start, start + DAY_MS);
}

function span(start: number, end: number): DateSpan {
  return { start, end };
}
