import { describe, expect, it } from 'vitest';
import { parseLocalDateTime } from '../../src/domain/time.js';

describe('local times in the co-op time zone', () => {
  it('reads a meeting time in winter and in summer', () => {
    expect(parseLocalDateTime('2027-01-15', '18:00', 'Europe/Berlin')?.toISOString()).toBe('2027-01-15T17:00:00.000Z');
    expect(parseLocalDateTime('2027-07-15', '18:00', 'Europe/Berlin')?.toISOString()).toBe('2027-07-15T16:00:00.000Z');
    expect(parseLocalDateTime('2027-07-15', '09:30', 'America/New_York')?.toISOString()).toBe('2027-07-15T13:30:00.000Z');
    expect(parseLocalDateTime('2027-12-15', '09:30', 'America/New_York')?.toISOString()).toBe('2027-12-15T14:30:00.000Z');
  });
  it('defaults to 18:00 and handles UTC', () => {
    expect(parseLocalDateTime('2027-06-05', undefined, 'UTC')?.toISOString()).toBe('2027-06-05T18:00:00.000Z');
  });
  it('reads the days of a daylight-saving change', () => {
    // Europe: 28 March 2027 clocks go 02:00 → 03:00; 31 October 2027 03:00 → 02:00.
    expect(parseLocalDateTime('2027-03-28', '09:00', 'Europe/London')?.toISOString()).toBe('2027-03-28T08:00:00.000Z');
    expect(parseLocalDateTime('2027-10-31', '09:00', 'Europe/London')?.toISOString()).toBe('2027-10-31T09:00:00.000Z');
    // A time skipped by the change is read as the same wall time after it.
    expect(parseLocalDateTime('2027-03-28', '02:30', 'Europe/Berlin')?.toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });
  it('refuses dates that do not exist', () => {
    expect(parseLocalDateTime('2027-02-30', undefined, 'UTC')).toBeNull();
    expect(parseLocalDateTime('2027-13-01', undefined, 'UTC')).toBeNull();
    expect(parseLocalDateTime('2027-06-05', '24:00', 'UTC')).toBeNull();
    expect(parseLocalDateTime('5 June', undefined, 'UTC')).toBeNull();
  });
});
