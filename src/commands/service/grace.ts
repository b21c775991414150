import { z } from 'zod';
import { MEETING_TITLES } from '../../domain/meeting.js';
import { formatDateTime } from '../../reply/format.js';
import { para, publicReply, strong } from '../../reply/model.js';
import { setGrace } from '../../usecases/set-grace.js';
import { numberedId, text } from '../args.js';
import { defineCommand } from '../define.js';

export const grace = defineCommand({
  group: 'service',
  words: ['grace'],
  params: [{ name: 'id', label: '<deficiency-id>' }, { name: 'meeting', label: '<meeting-id>' }, { name: 'reason', rest: true }],
  args: z.object({ id: numberedId('deficiency'), meeting: numberedId('meeting'), reason: text('the reason for the longer grace period', 1000) }),
  access: 'board',
  summary: 'Give a deficiency until a later general meeting (the "reasonable" grace period), with the reason.',
  example: '/service grace 4 7 The restore needs new hardware, ordered for the autumn',
  async run(ctx, args) {
    const done = await setGrace(ctx, { deficiencyId: args.id, meetingId: args.meeting, reason: args.reason });
    const tz = ctx.deps.settings.timezone;
    return publicReply(
      para(
        `Deficiency #${done.deficiency.id} on `,
        strong(done.deficiency.serviceName),
        ` now runs to the ${MEETING_TITLES[done.meeting.kind]} of ${formatDateTime(done.meeting.at, tz)}${done.from ? ` (was ${formatDateTime(done.from, tz)})` : ''}: ${args.reason}`,
      ),
      para('Its maintainers have been told.'),
    );
  },
});
