// How a deficiency's deadline reads, everywhere it is shown (one wording, one place).
import type { Level } from '../domain/service.js';
import { formatDateTime } from './format.js';

/** "by the general meeting on 7 Dec 2026, 18:00 UTC", or by the next one when none is scheduled. */
export function byMeeting(at: Date | null, tz: string): string {
  return at ? `by the general meeting on ${formatDateTime(at, tz)}` : 'by the next general meeting (none is scheduled yet)';
}

/**
 * "to be fixed by the general meeting on 7 Dec 2026, 18:00 UTC, or the service descends
 * one level"; at proposed there is no level below, so it stays open until resolved.
 */
export function deadlineText(d: { graceUntil: Date | null }, level: Level, tz: string, opts: { consequence?: boolean } = {}): string {
  if (level === 'proposed') return 'open until it is resolved (a proposed service has no level to descend to)';
  const by = d.graceUntil
    ? `to be fixed ${byMeeting(d.graceUntil, tz)}`
    : 'to be fixed by the next general meeting (none is scheduled yet; the deadline will be the first one scheduled)';
  return opts.consequence === false ? by : `${by}, or the service descends one level`;
}
