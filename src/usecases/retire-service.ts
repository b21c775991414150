// Retiring a service (R12: its record stays readable). In the same change: its open
// verification request and poll are cancelled, its open deficiencies close, and the
// services built on it come under scrutiny exactly as after a descent (R10).
import type { CommandContext } from '../context.js';
import { unknownService } from '../domain/errors.js';
import { scrutinyText, underScrutiny } from '../domain/reckoning.js';
import type { Level } from '../domain/service.js';
import { dependentsWithCauses } from '../domain/uses-graph.js';
import type { DeficiencyRecord, MemberRecord, PollRecord } from '../ports.js';
import { cmd, para, publicReply } from '../reply/model.js';
import { byMeeting } from '../reply/deadline.js';
import { auditEntry } from './audit.js';
import { cancelPollInTx } from './close-poll.js';
import { assertNotRetired } from './edit-service.js';
import { graceMeeting } from './grace.js';
import { notifyAfterCommit, pollChanged } from './notify.js';
import { notifyWatchers } from './watchers.js';

export interface Retired {
  serviceId: number;
  /** Ids of its maintainers when it was retired. */
  maintainers: number[];
  from: Level;
  /** The verification poll cancelled with it, if one was open. */
  cancelledPoll: PollRecord | null;
  /** Deficiencies closed because the service is gone. */
  closed: number[];
  /** Services put under scrutiny, each with its new deficiency and maintainers. */
  scrutiny: { name: string; deficiency: DeficiencyRecord; maintainers: MemberRecord[] }[];
}

export const RETIRED_NOTE = 'closed: the service was retired';

export async function retireService(ctx: CommandContext, opts: { name: string; reason: string }): Promise<Retired> {
  const { deps, now } = ctx;
  const audit = (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown> = {}) => auditEntry(ctx, action, subject, detail);
  const done = await deps.store.write(async (r): Promise<Retired> => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    assertNotRetired(service);
    let cancelledPoll: PollRecord | null = null;
    const request = await r.requests.openFor(service.id);
    if (request) {
      await r.requests.setStatus(request.id, 'cancelled', now);
      if (request.pollId !== null && (await cancelPollInTx(r, request.pollId, now, audit, 'the service was retired'))) {
        cancelledPoll = await r.polls.byId(request.pollId);
      }
    }
    const closed: number[] = [];
    for (const d of await r.deficiencies.openFor(service.id)) {
      await r.deficiencies.resolve(d.id, { at: now, by: null, note: RETIRED_NOTE });
      await r.audit.record(audit('deficiency.closed', { type: 'deficiency', id: d.id }, { service: service.name, because: 'retired' }));
      closed.push(d.id);
    }
    await r.services.update(service.id, { level: 'retired', levelSince: now, retiredAt: now, retiredReason: opts.reason });
    await r.services.recordLevelChange(service.id, { from: service.level, to: 'retired', at: now, reason: opts.reason, pollId: null });
    await r.audit.record(audit('service.retired', { type: 'service', id: service.name }, { from: service.level, reason: opts.reason, cancelledPoll: cancelledPoll?.id ?? null, closed }));

    const scrutiny: Retired['scrutiny'] = [];
    const dependents = dependentsWithCauses(await r.services.usesGraph(), [service.name]);
    const meeting = dependents.size > 0 ? await graceMeeting(r, now) : null;
    for (const [name, causes] of dependents) {
      const dependent = await r.services.byName(name);
      if (!dependent || !underScrutiny(dependent.level)) continue;
      const deficiency = await r.deficiencies.create({
        serviceId: dependent.id,
        requirementKey: null,
        description: scrutinyText(causes, 'was retired'),
        source: 'scrutiny',
        reportedBy: null,
        reportedAt: now,
        graceMeetingId: meeting?.id ?? null,
      });
      await r.audit.record(audit('deficiency.opened', { type: 'deficiency', id: deficiency.id }, { service: name, source: 'scrutiny', because: `${service.name} retired` }));
      scrutiny.push({ name, deficiency, maintainers: dependent.maintainers });
    }
    return { serviceId: service.id, maintainers: service.maintainers.map((m) => m.id), from: service.level, cancelledPoll, closed, scrutiny };
  });

  if (done.cancelledPoll) {
    await pollChanged(deps, done.cancelledPoll.id);
    await notifyAfterCommit(deps, { kind: 'governance' }, publicReply(para(`Poll #${done.cancelledPoll.id} (${done.cancelledPoll.question}) is cancelled: ${opts.name} was retired.`)));
  }
  const tz = deps.settings.timezone;
  for (const s of done.scrutiny) {
    const deadline = byMeeting(s.deficiency.graceUntil, tz);
    const message = publicReply(
      para(`${opts.name} was retired, and ${s.name} is built on it. Deficiency #${s.deficiency.id} is open on ${s.name}: ${s.deficiency.description}`),
      para(`Find another base and change what it uses with `, cmd('service', `set ${s.name} uses <services>`), `, then resolve it with `, cmd('service', `resolve ${s.deficiency.id} <how>`), `, ${deadline}, or ${s.name} descends one level.`),
    );
    for (const m of s.maintainers) await notifyAfterCommit(deps, { kind: 'person', memberId: m.id, identities: m.identities }, message);
    await notifyWatchers(deps, { serviceId: s.deficiency.serviceId, except: [ctx.actor.member?.id, ...s.maintainers.map((m) => m.id)] }, publicReply(
      para(`${s.name}, a service you watch, is under scrutiny: ${opts.name}, which it is built on, was retired. Deficiency #${s.deficiency.id} is open on it, ${deadline}.`),
    ));
  }
  await notifyWatchers(deps, { serviceId: done.serviceId, except: [ctx.actor.member?.id, ...done.maintainers] }, publicReply(
    para(`${opts.name}, a service you watch, was retired (it was ${done.from}): ${opts.reason}`),
  ));
  return done;
}
