// The board is told when no AGM is scheduled within 13 months of the last one
// (or of the bot's start), three months before that limit: once per AGM cycle.
import { addMonths, AGM_INTERVAL_MONTHS } from '../domain/schedule.js';
import { formatDateTime } from '../reply/format.js';
import { para, publicReply, cmd } from '../reply/model.js';
import { sendClaimed, type ClaimedSend } from '../usecases/notify.js';
import type { JobDeps } from './deps.js';

export const AGM_WARNING_MONTHS = 3;

export async function agmDeadline(deps: Pick<JobDeps, 'store'>): Promise<{ since: Date; held: boolean; deadline: Date; scheduled: boolean } | null> {
  return deps.store.read(async (r) => {
    const meetings = await r.meetings.list();
    const last = [...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held');
    const since = last?.at ?? (await r.catalogues.firstRecordedAt());
    if (!since) return null;
    const deadline = addMonths(since, AGM_INTERVAL_MONTHS);
    const scheduled = meetings.some((m) => m.kind === 'agm' && m.status === 'scheduled' && m.at.getTime() <= deadline.getTime());
    return { since, held: !!last, deadline, scheduled };
  });
}

/** One warning per AGM cycle: the cycle is named by the AGM (or start) it counts from. */
export const noAgmKey = (since: Date): string => `no-agm:${since.toISOString()}`;

export async function checkAgmScheduled(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const tz = deps.settings.timezone;
  const state = await agmDeadline(deps);
  if (!state || state.scheduled) return 0;
  if (now.getTime() < addMonths(state.deadline, -AGM_WARNING_MONTHS).getTime()) return 0;
  const key = noAgmKey(state.since);
  if (await deps.store.read((r) => r.notifications.isClaimed(key))) return 0;
  const sends = await deps.store.write(async (r): Promise<ClaimedSend[]> => {
    if (!(await r.notifications.claim({ key, kind: 'no-agm', payload: JSON.stringify({ deadline: state.deadline }), at: now }))) return [];
    const text = `No AGM is scheduled within ${AGM_INTERVAL_MONTHS} months of ${state.held ? 'the last one' : 'the start of the bot'} (${formatDateTime(state.since, tz)}): the next should be held by ${formatDateTime(state.deadline, tz)}.`;
    const board = await r.members.list({ board: true });
    return [
      { key, audience: { kind: 'governance' as const }, message: publicReply(para(text, ' The board schedules it with ', cmd('coop', 'meeting agm <YYYY-MM-DD>'), '.')) },
      ...board.map((m) => ({ key, audience: { kind: 'person' as const, memberId: m.id, identities: m.identities }, message: publicReply(para(text, ' The board schedules it with ', cmd('coop', 'meeting agm <YYYY-MM-DD>'), '.')) })),
    ];
  });
  await sendClaimed(deps, sends);
  return sends.length;
}
