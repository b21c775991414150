import { cmd } from '../reply/model.js';
import { UserError, unknownService } from '../domain/errors.js';
import { findCycle } from '../domain/uses-graph.js';
import type { ServiceRecord, Store } from '../ports.js';
import { auditEntry, type Acting } from './audit.js';

export type TextField = 'summary' | 'provides' | 'principles';

/** Sets one of the card's text fields. Returns the value it replaced. */
export async function setServiceText(
  opts: Acting & { store: Store; name: string; field: TextField; value: string },
): Promise<{ before: string }> {
  const { store, name, field, value } = opts;
  return store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    assertNotRetired(service);
    const before = service[field];
    await r.services.update(service.id, { [field]: value });
    await r.audit.record(auditEntry(opts, `service.${field}-set`, { type: 'service', id: name }, { before, after: value }));
    return { before };
  });
}

/** Replaces what a service is built on; refuses unknown services and cycles. */
export async function setServiceUses(
  opts: Acting & { store: Store; name: string; uses: string[] },
): Promise<{ before: string[]; after: string[] }> {
  const { store, name, uses } = opts;
  return store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    assertNotRetired(service);
    if (uses.includes(name)) throw new UserError(`\`${name}\` cannot use itself.`);
    const found = await Promise.all(uses.map((u) => r.services.byName(u)));
    const missing = uses.filter((_, i) => !found[i]);
    if (missing.length > 0) {
      throw new UserError([`No service is named ${missing.join(', ')}. Propose it first, or check the names with `, cmd('service', 'list'), '.']);
    }
    const retired = found.filter((s): s is ServiceRecord => !!s && s.level === 'retired').map((s) => s.name);
    if (retired.length > 0) throw new UserError(`${retired.join(', ')} ${retired.length === 1 ? 'is' : 'are'} retired; a service cannot be built on a retired one.`);
    const cycle = findCycle(await r.services.usesGraph(), name, uses);
    if (cycle) throw new UserError(`That would make a cycle: ${cycle.join(' → ')}. A service cannot be built, even indirectly, on itself.`);
    await r.services.setUses(service.id, found.map((s) => (s as ServiceRecord).id));
    const after = [...uses].sort();
    await r.audit.record(auditEntry(opts, 'service.uses-set', { type: 'service', id: name }, { before: service.uses, after }));
    return { before: service.uses, after };
  });
}

export function assertNotRetired(service: ServiceRecord): void {
  if (service.level === 'retired') throw new UserError(`\`${service.name}\` is retired; its record can be read but not changed.`);
}
