// General meetings, scheduled by the board in BOT_TIMEZONE. Grace deadlines follow.
import type { CommandContext } from '../commands/context.js';
import { UserError } from '../domain/errors.js';
import { MEETING_TITLES, type MeetingKind } from '../domain/meeting.js';
import type { MeetingRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { para, publicReply } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { regrace } from './grace.js';
import { notifyAfterCommit } from './notify.js';

function assertFuture(ctx: CommandContext, at: Date): void {
  if (at.getTime() <= ctx.now.getTime()) {
    throw new UserError(`${formatDateTime(at, ctx.deps.settings.timezone)} has already passed; a meeting is scheduled in the future.`);
  }
}

async function scheduledMeeting(ctx: CommandContext, id: number): Promise<MeetingRecord> {
  const m = await ctx.deps.store.read((r) => r.meetings.byId(id));
  if (!m) throw new UserError(`There is no meeting #${id}. See them with \`/coop meetings\`.`);
  if (m.status !== 'scheduled' || m.reckonedAt) throw new UserError(`Meeting #${id} is ${m.reckonedAt ? 'held' : m.status}; it can no longer change.`);
  return m;
}

export async function scheduleMeeting(ctx: CommandContext, opts: { kind: MeetingKind; at: Date }): Promise<{ meeting: MeetingRecord; moved: number }> {
  assertFuture(ctx, opts.at);
  const result = await ctx.deps.store.write(async (r) => {
    const meeting = await r.meetings.create({ kind: opts.kind, at: opts.at, createdAt: ctx.now });
    const moved = await regrace(r);
    await r.audit.record(auditEntry(ctx, 'meeting.scheduled', { type: 'meeting', id: meeting.id }, { kind: opts.kind, at: opts.at.toISOString(), deficienciesRepointed: moved }));
    return { meeting, moved };
  });
  await announce(ctx, `${MEETING_TITLES[opts.kind]} #${result.meeting.id} scheduled for ${formatDateTime(opts.at, ctx.deps.settings.timezone)}.`);
  return result;
}

export async function moveMeeting(ctx: CommandContext, opts: { id: number; at: Date }): Promise<MeetingRecord> {
  const m = await scheduledMeeting(ctx, opts.id);
  assertFuture(ctx, opts.at);
  await ctx.deps.store.write(async (r) => {
    await r.meetings.update(m.id, { at: opts.at });
    await r.audit.record(auditEntry(ctx, 'meeting.moved', { type: 'meeting', id: m.id }, { from: m.at.toISOString(), to: opts.at.toISOString() }));
  });
  const tz = ctx.deps.settings.timezone;
  await announce(ctx, `${MEETING_TITLES[m.kind]} #${m.id} moved from ${formatDateTime(m.at, tz)} to ${formatDateTime(opts.at, tz)}; grace periods ending at it move with it.`);
  return { ...m, at: opts.at };
}

export async function cancelMeeting(ctx: CommandContext, id: number): Promise<{ meeting: MeetingRecord; moved: number }> {
  const m = await scheduledMeeting(ctx, id);
  const moved = await ctx.deps.store.write(async (r) => {
    await r.meetings.update(m.id, { status: 'cancelled' });
    const n = await regrace(r);
    await r.audit.record(auditEntry(ctx, 'meeting.cancelled', { type: 'meeting', id: m.id }, { at: m.at.toISOString(), deficienciesRepointed: n }));
    return n;
  });
  await announce(ctx, `${MEETING_TITLES[m.kind]} #${m.id} of ${formatDateTime(m.at, ctx.deps.settings.timezone)} is cancelled.${moved > 0 ? ` ${moved} grace period(s) now run to the next meeting.` : ''}`);
  return { meeting: { ...m, status: 'cancelled' }, moved };
}

async function announce(ctx: CommandContext, text: string): Promise<void> {
  await notifyAfterCommit(ctx.deps, { kind: 'governance' }, publicReply(para(text)));
}
