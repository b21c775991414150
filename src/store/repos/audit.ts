// The audit repository of the Store port: audit.
import type { AuditRecord, Repos } from '../../ports.js';
import type { Prisma } from '../../../prisma/generated/client.js';
import { detail, ROWS_PER_INSERT } from './rows.js';
import type { Tx } from '../database.js';
import { insertRows } from '../dialect.js';
import type { SharedQueries } from './queries.js';

export function auditRepos(tx: Tx, { sql }: SharedQueries): Pick<Repos, 'audit'> {
  return {
    audit: {
      // Every change writes one (see sql.ts).
      async record(e) {
        await sql.run`INSERT INTO "AuditEvent" ("at", "actor", "memberId", "platform", "action", "subjectType", "subjectId", "detail")
          VALUES (${e.at}, ${e.actor}, ${e.memberId}, ${e.platform}, ${e.action}, ${e.subjectType}, ${e.subjectId}, ${JSON.stringify(e.detail)})`;
      },
      async recordMany(entries) {
        // In pieces: one statement's parameters stay within SQLite's limit.
        for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
          await insertRows(sql, 'AuditEvent', entries.slice(i, i + ROWS_PER_INSERT).map((e) => ({ at: e.at, actor: e.actor, memberId: e.memberId, platform: e.platform, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId, detail: JSON.stringify(e.detail) })));
        }
      },
      async forSubject(subjectType, subjectId) {
        const rows = await tx.auditEvent.findMany({ where: { subjectType, subjectId }, orderBy: { id: 'asc' } });
        return rows.map((r): AuditRecord => ({ ...r, detail: detail.parse(JSON.parse(r.detail)) }));
      },
      async page(subjects, skip, page) {
        const where: Prisma.AuditEventWhereInput = {
          OR: Object.entries(subjects)
            .filter(([, ids]) => ids.length > 0)
            .map(([subjectType, ids]) => ({ subjectType, subjectId: { in: ids } })),
          action: { notIn: skip },
        };
        const [total, rows] = await Promise.all([
          tx.auditEvent.count({ where }),
          tx.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: page.offset, take: page.limit }),
        ]);
        return { total, entries: rows.map((r): AuditRecord => ({ ...r, detail: detail.parse(JSON.parse(r.detail)) })) };
      },
    },
  };
}
