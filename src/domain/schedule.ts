// When timed notifications fall due, as plain functions of the clock (R9, PRODUCT §3).
import { cachedFormat, localToInstant } from './time.js';

/** The hour of the day (local time) at which day-based nudges and reminders go out. */
export const NUDGE_HOUR = 9;
export const DEFICIENCY_REMINDER_DAYS = [7, 1] as const;
export const POLL_REMINDER_MS = 86_400_000;
/** A board is told when no AGM is scheduled within this many months of the last one. */
export const AGM_INTERVAL_MONTHS = 13;

export function localDateOf(instant: Date, tz: string): { year: number; month: number; day: number } {
  const parts = cachedFormat(tz, 'date').formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** `days` calendar days before the local date of `meetingAt`, at NUDGE_HOUR local time. */
export function daysBeforeAt(meetingAt: Date, days: number, tz: string, hour = NUDGE_HOUR): Date {
  const d = localDateOf(meetingAt, tz);
  const shifted = new Date(Date.UTC(d.year, d.month - 1, d.day - days));
  return localToInstant({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour, minute: 0 }, tz);
}

export interface Offset {
  days: number;
  at: Date;
}

export function offsetTimes(meetingAt: Date, days: readonly number[], tz: string): Offset[] {
  return days.map((n) => ({ days: n, at: daysBeforeAt(meetingAt, n, tz) })).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The one offset to send now: the latest that has fallen due, while the meeting is
 * still ahead. After a long outage only that one goes out, not all that were missed.
 */
export function latestDue(offsets: readonly Offset[], now: Date, meetingAt: Date): Offset | null {
  if (now.getTime() >= meetingAt.getTime()) return null;
  let found: Offset | null = null;
  for (const o of offsets) if (o.at.getTime() <= now.getTime()) found = o;
  return found;
}

/** The next offset still to come, for /coop status. */
export function nextOffset(offsets: readonly Offset[], now: Date): Offset | null {
  return offsets.find((o) => o.at.getTime() > now.getTime()) ?? null;
}

export function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
}
