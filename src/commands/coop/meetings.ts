import { z } from 'zod';
import { UserError } from '../../domain/errors.js';
import { MEETING_TITLES } from '../../domain/meeting.js';
import { readLocalDateTime } from '../../domain/time.js';
import { formatDateTime } from '../../reply/format.js';
import { cmd, heading, list, para, privateReply, publicReply, type Block } from '../../reply/model.js';
import { cancelMeeting, moveMeeting, movedText, scheduleMeeting } from '../../usecases/manage-meetings.js';
import { clockTime, isoDate, numberedId, oneOf } from '../args.js';
import type { CommandContext } from '../../context.js';
import { defineCommand } from '../define.js';

/** A local date and time in the co-op's zone; a note when the time occurs twice that day. */
function when(ctx: CommandContext, date: string, time: string | undefined): { at: Date; note: Block[] } {
  const tz = ctx.deps.settings.timezone;
  const read = readLocalDateTime(date, time, tz);
  switch (read.kind) {
    case 'invalid':
      throw new UserError(`${date}${time ? ` ${time}` : ''} is not a real date and time. Write the date as YYYY-MM-DD and the time as HH:MM (24-hour).`);
    case 'gap':
      throw new UserError(
        `${date} ${time ?? ''} does not exist in ${tz}: the clocks skip from ${read.before} to ${read.after} that night. Choose ${read.before}, ${read.after} or another time.`,
      );
    case 'ok':
      return {
        at: read.at,
        note: read.twice ? [para(`${time ?? ''} occurs twice on ${date} in ${tz} (the clocks go back); the meeting is at the first, ${read.twice.offset}.`)] : [],
      };
  }
}

export const meeting = defineCommand({
  group: 'coop',
  words: ['meeting'],
  params: [{ name: 'kind', label: 'agm|egm' }, { name: 'date', label: '<YYYY-MM-DD>' }, { name: 'time', label: '[HH:MM]', optional: true }],
  args: z.object({ kind: oneOf(['agm', 'egm']), date: isoDate, time: clockTime.optional() }),
  access: 'board',
  summary: 'Schedule a general meeting (time in the co-op time zone; 18:00 if not given).',
  example: '/coop meeting agm 2027-06-05 14:00',
  async run(ctx, args) {
    const { at, note } = when(ctx, args.date, args.time);
    const { meeting: m, moved } = await scheduleMeeting(ctx, { kind: args.kind, at });
    return publicReply(
      para(`${MEETING_TITLES[m.kind]} #${m.id} scheduled for ${formatDateTime(m.at, ctx.deps.settings.timezone)}.`),
      ...note,
      ...(moved.length > 0 ? [para(movedText(moved, ctx.deps.settings.timezone), ' Their maintainers have been told.')] : []),
    );
  },
});

export const meetingMove = defineCommand({
  group: 'coop',
  words: ['meeting', 'move'],
  params: [{ name: 'id', label: '<id>' }, { name: 'date', label: '<YYYY-MM-DD>' }, { name: 'time', label: '[HH:MM]', optional: true }],
  args: z.object({ id: numberedId('meeting'), date: isoDate, time: clockTime.optional() }),
  access: 'board',
  summary: 'Move a scheduled meeting; grace periods ending at it move with it.',
  example: '/coop meeting move 3 2027-06-12',
  async run(ctx, args) {
    const { at, note } = when(ctx, args.date, args.time);
    const { meeting: m, moved } = await moveMeeting(ctx, { id: args.id, at });
    return publicReply(
      para(`${MEETING_TITLES[m.kind]} #${m.id} is now on ${formatDateTime(m.at, ctx.deps.settings.timezone)}.`),
      ...note,
      ...(moved.length > 0 ? [para(movedText(moved, ctx.deps.settings.timezone), ' Their maintainers have been told.')] : []),
    );
  },
});

export const meetingCancel = defineCommand({
  group: 'coop',
  words: ['meeting', 'cancel'],
  params: [{ name: 'id', label: '<id>' }],
  args: z.object({ id: numberedId('meeting') }),
  access: 'board',
  summary: 'Cancel a scheduled meeting; grace periods ending at it run to the next one.',
  example: '/coop meeting cancel 3',
  async run(ctx, args) {
    const { meeting: m, moved } = await cancelMeeting(ctx, args.id);
    return publicReply(
      para(`${MEETING_TITLES[m.kind]} #${m.id} is cancelled.`),
      ...(moved.length > 0 ? [para(movedText(moved, ctx.deps.settings.timezone), ' Their maintainers have been told.')] : []),
    );
  },
});

export const meetings = defineCommand({
  group: 'coop',
  words: ['meetings'],
  params: [],
  args: z.object({}),
  access: 'anyone',
  summary: 'General meetings: upcoming, and those held.',
  example: '/coop meetings',
  async run(ctx) {
    const tz = ctx.deps.settings.timezone;
    const all = await ctx.deps.store.read((r) => r.meetings.list());
    if (all.length === 0) return privateReply(para('No general meeting is scheduled. The board schedules one with ', cmd('coop', 'meeting agm <YYYY-MM-DD>'), '.'));
    const line = (m: (typeof all)[number]) => `#${m.id} ${MEETING_TITLES[m.kind]} ${formatDateTime(m.at, tz)}${m.status === 'scheduled' ? '' : ` (${m.status})`}`;
    const upcoming = all.filter((m) => m.status === 'scheduled');
    const past = all.filter((m) => m.status !== 'scheduled').slice(-5);
    return privateReply(
      heading('Upcoming'),
      upcoming.length > 0 ? list(upcoming.map(line)) : para('None scheduled.'),
      ...(past.length > 0 ? [heading('Earlier'), list(past.map(line))] : []),
    );
  },
});
