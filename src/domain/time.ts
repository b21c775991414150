// Local wall-clock time in the co-op's time zone (BOT_TIMEZONE), without a library.

/** One formatter per zone and pattern: making one costs far more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();
export function cachedFormat(tz: string, pattern: 'date' | 'date-time'): Intl.DateTimeFormat {
  const key = `${pattern}|${tz}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      'en-US',
      pattern === 'date'
        ? { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }
        : { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    );
    formats.set(key, f);
  }
  return f;
}

/** The offset of `tz` from UTC at `instant`, in milliseconds (UTC+1 → 3_600_000). */
export function zoneOffset(instant: Date, tz: string): number {
  const parts = cachedFormat(tz, 'date-time').formatToParts(instant);
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

export type LocalReading =
  | { kind: 'invalid' }
  /** Clocks skip this time (spring forward): `before` and `after` are the nearest valid local times, HH:MM. */
  | { kind: 'gap'; before: string; after: string }
  /** `twice`: the time occurs twice (autumn); `at` is the first, `offset` its UTC offset (`UTC-04:00`). */
  | { kind: 'ok'; at: Date; twice?: { offset: string } };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

function localHHMM(instant: Date, tz: string): string {
  const wall = new Date(instant.getTime() + zoneOffset(instant, tz));
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}

export function offsetText(instant: Date, tz: string): string {
  const minutes = Math.round(zoneOffset(instant, tz) / MINUTE_MS);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Reads `YYYY-MM-DD` and optional `HH:MM` as local time in `tz`, saying when the time
 * does not exist (a spring-forward gap) or exists twice (autumn: the first is taken).
 */
export function readLocalDateTime(date: string, time: string | undefined, tz: string): LocalReading {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = time === undefined ? ['', '18', '00'] : /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!d || !t) return { kind: 'invalid' };
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return { kind: 'invalid' };
  if (hour > 23 || minute > 59) return { kind: 'invalid' };
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force half a day either side cover any single change of the clocks.
  const offsets = [...new Set([zoneOffset(new Date(wall - 12 * HOUR_MS), tz), zoneOffset(new Date(wall + 12 * HOUR_MS), tz)])];
  const valid = offsets.map((o) => wall - o).filter((c) => c + zoneOffset(new Date(c), tz) === wall).sort((a, b) => a - b);
  const first = valid[0];
  if (first !== undefined) {
    const at = new Date(first);
    return valid.length > 1 && valid[1] !== first ? { kind: 'ok', at, twice: { offset: offsetText(at, tz) } } : { kind: 'ok', at };
  }
  // A gap: find the instant the clocks jumped, between the two readings of the wall time.
  let lo = Math.min(...offsets.map((o) => wall - o));
  let hi = Math.max(...offsets.map((o) => wall - o));
  const startOffset = zoneOffset(new Date(lo), tz);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (zoneOffset(new Date(mid), tz) === startOffset) lo = mid;
    else hi = mid;
  }
  return { kind: 'gap', before: localHHMM(new Date(hi - MINUTE_MS), tz), after: localHHMM(new Date(hi), tz) };
}

/** The meeting time used when none is given. */
export const DEFAULT_MEETING_TIME = '18:00';
