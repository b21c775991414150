// General meetings, scheduled by the board in BOT_TIMEZONE. Grace deadlines follow
// (see grace.ts), and the maintainers whose deadline moves are told.
import type { CommandContext } from '../context.js';
import { UserError } from '../domain/errors.js';
import { MAX_MONTHS_AHEAD, MEETING_TITLES, meetingTimeProblem, type MeetingKind } from '../domain/meeting.js';
import type { MeetingRecord, Repos } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { cmd, para, publicReply } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { bindWaitingDeadlines, followMovedMeeting, passCancelledMeeting, tellDeadlineChanges, type DeadlineChange } from './grace.js';
import { notifyAfterCommit } from './notify.js';

export interface MeetingChanged {
  meeting: MeetingRecord;
  /** Deficiencies whose deadline changed. */
  moved: DeadlineChange[];
}

/** Refuses a time in the past, too far ahead, or in the same minute as another general meeting. */
async function assertGoodTime(ctx: CommandContext, r: Repos, at: Date, except?: number): Promise<void> {
  const tz = ctx.deps.settings.timezone;
  const problem = meetingTimeProblem(at, ctx.now, await r.meetings.list(), except);
  if (!problem) return;
  switch (problem.kind) {
    case 'past':
      throw new UserError(`${formatDateTime(at, tz)} has already passed; a meeting is scheduled in the future.`);
    case 'too-far':
      throw new UserError(
        `${formatDateTime(at, tz)} is more than ${MAX_MONTHS_AHEAD} months ahead; schedule a meeting on ${formatDateTime(problem.latest, tz)} or earlier.`,
      );
    case 'clash':
      throw new UserError([
        `${MEETING_TITLES[problem.with.kind]} #${problem.with.id} is already at ${formatDateTime(problem.with.at, tz)}; two general meetings cannot be held at once. Move that one with `,
        cmd('coop', `meeting move ${problem.with.id} <YYYY-MM-DD> [HH:MM]`),
        ', or choose another time.',
      ]);
  }
}

async function scheduledMeeting(r: Repos, id: number): Promise<MeetingRecord> {
  const m = await r.meetings.byId(id);
  if (!m) throw new UserError([`There is no meeting #${id}. See them with `, cmd('coop', 'meetings'), '.']);
  if (m.status !== 'scheduled' || m.reckonedAt) throw new UserError(`Meeting #${id} is ${m.reckonedAt ? 'held' : m.status}; it can no longer change.`);
  return m;
}

export async function scheduleMeeting(ctx: CommandContext, opts: { kind: MeetingKind; at: Date }): Promise<MeetingChanged> {
  const result = await ctx.deps.store.write(async (r) => {
    await assertGoodTime(ctx, r, opts.at);
    const meeting = await r.meetings.create({ kind: opts.kind, at: opts.at, createdAt: ctx.now });
    const moved = await bindWaitingDeadlines(r, ctx.now);
    await r.audit.record(
      auditEntry(ctx, 'meeting.scheduled', { type: 'meeting', id: meeting.id }, { kind: opts.kind, at: opts.at.toISOString(), deficienciesBound: moved.map((c) => c.deficiency.id) }),
    );
    return { meeting, moved };
  });
  const title = `${MEETING_TITLES[opts.kind]} #${result.meeting.id}`;
  await announce(ctx, `${title} scheduled for ${formatDateTime(opts.at, ctx.deps.settings.timezone)}.`);
  await tellDeadlineChanges(ctx.deps, result.moved, `${title} was scheduled, and deficiencies waiting for a general meeting now run to it.`);
  return result;
}

export async function moveMeeting(ctx: CommandContext, opts: { id: number; at: Date }): Promise<MeetingChanged & { from: Date }> {
  const tz = ctx.deps.settings.timezone;
  const result = await ctx.deps.store.write(async (r) => {
    const m = await scheduledMeeting(r, opts.id);
    await assertGoodTime(ctx, r, opts.at, m.id);
    const moved = await followMovedMeeting(r, m.id, opts.at);
    await r.meetings.update(m.id, { at: opts.at });
    await r.audit.record(auditEntry(ctx, 'meeting.moved', { type: 'meeting', id: m.id }, { from: m.at.toISOString(), to: opts.at.toISOString(), deficiencies: moved.map((c) => c.deficiency.id) }));
    return { meeting: { ...m, at: opts.at }, moved, from: m.at };
  });
  const title = `${MEETING_TITLES[result.meeting.kind]} #${result.meeting.id}`;
  await announce(ctx, `${title} moved from ${formatDateTime(result.from, tz)} to ${formatDateTime(opts.at, tz)}; grace periods ending at it move with it.`);
  await tellDeadlineChanges(ctx.deps, result.moved, `${title} moved to ${formatDateTime(opts.at, tz)}.`);
  return result;
}

export async function cancelMeeting(ctx: CommandContext, id: number): Promise<MeetingChanged> {
  const tz = ctx.deps.settings.timezone;
  const result = await ctx.deps.store.write(async (r) => {
    const m = await scheduledMeeting(r, id);
    await r.meetings.update(m.id, { status: 'cancelled' });
    const moved = await passCancelledMeeting(r, m);
    await r.audit.record(auditEntry(ctx, 'meeting.cancelled', { type: 'meeting', id: m.id }, { at: m.at.toISOString(), deficiencies: moved.map((c) => c.deficiency.id) }));
    return { meeting: { ...m, status: 'cancelled' as const }, moved };
  });
  const m = result.meeting;
  const title = `${MEETING_TITLES[m.kind]} #${m.id}`;
  await announce(ctx, `${title} of ${formatDateTime(m.at, tz)} is cancelled.${result.moved.length > 0 ? ` ${movedText(result.moved, tz)}` : ''}`);
  await tellDeadlineChanges(ctx.deps, result.moved, `${title} of ${formatDateTime(m.at, tz)} was cancelled.`);
  return result;
}

/** "2 deficiency deadlines now run to 7 Dec 2026, 18:00 UTC." */
export function movedText(moved: readonly DeadlineChange[], tz: string): string {
  const n = moved.length;
  const what = n === 1 ? '1 deficiency deadline' : `${n} deficiency deadlines`;
  const to = moved[0]?.to;
  return to ? `${what} now ${n === 1 ? 'runs' : 'run'} to ${formatDateTime(to, tz)}.` : `${what} now ${n === 1 ? 'waits' : 'wait'} for the next general meeting to be scheduled.`;
}

async function announce(ctx: CommandContext, text: string): Promise<void> {
  await notifyAfterCommit(ctx.deps, { kind: 'governance' }, publicReply(para(text)));
}
