// R12: a service's life, from the audit trail: itself, its deficiencies and its
// verification polls, newest first, a page at a time.
import type { CommandContext } from '../context.js';
import { unknownService } from '../domain/errors.js';
import type { AuditRecord } from '../ports.js';

/** Individual votes are not the service's history (and a secret ballot's order must not show). */
const NOT_HISTORY = ['poll.voted', 'poll.vote-changed', 'poll.vote-withdrawn'];

export interface HistoryPage {
  name: string;
  total: number;
  offset: number;
  entries: (AuditRecord & { who: string | null })[];
}

export async function serviceHistory(ctx: CommandContext, opts: { name: string; offset: number; limit: number }): Promise<HistoryPage> {
  return ctx.deps.store.read(async (r) => {
    const service = await r.services.byName(opts.name);
    if (!service) throw unknownService(opts.name);
    const [deficiencies, polls] = await Promise.all([r.deficiencies.idsFor(service.id), r.requests.pollIdsFor(service.id)]);
    const { total, entries } = await r.audit.page(
      { service: [service.name], deficiency: deficiencies.map(String), poll: polls.map(String) },
      NOT_HISTORY,
      { offset: opts.offset, limit: opts.limit },
    );
    const names = new Map<number, string>();
    for (const id of new Set(entries.map((e) => e.memberId).filter((x): x is number => x !== null))) {
      const m = await r.members.byId(id);
      if (m) names.set(id, m.name);
    }
    return { name: service.name, total, offset: opts.offset, entries: entries.map((e) => ({ ...e, who: e.memberId === null ? null : (names.get(e.memberId) ?? null) })) };
  });
}
