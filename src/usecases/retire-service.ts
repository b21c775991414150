import { unknownService } from '../domain/errors.js';
import type { Level } from '../domain/service.js';
import type { Store } from '../ports.js';
import { auditEntry, type Acting } from './audit.js';
import { assertNotRetired } from './edit-service.js';

/** Retires a service; its record stays readable (R12). */
export async function retireService(opts: Acting & { store: Store; name: string; reason: string }): Promise<{ from: Level; usedBy: string[] }> {
  const { store, name, reason, now } = opts;
  return store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    assertNotRetired(service);
    await r.services.update(service.id, { level: 'retired', levelSince: now, retiredAt: now, retiredReason: reason });
    await r.services.recordLevelChange(service.id, { from: service.level, to: 'retired', at: now, reason, pollId: null });
    await r.audit.record(auditEntry(opts, 'service.retired', { type: 'service', id: name }, { from: service.level, reason }));
    return { from: service.level, usedBy: service.usedBy };
  });
}
