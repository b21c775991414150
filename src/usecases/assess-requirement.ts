import { cmd, mono } from '../reply/model.js';
import type { AssessmentStatus } from '../domain/assessment.js';
import { findRequirement, type Catalogue, type Requirement } from '../domain/catalogue.js';
import { UserError, unknownService } from '../domain/errors.js';
import type { Store } from '../ports.js';
import { auditEntry, type Acting } from './audit.js';
import { assertNotRetired } from './edit-service.js';

/** R4: a maintainer records met, unmet, or a documented deviation. */
export async function assessRequirement(
  opts: Acting & { store: Store; catalogue: Catalogue; pending?: Catalogue | null; name: string; key: string; status: AssessmentStatus; note: string },
): Promise<{ requirement: Requirement; before: AssessmentStatus | null }> {
  const { store, catalogue, name, key, status, note, now, actor } = opts;
  const requirement = findRequirement(catalogue, key) ?? (opts.pending ? findRequirement(opts.pending, key) : undefined);
  if (!requirement) {
    throw new UserError([`Neither the requirements in force nor those approved for the next meeting have `, mono(key), '. See the keys with ', cmd('coop', 'requirements'), '.']);
  }
  if (status === 'deviation' && note.trim() === '') {
    throw new UserError('A deviation needs its reason: say why the requirement does not fit this service and what is done instead.');
  }
  return store.write(async (r) => {
    const service = await r.services.byName(name);
    if (!service) throw unknownService(name);
    assertNotRetired(service);
    const before = (await r.assessments.forService(service.id)).find((a) => a.requirementKey === key)?.status ?? null;
    await r.assessments.upsert(service.id, { requirementKey: key, status, note, at: now, by: actor.member?.id ?? null });
    await r.audit.record(auditEntry(opts, 'service.assessed', { type: 'service', id: name }, { key, before, status, note }));
    return { requirement, before };
  });
}
