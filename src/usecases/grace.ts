// Grace deadlines follow the meetings (R7): a deficiency runs to the next general
// meeting after its report. A meeting scheduled later never shortens a deadline already
// given; a moved meeting takes its deadlines with it; a cancelled one hands them to the
// next meeting after it, or leaves them waiting for one. Whoever's deadline moves is told.
import type { CoreDeps } from '../context.js';
import { nextMeetingAfter } from '../domain/meeting.js';
import type { DeficiencyRecord, MeetingRecord, MemberRecord, Repos } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { list, para, publicReply } from '../reply/model.js';
import { notifyAfterCommit } from './notify.js';

/** The meeting a grace period starting at `from` runs to, or null if none is scheduled. */
export async function graceMeeting(r: Repos, from: Date): Promise<MeetingRecord | null> {
  return nextMeetingAfter(await r.meetings.list(), from);
}

export interface DeadlineChange {
  deficiency: DeficiencyRecord;
  from: Date | null;
  to: Date | null;
  maintainers: MemberRecord[];
}

async function withMaintainers(r: Repos, moves: { deficiency: DeficiencyRecord; to: Date | null }[]): Promise<DeadlineChange[]> {
  const byService = new Map<number, MemberRecord[]>();
  const out: DeadlineChange[] = [];
  for (const m of moves) {
    let maintainers = byService.get(m.deficiency.serviceId);
    if (!maintainers) {
      maintainers = (await r.services.byName(m.deficiency.serviceName))?.maintainers ?? [];
      byService.set(m.deficiency.serviceId, maintainers);
    }
    out.push({ deficiency: m.deficiency, from: m.deficiency.graceUntil, to: m.to, maintainers });
  }
  return out;
}

/** After a meeting is scheduled: deficiencies that were waiting for one run to the next meeting. */
export async function bindWaitingDeadlines(r: Repos, now: Date): Promise<DeadlineChange[]> {
  const meetings = await r.meetings.list();
  const waiting = await r.deficiencies.openOn({ graceMeetingId: null });
  const moves: { deficiency: DeficiencyRecord; to: Date | null }[] = [];
  for (const d of waiting) {
    const next = nextMeetingAfter(meetings, d.reportedAt.getTime() > now.getTime() ? d.reportedAt : now);
    if (!next) continue;
    await r.deficiencies.setGrace(d.id, next.id);
    moves.push({ deficiency: d, to: next.at });
  }
  return withMaintainers(r, moves);
}

/** After a meeting moves: every open deficiency bound to it moves with it. */
export async function followMovedMeeting(r: Repos, meetingId: number, to: Date): Promise<DeadlineChange[]> {
  const bound = await r.deficiencies.openOn({ graceMeetingId: meetingId });
  return withMaintainers(r, bound.map((d) => ({ deficiency: d, to })));
}

/** After a meeting is cancelled: its deadlines go to the next meeting after it, or wait for one. */
export async function passCancelledMeeting(r: Repos, cancelled: MeetingRecord): Promise<DeadlineChange[]> {
  const meetings = await r.meetings.list();
  const next = nextMeetingAfter(meetings, cancelled.at, undefined, cancelled.id);
  const bound = await r.deficiencies.openOn({ graceMeetingId: cancelled.id });
  for (const d of bound) await r.deficiencies.setGrace(d.id, next?.id ?? null);
  return withMaintainers(r, bound.map((d) => ({ deficiency: d, to: next?.at ?? null })));
}

/** Tells each maintainer whose deadline moved, once, with the new date of each deficiency. */
export async function tellDeadlineChanges(deps: Pick<CoreDeps, 'notifier' | 'logger' | 'settings'>, changes: readonly DeadlineChange[], why: string): Promise<void> {
  const tz = deps.settings.timezone;
  const byMember = new Map<number, { member: MemberRecord; lines: string[] }>();
  for (const c of changes) {
    const line = `#${c.deficiency.id} on ${c.deficiency.serviceName} (${c.deficiency.description}): ${
      c.to ? `now to be fixed by ${formatDateTime(c.to, tz)}` : 'its deadline now waits for the next general meeting to be scheduled'
    }${c.from ? `, was ${formatDateTime(c.from, tz)}` : ''}.`;
    for (const m of c.maintainers) {
      const entry = byMember.get(m.id) ?? { member: m, lines: [] };
      entry.lines.push(line);
      byMember.set(m.id, entry);
    }
  }
  for (const { member, lines } of byMember.values()) {
    await notifyAfterCommit(
      deps,
      { kind: 'person', memberId: member.id, identities: member.identities },
      publicReply(para(`${why} The deadline of ${lines.length === 1 ? 'a deficiency' : `${lines.length} deficiencies`} you maintain moved:`), list(lines)),
    );
  }
}
