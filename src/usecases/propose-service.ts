import { cmd, mono } from '../reply/model.js';
import { UserError } from '../domain/errors.js';
import type { ServiceKind } from '../domain/service.js';
import type { ServiceRecord, Store } from '../ports.js';
import { auditEntry, type Acting } from './audit.js';

/** R1, R2: a new service starts at proposed with its proposer as first maintainer. */
export async function proposeService(
  opts: Acting & { store: Store; name: string; kind: ServiceKind; summary: string },
): Promise<ServiceRecord> {
  const { store, actor, now, name, kind, summary } = opts;
  const member = actor.member;
  if (!member) throw new Error('proposeService needs a member');
  return store.write(async (r) => {
    if (await r.services.byName(name)) {
      throw new UserError(['A service named ', mono(name), ' already exists. See it with ', cmd('service', `info ${name}`), ', or choose another name.']);
    }
    const service = await r.services.create({ name, kind, summary, at: now, maintainerId: member.id });
    await r.audit.record(auditEntry(opts, 'service.proposed', { type: 'service', id: name }, { kind, summary }));
    return service;
  });
}
