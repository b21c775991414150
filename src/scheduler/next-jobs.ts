// When each kind of timed work will next happen, for /coop status.
import { DEFICIENCY_REMINDER_DAYS, nextOffset, offsetTimes, POLL_REMINDER_MS, addMonths } from '../domain/schedule.js';
import type { Repos } from '../ports.js';
import { AGM_WARNING_MONTHS, noAgmKey } from './check-agm.js';

export interface NextJob {
  job: string;
  at: Date | null;
  what: string;
}

const earliest = <T>(items: T[], at: (t: T) => Date | null): { item: T; at: Date } | null => {
  let best: { item: T; at: Date } | null = null;
  for (const item of items) {
    const t = at(item);
    if (t && (!best || t.getTime() < best.at.getTime())) best = { item, at: t };
  }
  return best;
};

export async function nextJobs(r: Repos, now: Date, settings: { timezone: string; nudgeDays: number[] }): Promise<NextJob[]> {
  const [polls, meetings, graceEnds, first] = await Promise.all([r.polls.listOpen(), r.meetings.list(), r.deficiencies.firstOpenPerGrace(), r.catalogues.firstRecordedAt()]);
  const future = (d: Date) => (d.getTime() > now.getTime() ? d : null);
  // Work already due runs at the next minute tick: that is its next run, never a time past.
  const nextTick = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  const runAt = (d: Date | null | undefined) => (d ? (d.getTime() > now.getTime() ? d : nextTick) : null);
  const close = earliest(polls, (p) => p.closesAt);
  const remind = earliest(polls, (p) => (p.closesAt.getTime() - p.createdAt.getTime() > POLL_REMINDER_MS ? future(new Date(p.closesAt.getTime() - POLL_REMINDER_MS)) : null));
  const scheduled = meetings.filter((m) => m.status === 'scheduled');
  const reckon = earliest(scheduled, (m) => m.at);
  const nudge = earliest(
    scheduled.filter((m) => m.kind === 'agm'),
    (m) => nextOffset(offsetTimes(m.at, settings.nudgeDays, settings.timezone), now)?.at ?? null,
  );
  // Deficiencies share a few grace ends (the meetings): each end's reminders worked out once.
  const meetingAt = new Map(meetings.map((m) => [m.id, m.at]));
  const deficiency = earliest(graceEnds, (g) => {
    const at = meetingAt.get(g.meetingId);
    return at ? (nextOffset(offsetTimes(at, DEFICIENCY_REMINDER_DAYS, settings.timezone), now)?.at ?? null) : null;
  });
  const lastAgm = [...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held');
  const since = lastAgm?.at ?? first;
  const deadline = since ? addMonths(since, 13) : null;
  const agmOk = deadline ? scheduled.some((m) => m.kind === 'agm' && m.at.getTime() <= deadline.getTime()) : false;
  const agmCheck = deadline && !agmOk ? addMonths(deadline, -AGM_WARNING_MONTHS) : null;
  const told = since && agmCheck ? await r.notifications.isClaimed(noAgmKey(since)) : false;
  return [
    { job: 'Poll closing', at: runAt(close?.at), what: close ? `poll #${close.item.id}` : 'no open poll' },
    { job: 'Reminder to electors', at: runAt(remind?.at), what: remind ? `poll #${remind.item.id}` : 'none due' },
    { job: 'Annual update nudge', at: runAt(nudge?.at), what: nudge ? `before the AGM #${nudge.item.id}` : 'none due' },
    { job: 'Deficiency reminder', at: runAt(deficiency?.at), what: deficiency ? `deficiency #${deficiency.item.deficiencyId}` : 'none due' },
    { job: 'Meeting reckoning', at: runAt(reckon?.at), what: reckon ? `meeting #${reckon.item.id}` : 'no meeting scheduled' },
    {
      job: 'AGM check',
      at: told ? null : runAt(agmCheck),
      what: agmOk
        ? 'an AGM is scheduled in time'
        : told
          ? 'the board has been told that no AGM is scheduled in time'
          : 'the board will be told if no AGM is scheduled',
    },
  ];
}
