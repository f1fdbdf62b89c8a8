import { describe, expect, it } from 'vitest';
import { parseSearchDate } from '../../src/search/search-date.js';

const NOW = new Date('2024-03-15T12:34:56.789Z');
const at = (iso: string): number => Date.parse(iso);

function spanOf(value: string): { start: string; end: string } | null {
  const span = parseSearchDate(value, NOW);
  return span && { start: new Date(span.start).toISOString(), end: new Date(span.end).toISOString() };
}

describe('parseSearchDate', () => {
  it('reads a date as the whole UTC day', () => {
    expect(spanOf('2024-01-01')).toEqual({ start: '2024-01-01T00:00:00.000Z', end: '2024-01-02T00:00:00.000Z' });
  });

  it('reads a month and a year as whole spans, rolling over the year end', () => {
    expect(spanOf('2024-12')).toEqual({ start: '2024-12-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
    expect(spanOf('2024')).toEqual({ start: '2024-01-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
  });

  it('reads timestamps at the precision written', () => {
    expect(parseSearchDate('2024-01-01T10:00:00.250Z', NOW)).toEqual({
      start: at('2024-01-01T10:00:00.250Z'),
      end: at('2024-01-01T10:00:00.251Z'),
    });
    expect(parseSearchDate('2024-01-01T10:00:05Z', NOW)).toEqual({
      start: at('2024-01-01T10:00:05Z'),
      end: at('2024-01-01T10:00:06Z'),
    });
    expect(parseSearchDate('2024-01-01T10:00', NOW)).toEqual({
      start: at('2024-01-01T10:00:00Z'),
      end: at('2024-01-01T10:01:00Z'),
    });
  });

  it('reads a timestamp without an offset as UTC, not local time', () => {
    expect(parseSearchDate('2024-01-01T10:00:00', NOW)?.start).toBe(at('2024-01-01T10:00:00Z'));
    expect(parseSearchDate('2024-01-01 10:00:00', NOW)?.start).toBe(at('2024-01-01T10:00:00Z'));
  });

  it('applies numeric offsets', () => {
    expect(parseSearchDate('2024-01-01T10:00:00+02:00', NOW)?.start).toBe(at('2024-01-01T08:00:00Z'));
    expect(parseSearchDate('2024-01-01T10:00:00-0530', NOW)?.start).toBe(at('2024-01-01T15:30:00Z'));
  });

  it('is case-insensitive', () => {
    expect(parseSearchDate('2024-01-01t10:00:00z', NOW)?.start).toBe(at('2024-01-01T10:00:00Z'));
    expect(parseSearchDate('NOW', NOW)?.start).toBe(NOW.getTime());
  });

  it('reads now, today and yesterday relative to the given clock', () => {
    expect(parseSearchDate('now', NOW)).toEqual({ start: NOW.getTime(), end: NOW.getTime() + 1 });
    expect(spanOf('today')).toEqual({ start: '2024-03-15T00:00:00.000Z', end: '2024-03-16T00:00:00.000Z' });
    expect(spanOf('yesterday')).toEqual({ start: '2024-03-14T00:00:00.000Z', end: '2024-03-15T00:00:00.000Z' });
  });

  it('handles leap days and years below 100 correctly', () => {
    expect(spanOf('2024-02-29')?.start).toBe('2024-02-29T00:00:00.000Z');
    expect(parseSearchDate('2023-02-29', NOW)).toBeNull();
    expect(spanOf('0050-01-01')?.start).toBe('0050-01-01T00:00:00.000Z');
  });

  it.each([
    'garbage',
    '',
    '2024-13-01',
    '2024-00',
    '2024-04-31',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:60:00Z',
    '2024-01-01T10:00:61Z',
    '2024-01-01T10:00:00+25:00',
    '24-01-01',
    '2024/01/01',
    '1704067200',
  ])('rejects %j', (value) => {
    expect(parseSearchDate(value, NOW)).toBeNull();
  });
});
