// Local wall-clock time in the co-op's time zone (BOT_TIMEZONE), without a library.

/** The offset of `tz` from UTC at `instant`, in milliseconds (UTC+1 → 3_600_000). */
export function zoneOffset(instant: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which clocks in `tz` show the given local time. A time that does not
 * exist (skipped by a spring-forward change) is read as the same wall time after the change.
 */
export function localToInstant(local: { year: number; month: number; day: number; hour: number; minute: number }, tz: string): Date {
  // Read the wall time as UTC, then correct by the zone's offset; a second pass settles
  // the cases where the offset differs between the guess and the answer.
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = wall - zoneOffset(new Date(wall), tz);
  return new Date(wall - zoneOffset(new Date(first), tz));
}

/** Parses `YYYY-MM-DD` and optional `HH:MM` as local time in `tz`; null if not a real date. */
export function parseLocalDateTime(date: string, time: string | undefined, tz: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = time === undefined ? ['', '18', '00'] : /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59) return null;
  return localToInstant({ year, month, day, hour, minute }, tz);
}

/** The meeting time used when none is given. */
export const DEFAULT_MEETING_TIME = '18:00';
