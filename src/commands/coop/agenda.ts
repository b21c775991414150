import { z } from 'zod';
import { UserError } from '../../domain/errors.js';
import { agendaBlocks, minutesBlocks } from '../../reply/agenda.js';
import { cmd, MESSAGE_ITEMS, privateReply } from '../../reply/model.js';
import { buildAgenda, buildMinutes } from '../../usecases/agenda.js';
import { numberedId } from '../args.js';
import { defineCommand } from '../define.js';

export const agenda = defineCommand({
  group: 'coop',
  words: ['agenda'],
  params: [{ name: 'meeting', label: '[meeting-id]', optional: true }],
  args: z.object({ meeting: numberedId('meeting').optional() }),
  access: 'anyone',
  summary: 'What the next (or a named) general meeting will decide or note.',
  example: '/coop agenda 3',
  async run(ctx, { meeting }) {
    const catalogue = await ctx.deps.catalogue();
    const a = await ctx.deps.store.read((r) => buildAgenda(r, ctx.now, catalogue, meeting, MESSAGE_ITEMS));
    if (!a) throw new UserError([meeting === undefined ? 'No general meeting is scheduled. ' : `There is no meeting #${meeting}. `, 'See them with ', cmd('coop', 'meetings'), '.']);
    if (a.meeting.status !== 'scheduled') {
      throw new UserError([`Meeting #${a.meeting.id} is ${a.meeting.status}. What happened at a held meeting: `, cmd('coop', `minutes ${a.meeting.id}`), '.']);
    }
    return privateReply(...agendaBlocks(a, ctx.deps.settings.timezone));
  },
});

export const minutes = defineCommand({
  group: 'coop',
  words: ['minutes'],
  params: [{ name: 'meeting', label: '[meeting-id]', optional: true }],
  args: z.object({ meeting: numberedId('meeting').optional() }),
  access: 'anyone',
  summary: 'What happened at the last (or a named) general meeting: descents, scrutiny, requirements, decisions.',
  example: '/coop minutes 3',
  async run(ctx, { meeting }) {
    const m = await ctx.deps.store.read((r) => buildMinutes(r, meeting, MESSAGE_ITEMS));
    if (!m) {
      throw new UserError([meeting === undefined ? 'No general meeting has been held yet. ' : `Meeting #${meeting} has not been held. `, 'What is coming: ', cmd('coop', 'agenda'), '.']);
    }
    return privateReply(...minutesBlocks(m, ctx.deps.settings.timezone));
  },
});
