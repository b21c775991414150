// The catalogues repository of the Store port: catalogues.
import type { Repos } from '../../ports.js';
import { idOf, toCatalogue } from './rows.js';
import type { Tx } from '../database.js';
import type { SharedQueries } from './queries.js';

export function cataloguesRepos(tx: Tx, { sql }: SharedQueries): Pick<Repos, 'catalogues'> {
  return {
    catalogues: {
      // Asked by every command that shows what a level means (see sql.ts).
      async idWithStatus(status) {
        const [row] = await sql.all`SELECT "id" FROM "Catalogue" WHERE "status" = ${status} ORDER BY "id" DESC LIMIT 1`;
        return row ? idOf(row) : null;
      },
      async withStatus(status) {
        const row = await tx.catalogue.findFirst({ where: { status }, orderBy: { id: 'desc' } });
        return row ? toCatalogue(row) : null;
      },
      async record(input) {
        const row = await tx.catalogue.create({
          data: {
            name: input.name,
            version: input.version,
            hash: input.hash,
            content: input.content,
            status: input.status,
            recordedAt: input.at,
            effectiveAt: input.status === 'current' ? input.at : null,
          },
        });
        return toCatalogue(row);
      },
      async byHash(hash) {
        const row = await tx.catalogue.findFirst({ where: { hash }, orderBy: { id: 'desc' } });
        return row ? toCatalogue(row) : null;
      },
      async byPoll(pollId) {
        const row = await tx.catalogue.findFirst({ where: { pollId } });
        return row ? toCatalogue(row) : null;
      },
      async setPoll(id, pollId) {
        await tx.catalogue.update({ where: { id }, data: { pollId } });
      },
      async firstRecordedAt() {
        return (await tx.catalogue.findFirst({ orderBy: { id: 'asc' }, select: { recordedAt: true } }))?.recordedAt ?? null;
      },
      async setStatus(id, status, effectiveAt, meetingId) {
        await tx.catalogue.update({ where: { id }, data: { status, ...(effectiveAt ? { effectiveAt } : {}), ...(meetingId ? { meetingId } : {}) } });
      },
    },
  };
}
