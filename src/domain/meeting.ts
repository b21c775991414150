// General meetings and grace periods (R7, R9, R10).

export const MEETING_KINDS = ['agm', 'egm'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export type MeetingStatus = 'scheduled' | 'held' | 'cancelled';

/** A meeting is scheduled at most this many months ahead (a far-future date would park every deadline). */
export const MAX_MONTHS_AHEAD = 24;

export interface MeetingFacts {
  id: number;
  kind: MeetingKind;
  at: Date;
  status: MeetingStatus;
}

/** The grace period of something reported at `after` runs to the next scheduled meeting after it. */
export function nextMeetingAfter<M extends MeetingFacts>(meetings: readonly M[], after: Date, kind?: MeetingKind, except?: number): M | null {
  let best: M | null = null;
  for (const m of meetings) {
    if (m.status !== 'scheduled' || m.at.getTime() <= after.getTime() || m.id === except) continue;
    if (kind && m.kind !== kind) continue;
    if (!best || m.at.getTime() < best.at.getTime()) best = m;
  }
  return best;
}

const MINUTE = 60_000;

/** What is wrong with holding a general meeting at `at`, or null when nothing is. */
export type MeetingTimeProblem =
  | { kind: 'past' }
  | { kind: 'too-far'; latest: Date }
  | { kind: 'clash'; with: MeetingFacts };

/** The latest time a meeting may be scheduled from `now`. */
export function latestMeetingTime(now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() + MAX_MONTHS_AHEAD);
  return d;
}

/**
 * A meeting is in the future, at most MAX_MONTHS_AHEAD away, and not in the same
 * minute as another scheduled general meeting. `except` is the meeting being moved.
 */
export function meetingTimeProblem(at: Date, now: Date, meetings: readonly MeetingFacts[], except?: number): MeetingTimeProblem | null {
  if (at.getTime() <= now.getTime()) return { kind: 'past' };
  const latest = latestMeetingTime(now);
  if (at.getTime() > latest.getTime()) return { kind: 'too-far', latest };
  const minute = Math.floor(at.getTime() / MINUTE);
  const clash = meetings.find((m) => m.status === 'scheduled' && m.id !== except && Math.floor(m.at.getTime() / MINUTE) === minute);
  return clash ? { kind: 'clash', with: clash } : null;
}

export const MEETING_TITLES: Record<MeetingKind, string> = { agm: 'AGM', egm: 'EGM' };
