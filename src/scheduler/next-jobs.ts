// When each kind of timed work will next happen, for /coop status.
import { DEFICIENCY_REMINDER_DAYS, nextOffset, offsetTimes, POLL_REMINDER_MS, addMonths } from '../domain/schedule.js';
import type { Repos } from '../ports.js';
import { AGM_WARNING_MONTHS } from './check-agm.js';

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
  const [polls, meetings, open, first] = await Promise.all([r.polls.listOpen(), r.meetings.list(), r.deficiencies.listOpen(), r.catalogues.firstRecordedAt()]);
  const future = (d: Date) => (d.getTime() > now.getTime() ? d : null);
  const close = earliest(polls, (p) => p.closesAt);
  const remind = earliest(polls, (p) => (p.closesAt.getTime() - p.createdAt.getTime() > POLL_REMINDER_MS ? future(new Date(p.closesAt.getTime() - POLL_REMINDER_MS)) : null));
  const scheduled = meetings.filter((m) => m.status === 'scheduled');
  const reckon = earliest(scheduled, (m) => m.at);
  const nudge = earliest(
    scheduled.filter((m) => m.kind === 'agm'),
    (m) => nextOffset(offsetTimes(m.at, settings.nudgeDays, settings.timezone), now)?.at ?? null,
  );
  const deficiency = earliest(open, (d) => (d.graceUntil ? (nextOffset(offsetTimes(d.graceUntil, DEFICIENCY_REMINDER_DAYS, settings.timezone), now)?.at ?? null) : null));
  const lastAgm = [...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held');
  const since = lastAgm?.at ?? first;
  const deadline = since ? addMonths(since, 13) : null;
  const agmOk = deadline ? scheduled.some((m) => m.kind === 'agm' && m.at.getTime() <= deadline.getTime()) : false;
  const agmCheck = deadline && !agmOk ? addMonths(deadline, -AGM_WARNING_MONTHS) : null;
  return [
    { job: 'Poll closing', at: close?.at ?? null, what: close ? `poll #${close.item.id}` : 'no open poll' },
    { job: 'Reminder to electors', at: remind?.at ?? null, what: remind ? `poll #${remind.item.id}` : 'none due' },
    { job: 'Annual update nudge', at: nudge?.at ?? null, what: nudge ? `before the AGM #${nudge.item.id}` : 'none due' },
    { job: 'Deficiency reminder', at: deficiency?.at ?? null, what: deficiency ? `deficiency #${deficiency.item.id}` : 'none due' },
    { job: 'Meeting reckoning', at: reckon?.at ?? null, what: reckon ? `meeting #${reckon.item.id}` : 'no meeting scheduled' },
    {
      job: 'AGM check',
      at: agmCheck,
      what: agmOk ? 'an AGM is scheduled in time' : agmCheck && agmCheck.getTime() <= now.getTime() ? 'the board is being told monthly' : 'the board will be told if no AGM is scheduled',
    },
  ];
}
