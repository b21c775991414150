// R7, R8 and seed 000: the board sets the "reasonable" grace period of a deficiency, a
// later general meeting than the next one, with its reason. Recorded, shown on the
// deficiency, and the maintainers told.
import type { CommandContext } from '../context.js';
import { UserError } from '../domain/errors.js';
import { MEETING_TITLES } from '../domain/meeting.js';
import type { DeficiencyRecord, MeetingRecord, MemberRecord } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { cmd, para, publicReply } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { notifyAfterCommit } from './notify.js';
import { notifyWatchers } from './watchers.js';

export interface GraceSet {
  deficiency: DeficiencyRecord;
  meeting: MeetingRecord;
  from: Date | null;
}

export async function setGrace(ctx: CommandContext, opts: { deficiencyId: number; meetingId: number; reason: string }): Promise<GraceSet> {
  const { deps, now } = ctx;
  const tz = deps.settings.timezone;
  const { done, maintainers } = await deps.store.write(async (r) => {
    const d = await r.deficiencies.byId(opts.deficiencyId);
    if (!d) throw new UserError([`There is no deficiency #${opts.deficiencyId}. Open ones are listed by `, cmd('coop', 'status'), '.']);
    if (d.resolvedAt || d.lapsedAt) throw new UserError(`Deficiency #${d.id} is ${d.resolvedAt ? 'resolved' : 'lapsed'}; its deadline can no longer change.`);
    const meeting = await r.meetings.byId(opts.meetingId);
    if (!meeting) throw new UserError([`There is no meeting #${opts.meetingId}. See them with `, cmd('coop', 'meetings'), '.']);
    if (meeting.status !== 'scheduled' || meeting.at.getTime() <= now.getTime()) {
      throw new UserError([`Meeting #${meeting.id} is not a scheduled meeting still to come. See them with `, cmd('coop', 'meetings'), '.']);
    }
    if (d.graceUntil && meeting.at.getTime() <= d.graceUntil.getTime()) {
      throw new UserError(
        `Deficiency #${d.id} already runs to ${formatDateTime(d.graceUntil, tz)}; the board can give a later general meeting, not an earlier one (${MEETING_TITLES[meeting.kind]} #${meeting.id} is on ${formatDateTime(meeting.at, tz)}).`,
      );
    }
    await r.deficiencies.setGrace(d.id, meeting.id, opts.reason);
    await r.audit.record(
      auditEntry(ctx, 'deficiency.grace-set', { type: 'deficiency', id: d.id }, { service: d.serviceName, meetingId: meeting.id, from: d.graceUntil?.toISOString() ?? null, to: meeting.at.toISOString(), reason: opts.reason }),
    );
    const service = await r.services.byName(d.serviceName);
    return {
      done: { deficiency: { ...d, graceMeetingId: meeting.id, graceUntil: meeting.at, graceReason: opts.reason }, meeting, from: d.graceUntil },
      maintainers: service?.maintainers ?? [],
    };
  });
  const message = publicReply(
    para(
      `The board gave deficiency #${done.deficiency.id} on ${done.deficiency.serviceName} (${done.deficiency.description}) until the ${MEETING_TITLES[done.meeting.kind]} of ${formatDateTime(done.meeting.at, tz)}${done.from ? `, instead of ${formatDateTime(done.from, tz)}` : ''}: ${opts.reason}`,
    ),
  );
  const tell = (m: MemberRecord) => notifyAfterCommit(deps, { kind: 'person', memberId: m.id, identities: m.identities }, message);
  for (const m of maintainers) if (m.id !== ctx.actor.member?.id) await tell(m);
  await notifyWatchers(deps, { serviceId: done.deficiency.serviceId, except: [ctx.actor.member?.id, ...maintainers.map((m) => m.id)] }, message);
  return done;
}
