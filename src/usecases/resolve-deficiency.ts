import { cmd } from '../reply/model.js';
import type { CommandContext } from '../context.js';
import { ForbiddenError, UserError } from '../domain/errors.js';
import type { DeficiencyRecord } from '../ports.js';
import { maintains } from '../domain/service.js';
import { para, publicReply } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { notifyWatchers } from './watchers.js';

/** R7: a maintainer of the service, or the board, resolves a deficiency with a note. */
export async function resolveDeficiency(ctx: CommandContext, opts: { id: number; note: string }): Promise<DeficiencyRecord> {
  const { deps, now, actor } = ctx;
  const done = await deps.store.write(async (r) => {
    const d = await r.deficiencies.byId(opts.id);
    if (!d) throw new UserError([`There is no deficiency #${opts.id}. Open ones are listed by `, cmd('service', 'level <name>'), ' and ', cmd('coop', 'status'), '.']);
    if (d.resolvedAt) throw new UserError(`Deficiency #${d.id} was already resolved.`);
    if (d.lapsedAt) throw new UserError(`Deficiency #${d.id} lapsed at a general meeting; it can no longer be resolved.`);
    const service = await r.services.byName(d.serviceName);
    const member = actor.member;
    const allowed = !!member && (member.isBoard || maintains(member, service?.maintainers ?? []));
    if (!allowed || !member) throw new ForbiddenError(`Only maintainers of ${d.serviceName} or the board can resolve its deficiencies.`);
    await r.deficiencies.resolve(d.id, { at: now, by: member.id, note: opts.note });
    await r.audit.record(auditEntry(ctx, 'deficiency.resolved', { type: 'deficiency', id: d.id }, { service: d.serviceName, note: opts.note }));
    return { ...d, resolvedAt: now, resolvedBy: member.id, resolution: opts.note };
  });
  await notifyWatchers(deps, { serviceId: done.serviceId, except: [actor.member?.id] }, publicReply(
    para(`${done.serviceName}, a service you watch: deficiency #${done.id} (${done.description}) was resolved by @${actor.member?.name ?? 'a member'}: ${opts.note}`),
  ));
  return done;
}
