import { describe, expect, it } from 'vitest';
import { daysBeforeAt, latestDue, offsetTimes } from '../../src/domain/schedule.js';
import { parseLocalDateTime } from '../../src/domain/time.js';

const at = (date: string, time: string, tz: string) => parseLocalDateTime(date, time, tz) as Date;

describe('nudges at 09:00 local time across daylight-saving changes', () => {
  it('Europe, spring: 7 days before an AGM after the change is 09:00 CET, 1 day before is 09:00 CEST', () => {
    const agm = at('2027-04-02', '18:00', 'Europe/Berlin'); // clocks change on 28 March
    expect(daysBeforeAt(agm, 7, 'Europe/Berlin').toISOString()).toBe('2027-03-26T08:00:00.000Z');
    expect(daysBeforeAt(agm, 1, 'Europe/Berlin').toISOString()).toBe('2027-04-01T07:00:00.000Z');
  });
  it('Europe, autumn', () => {
    const agm = at('2027-11-03', '18:00', 'Europe/London'); // clocks change on 31 October
    expect(daysBeforeAt(agm, 7, 'Europe/London').toISOString()).toBe('2027-10-27T08:00:00.000Z');
    expect(daysBeforeAt(agm, 1, 'Europe/London').toISOString()).toBe('2027-11-02T09:00:00.000Z');
  });
  it('US, spring and autumn', () => {
    const spring = at('2027-03-17', '19:00', 'America/New_York'); // 14 March
    expect(daysBeforeAt(spring, 7, 'America/New_York').toISOString()).toBe('2027-03-10T14:00:00.000Z');
    expect(daysBeforeAt(spring, 1, 'America/New_York').toISOString()).toBe('2027-03-16T13:00:00.000Z');
    const autumn = at('2027-11-10', '19:00', 'America/Los_Angeles'); // 7 November
    expect(daysBeforeAt(autumn, 7, 'America/Los_Angeles').toISOString()).toBe('2027-11-03T16:00:00.000Z');
    expect(daysBeforeAt(autumn, 1, 'America/Los_Angeles').toISOString()).toBe('2027-11-09T17:00:00.000Z');
  });
  it('counts calendar days in the co-op zone, not 24-hour periods from UTC', () => {
    // 00:30 on 5 June in Auckland is still 4 June in UTC.
    const agm = at('2027-06-05', '00:30', 'Pacific/Auckland');
    expect(daysBeforeAt(agm, 1, 'Pacific/Auckland').toISOString()).toBe('2027-06-03T21:00:00.000Z');
  });
});

describe('catch-up', () => {
  const agm = new Date('2027-06-05T18:00:00Z');
  const offsets = offsetTimes(agm, [28, 14, 7, 1], 'UTC');
  it('sends only the latest nudge that fell due', () => {
    expect(latestDue(offsets, new Date('2027-05-01T00:00:00Z'), agm)).toBeNull();
    expect(latestDue(offsets, new Date('2027-05-08T09:00:00Z'), agm)?.days).toBe(28);
    expect(latestDue(offsets, new Date('2027-06-04T12:00:00Z'), agm)?.days).toBe(1);
  });
  it('sends nothing once the meeting has begun', () => {
    expect(latestDue(offsets, new Date('2027-06-05T18:00:00Z'), agm)).toBeNull();
  });
});
