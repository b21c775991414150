// Grace deadlines follow the meetings (R7): the next general meeting after a report;
// when none is scheduled, the first one scheduled; when one is cancelled, the next.
import { nextMeetingAfter } from '../domain/meeting.js';
import type { MeetingRecord, Repos } from '../ports.js';

/** The meeting a grace period starting at `from` runs to, or null if none is scheduled. */
export async function graceMeeting(r: Repos, from: Date): Promise<MeetingRecord | null> {
  return nextMeetingAfter(await r.meetings.list(), from);
}

/**
 * Re-points open deficiencies that have no meeting, or whose meeting was cancelled,
 * to the next scheduled meeting after their report. Returns how many moved.
 */
export async function regrace(r: Repos): Promise<number> {
  const meetings = await r.meetings.list();
  const scheduled = new Set(meetings.filter((m) => m.status === 'scheduled').map((m) => m.id));
  let moved = 0;
  for (const d of await r.deficiencies.listOpen()) {
    if (d.graceMeetingId !== null && scheduled.has(d.graceMeetingId)) continue;
    const next = nextMeetingAfter(meetings, d.reportedAt);
    if ((next?.id ?? null) !== d.graceMeetingId) {
      await r.deficiencies.setGrace(d.id, next?.id ?? null);
      moved++;
    }
  }
  return moved;
}
