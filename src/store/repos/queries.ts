// Queries more than one repository needs. Lists never use relation includes: Prisma
// loads an include with one `IN (…)` list of parent ids, which SQLite refuses beyond its
// parameter limit (about a thousand rows); lists join in code, from flat queries.
import type { DeficiencyRecord, MemberRecord } from '../../ports.js';
import type { Prisma } from '../../../prisma/generated/client.js';
import { membersOf, toDeficiency } from './rows.js';
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
  /** The names of the services `where` selects (through a relation: a subquery, not a list of ids). */
  const serviceNames = async (where: Prisma.ServiceWhereInput): Promise<Map<number, string>> =>
    new Map((await tx.service.findMany({ where, select: { id: true, name: true } })).map((r) => [r.id, r.name]));
  /** Deficiencies by id; with `take`, only the first (and only their services are read). */
  const deficienciesWhere = async (where: Prisma.DeficiencyWhereInput, take?: number): Promise<DeficiencyRecord[]> => {
    const [rows, meetings] = await Promise.all([tx.deficiency.findMany({ where, orderBy: { id: 'asc' }, ...(take === undefined ? {} : { take }) }), tx.meeting.findMany({ select: { id: true, at: true } })]);
    const services = await tx.service.findMany({
      where: take === undefined ? { deficiencies: { some: where } } : { id: { in: [...new Set(rows.map((r) => r.serviceId))] } },
      select: { id: true, name: true, level: true },
    });
    const names = new Map(services.map((s) => [s.id, { name: s.name, level: s.level }]));
    const at = new Map(meetings.map((m) => [m.id, m.at]));
    return rows.map((r) =>
      toDeficiency({ ...r, service: names.get(r.serviceId) ?? { name: '?', level: 'proposed' }, graceMeeting: r.graceMeetingId === null ? null : { at: at.get(r.graceMeetingId) ?? new Date(0) } }),
    );
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
  return { sql, identitiesOf, membersWhere, membersIn, serviceNames, deficienciesWhere };
}

export type SharedQueries = ReturnType<typeof sharedQueries>;
