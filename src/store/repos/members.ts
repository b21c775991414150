// The members repositories of the Store port: members, links.
import type { Repos } from '../../ports.js';
import { countOf, memberInclude, memberOf, membersOf, toMember } from './rows.js';
import type { Tx } from '../database.js';
import type { SharedQueries } from './queries.js';

export function membersRepos(tx: Tx, q: SharedQueries): Pick<Repos, 'members' | 'links'> {
  const { membersWhere, membersIn, sql } = q;
  return {
    members: {
      // Asked on every command: one hand-written statement (see sql.ts).
      byIdentity: async (ref) =>
        memberOf(
          await sql.all`SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId"
            FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId" JOIN "Identity" o ON o."memberId" = m."id"
            WHERE i."platform" = ${ref.platform} AND i."externalId" = ${ref.externalId} ORDER BY o."id"`,
        ),
      // A reckoning's or a nudge's maintainers, hundreds at once (hand-written, see sql.ts).
      byIds: (ids) => membersIn(ids),
      byId: async (id) =>
        memberOf(
          await sql.all`SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId"
            FROM "Member" m LEFT JOIN "Identity" o ON o."memberId" = m."id" WHERE m."id" = ${id} ORDER BY o."id"`,
        ),
      async create(input) {
        const row = await tx.member.create({
          data: {
            name: input.name,
            isMember: input.isMember,
            isBoard: input.isBoard,
            joinedAt: input.at,
            identities: { create: { platform: input.identity.platform, externalId: input.identity.externalId, linkedAt: input.at } },
          },
          include: memberInclude,
        });
        return toMember(row);
      },
      async update(id, patch) {
        await tx.member.update({ where: { id }, data: patch });
      },
      list: (filter) =>
        membersWhere({
          ...(filter.roster !== undefined ? { isMember: filter.roster } : {}),
          ...(filter.board !== undefined ? { isBoard: filter.board } : {}),
        }),
      countAll: () => tx.member.count(),
      async namedById(platform, limit) {
        // A join Prisma cannot express as a filter (a column compared with another table's).
        const rows = await tx.$queryRaw<{ memberId: number | bigint; externalId: string }[]>`
          SELECT m."id" AS "memberId", i."externalId" AS "externalId" FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId"
          WHERE i."platform" = ${platform} AND m."name" = i."externalId" ORDER BY m."id" LIMIT ${limit}`;
        return rows.map((r) => ({ memberId: Number(r.memberId), externalId: r.externalId }));
      },
      countRoster: () => tx.member.count({ where: { isMember: true } }),
      async rosterPage({ offset, limit }) {
        const [total, rows] = await Promise.all([
          sql.all`SELECT COUNT(*) AS "n" FROM "Member" WHERE "isMember" = ${true}`.then(countOf),
          sql.all`SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId"
            FROM (SELECT * FROM "Member" WHERE "isMember" = ${true} ORDER BY "name", "id" LIMIT ${limit} OFFSET ${offset}) m
            LEFT JOIN "Identity" o ON o."memberId" = m."id" ORDER BY m."name", m."id", o."id"`,
        ]);
        return { total, items: membersOf(rows) };
      },
      async addIdentity(memberId, ref, at) {
        await tx.identity.create({ data: { memberId, platform: ref.platform, externalId: ref.externalId, linkedAt: at } });
      },
      async removeIdentity(ref) {
        await tx.identity.deleteMany({ where: { platform: ref.platform, externalId: ref.externalId } });
      },
      async hasHistory(memberId) {
        const m = await tx.member.findFirst({
          where: { id: memberId },
          select: { isMember: true, isBoard: true, _count: { select: { maintains: true, votes: true, electorates: true } } },
        });
        if (!m) return false;
        return m.isMember || m.isBoard || m._count.maintains + m._count.votes + m._count.electorates > 0;
      },
    },
    links: {
      async create(input) {
        await tx.linkCode.create({ data: input });
      },
      async byCode(code) {
        const row = await tx.linkCode.findFirst({ where: { code } });
        return row ? { code: row.code, memberId: row.memberId, platform: row.platform, expiresAt: row.expiresAt, usedAt: row.usedAt } : null;
      },
      async spend(code, at) {
        const { count } = await tx.linkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: at } });
        return count === 1;
      },
    },
  };
}
