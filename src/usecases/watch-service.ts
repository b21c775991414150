// `/service watch`: anyone who can reach the bot, member or not, may ask to be told.
import type { CommandContext } from '../context.js';
import { UserError, unknownService } from '../domain/errors.js';
import type { ServiceSummary } from '../ports.js';
import { cmd } from '../reply/model.js';
import { auditEntry } from './audit.js';
import { findOrRecordPerson } from './people.js';

export async function watchService(ctx: CommandContext, name: string, watch: boolean): Promise<void> {
  await ctx.deps.store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    const { person } = await findOrRecordPerson(r, { ...ctx.actor.identity, label: ctx.actor.displayName }, ctx.now);
    if (watch) {
      if (service.level === 'retired') throw new UserError([`\`${name}\` is retired; it will not change any more.`]);
      if (!(await r.watches.add(person.id, service.id, ctx.now))) throw new UserError([`You already watch \`${name}\`. See what you watch with `, cmd('service', 'watching'), '.']);
    } else if (!(await r.watches.remove(person.id, service.id))) {
      throw new UserError([`You do not watch \`${name}\`. See what you watch with `, cmd('service', 'watching'), '.']);
    }
    await r.audit.record(auditEntry({ ...ctx, actor: { ...ctx.actor, member: person } }, watch ? 'service.watched' : 'service.unwatched', { type: 'service', id: name }));
  });
}

export async function watching(ctx: CommandContext): Promise<ServiceSummary[]> {
  const member = ctx.actor.member;
  if (!member) return [];
  return ctx.deps.store.read((r) => r.watches.forMember(member.id));
}
