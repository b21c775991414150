// R9: each service at alpha or above gives an annual update before the AGM. An update
// given late (after the AGM that missed it) resolves the "no annual update" deficiency.
import type { CommandContext } from '../context.js';
import { UserError, unknownService } from '../domain/errors.js';
import { nextMeetingAfter } from '../domain/meeting.js';
import type { MeetingRecord } from '../ports.js';
import { cmd } from '../reply/model.js';
import { auditEntry } from './audit.js';

export interface UpdateGiven {
  meeting: MeetingRecord;
  replaced: boolean;
  /** Ids of the "no annual update" deficiencies this update resolved. */
  resolved: number[];
}

export async function giveUpdate(ctx: CommandContext, opts: { name: string; text: string }): Promise<UpdateGiven> {
  const { deps, now, actor } = ctx;
  const member = actor.member;
  if (!member) throw new Error('giveUpdate needs a member');
  return deps.store.write(async (r) => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    if (service.level === 'proposed' || service.level === 'retired') {
      throw new UserError([`\`${service.name}\` is ${service.level}; annual updates are for services at alpha or above.`]);
    }
    const missed = (await r.deficiencies.openOn({ serviceId: service.id })).filter((d) => d.source === 'missed-update');
    const meetings = await r.meetings.list();
    // For the coming AGM; when none is scheduled, a late update counts for the AGM it missed.
    const agm = nextMeetingAfter(meetings, now, 'agm') ?? (missed.length > 0 ? ([...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held') ?? null) : null);
    if (!agm) throw new UserError(['No AGM is scheduled yet, so there is nothing to update for. The board schedules one with ', cmd('coop', 'meeting agm <YYYY-MM-DD>'), '.']);
    const result = await r.updates.upsert({ serviceId: service.id, meetingId: agm.id, text: opts.text, givenBy: member.id, givenAt: now });
    await r.audit.record(auditEntry(ctx, 'service.annual-update', { type: 'service', id: service.name }, { meetingId: agm.id, text: opts.text, replaced: result === 'replaced' }));
    for (const d of missed) {
      await r.deficiencies.resolve(d.id, { at: now, by: member.id, note: 'resolved by the annual update given late' });
      await r.audit.record(auditEntry(ctx, 'deficiency.resolved', { type: 'deficiency', id: d.id }, { service: service.name, note: 'annual update given late' }));
    }
    return { meeting: agm, replaced: result === 'replaced', resolved: missed.map((d) => d.id) };
  });
}
