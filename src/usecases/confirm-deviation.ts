// Seed 000: special cases are agreements at the service level. A deviation recorded after
// the service's verification is agreed by nobody until the board confirms it.
import type { CommandContext } from '../context.js';
import { deviationsToConfirm } from '../domain/assessment.js';
import { UserError, unknownService } from '../domain/errors.js';
import { cmd } from '../reply/model.js';
import { auditEntry } from './audit.js';

export async function confirmDeviation(ctx: CommandContext, opts: { name: string; key: string }): Promise<{ title: string; note: string }> {
  const member = ctx.actor.member;
  if (!member) throw new Error('confirmDeviation needs a member');
  const catalogue = await ctx.deps.catalogue();
  return ctx.deps.store.write(async (r) => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    const pending = deviationsToConfirm(catalogue, service.level, await r.assessments.forService(service.id));
    const found = pending.find((d) => d.requirementKey === opts.key);
    if (!found) {
      throw new UserError([
        `\`${opts.key}\` of ${service.name} is not a deviation waiting to be confirmed${pending.length > 0 ? ` (those waiting: ${pending.map((d) => d.requirementKey).join(', ')})` : ''}. See its card with `,
        cmd('service', `info ${service.name}`),
        '.',
      ]);
    }
    await r.assessments.confirm(service.id, opts.key, ctx.now, member.id);
    await r.audit.record(auditEntry(ctx, 'deviation.confirmed', { type: 'service', id: service.name }, { requirementKey: opts.key, note: found.note }));
    return { title: found.title, note: found.note };
  });
}
