// R9: each service at alpha or above gives an annual update before the AGM.
import type { CommandContext } from '../commands/context.js';
import { UserError, unknownService } from '../domain/errors.js';
import { nextMeetingAfter } from '../domain/meeting.js';
import type { MeetingRecord } from '../ports.js';
import { auditEntry } from './audit.js';

export async function giveUpdate(ctx: CommandContext, opts: { name: string; text: string }): Promise<{ meeting: MeetingRecord; replaced: boolean }> {
  const { deps, now, actor } = ctx;
  return deps.store.write(async (r) => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    if (service.level === 'proposed' || service.level === 'retired') {
      throw new UserError(`\`${service.name}\` is ${service.level}; annual updates are for services at alpha or above.`);
    }
    const agm = nextMeetingAfter(await r.meetings.list(), now, 'agm');
    if (!agm) throw new UserError('No AGM is scheduled yet, so there is nothing to update for. The board schedules one with `/coop meeting agm <YYYY-MM-DD>`.');
    const result = await r.updates.upsert({ serviceId: service.id, meetingId: agm.id, text: opts.text, givenBy: actor.member?.id ?? 0, givenAt: now });
    await r.audit.record(auditEntry(ctx, 'service.annual-update', { type: 'service', id: service.name }, { meetingId: agm.id, text: opts.text, replaced: result === 'replaced' }));
    return { meeting: agm, replaced: result === 'replaced' };
  });
}
