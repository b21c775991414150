// R7, R8: a member reports a deficiency; a live service's maintainer reports a change.
import type { CommandContext } from '../context.js';
import { findRequirement } from '../domain/catalogue.js';
import { UserError, unknownService } from '../domain/errors.js';
import type { DeficiencyRecord, MemberRecord } from '../ports.js';
import { cmd, mono, para, publicReply, strong, type Reply } from '../reply/model.js';
import { notifyWatchers } from './watchers.js';
import type { Level } from '../domain/service.js';
import { deadlineText } from '../reply/deadline.js';
import { auditEntry } from './audit.js';
import { checkReports } from './limits.js';
import { assertNotRetired } from './edit-service.js';
import { graceMeeting } from './grace.js';
import { notifyAfterCommit } from './notify.js';

export async function reportDeficiency(
  ctx: CommandContext,
  opts: { name: string; requirementKey: string | null; description: string; source: 'report' | 'change' },
): Promise<DeficiencyRecord & { level: Level }> {
  const { deps, now, actor } = ctx;
  if (opts.requirementKey && !findRequirement(await deps.catalogue(), opts.requirementKey)) {
    throw new UserError(['The requirements in force have no ', mono(opts.requirementKey), '. See the keys with ', cmd('coop', 'requirements'), '.']);
  }
  const { deficiency, maintainers, board, level } = await deps.store.write(async (r) => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    assertNotRetired(service);
    if (opts.source === 'change' && service.level !== 'live') {
      throw new UserError(`\`${service.name}\` is ${service.level}; \`change\` is how live services tell the co-op they no longer meet live requirements. Use \`report\` for other problems.`);
    }
    if (actor.member) await checkReports(r, actor.member, now, deps.settings.limits, deps.settings.timezone);
    const meeting = await graceMeeting(r, now);
    const created = await r.deficiencies.create({
      serviceId: service.id,
      requirementKey: opts.requirementKey,
      description: opts.description,
      source: opts.source,
      reportedBy: actor.member?.id ?? null,
      reportedAt: now,
      graceMeetingId: meeting?.id ?? null,
    });
    await r.audit.record(
      auditEntry(ctx, opts.source === 'change' ? 'deficiency.change-reported' : 'deficiency.reported', { type: 'deficiency', id: created.id }, {
        service: service.name, requirementKey: opts.requirementKey, description: opts.description, graceMeetingId: meeting?.id ?? null,
      }),
    );
    return { deficiency: created, level: service.level, maintainers: service.maintainers, board: opts.source === 'change' ? await r.members.list({ board: true }) : [] };
  });
  const deadline = deadlineText(deficiency, level, deps.settings.timezone);
  const message = publicReply(
    para(
      opts.source === 'change' ? `Change reported by a maintainer of ` : 'Deficiency reported against ',
      strong(opts.name),
      ` (#${deficiency.id}${deficiency.requirementKey ? `, ${deficiency.requirementKey}` : ''}): ${deficiency.description}`,
    ),
    para(`It is ${deadline}. When it is fixed, resolve it with `, cmd('service', `resolve ${deficiency.id} <how>`), '.'),
  );
  const tell = async (people: MemberRecord[], what: Reply) => {
    for (const m of people) await notifyAfterCommit(deps, { kind: 'person', memberId: m.id, identities: m.identities }, what);
  };
  await tell(maintainers.filter((m) => m.id !== actor.member?.id), message);
  if (opts.source === 'change') {
    // Seed 000: the board acts on a live service's change notice by setting the "reasonable" grace period.
    const forBoard = publicReply(
      ...message.blocks,
      para('The board decides the reasonable grace period: to give it until a later general meeting, ', cmd('service', `grace ${deficiency.id} <meeting-id> <reason…>`), ' (meetings: ', cmd('coop', 'meetings'), ').'),
    );
    await notifyAfterCommit(deps, { kind: 'governance' }, forBoard);
    await tell(board.filter((m) => m.id !== actor.member?.id && !maintainers.some((x) => x.id === m.id)), forBoard);
  }
  await notifyWatchers(deps, { serviceId: deficiency.serviceId, except: [actor.member?.id, ...maintainers.map((m) => m.id)] }, publicReply(
    para(`${opts.name}, a service you watch: deficiency #${deficiency.id} reported${deficiency.requirementKey ? ` (${deficiency.requirementKey})` : ''}: ${deficiency.description}`),
    para(`It is ${deadline}.`),
  ));
  return { ...deficiency, level };
}
