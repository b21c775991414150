// General meetings and grace periods (R7, R9, R10).

export const MEETING_KINDS = ['agm', 'egm'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export type MeetingStatus = 'scheduled' | 'held' | 'cancelled';

export interface MeetingFacts {
  id: number;
  kind: MeetingKind;
  at: Date;
  status: MeetingStatus;
}

/** The grace period of something reported at `after` runs to the next scheduled meeting after it. */
export function nextMeetingAfter<M extends MeetingFacts>(meetings: readonly M[], after: Date, kind?: MeetingKind): M | null {
  let best: M | null = null;
  for (const m of meetings) {
    if (m.status !== 'scheduled' || m.at.getTime() <= after.getTime()) continue;
    if (kind && m.kind !== kind) continue;
    if (!best || m.at.getTime() < best.at.getTime()) best = m;
  }
  return best;
}

export const MEETING_TITLES: Record<MeetingKind, string> = { agm: 'AGM', egm: 'EGM' };
