// Queries more than one repository needs. Lists never use relation includes: Prisma
// loads an include with one `IN (…)` list of parent ids, which SQLite refuses beyond its
// parameter limit (about a thousand rows); lists join in code, from flat queries.
import type { MemberRecord } from '../../ports.js';
import type { Prisma } from '../../../prisma/generated/client.js';
import { membersOf } from './rows.js';
import { rowsIn } from '../dialect.js';
import type { Tx } from '../database.js';
import type { Sql } from '../sql.js';

export function sharedQueries(tx: Tx, sql: Sql) {
  // Lists never use relation includes: Prisma loads an include with one `IN (…)` list of
  // parent ids, which SQLite refuses beyond its parameter limit (about a thousand rows).
  // Lists join in code, from flat queries, or filter through relations (subqueries).
  const identitiesOf = async (where: Prisma.IdentityWhereInput): Promise<Map<number, string[]>> => {
    const rows = await tx.identity.findMany({ where, select: { memberId: true, platform: true, externalId: true }, orderBy: { id: 'asc' } });
    const byMember = new Map<number, string[]>();
    for (const r of rows) byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), `${r.platform}:${r.externalId}`]);
    return byMember;
  };
  const membersWhere = async (where: Prisma.MemberWhereInput): Promise<MemberRecord[]> => {
    const [rows, ids] = await Promise.all([
      tx.member.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
      identitiesOf({ member: where }),
    ]);
    return rows.map((m) => ({ id: m.id, name: m.name, isMember: m.isMember, isBoard: m.isBoard, identities: ids.get(m.id) ?? [] }));
  };
  /** Members by id, with their identities, by name (a statement for each IN_LIST of them). */
  const membersIn = async (ids: readonly number[]): Promise<MemberRecord[]> =>
    membersOf(
      await rowsIn(
        sql,
        ids,
        (list) => `SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId" FROM "Member" m LEFT JOIN "Identity" o ON o."memberId" = m."id"
          WHERE m."id" IN (${list}) ORDER BY m."name", m."id", o."id"`,
      ),
    );
  return { sql, identitiesOf, membersWhere, membersIn };
}

export type SharedQueries = ReturnType<typeof sharedQueries>;
