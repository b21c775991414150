import { cmd } from '../reply/model.js';
import { UserError, unknownService } from '../domain/errors.js';
import type { IdentityRef } from '../domain/identity.js';
import type { MemberRecord, Store } from '../ports.js';
import { auditEntry, type Acting } from './audit.js';
import { assertNotRetired } from './edit-service.js';

export async function addMaintainer(opts: Acting & { store: Store; name: string; person: IdentityRef }): Promise<MemberRecord> {
  const { store, name, person, now } = opts;
  return store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    assertNotRetired(service);
    const member = await r.members.byIdentity(person);
    if (!member?.isMember) {
      throw new UserError(['Maintainers are co-op members, and that person is not on the roster. The board can add them with ', cmd('coop', 'member add <user>'), '.']);
    }
    if (service.maintainers.some((m) => m.id === member.id)) throw new UserError(`${member.name} already maintains \`${name}\`.`);
    await r.services.addMaintainer(service.id, member.id, now);
    await r.audit.record(auditEntry(opts, 'service.maintainer-added', { type: 'service', id: name }, { memberId: member.id, name: member.name }));
    return member;
  });
}

export async function removeMaintainer(opts: Acting & { store: Store; name: string; person: IdentityRef }): Promise<MemberRecord> {
  const { store, name, person } = opts;
  return store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    assertNotRetired(service);
    const member = await r.members.byIdentity(person);
    const current = member && service.maintainers.find((m) => m.id === member.id);
    if (!current) throw new UserError(`That person does not maintain \`${name}\`.`);
    if (service.maintainers.length === 1) {
      throw new UserError(`${current.name} is the last maintainer of \`${name}\`; add another maintainer first, or retire the service.`);
    }
    await r.services.removeMaintainer(service.id, current.id);
    await r.audit.record(auditEntry(opts, 'service.maintainer-removed', { type: 'service', id: name }, { memberId: current.id, name: current.name }));
    return current;
  });
}
