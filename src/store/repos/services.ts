// The services repositories of the Store port: services, assessments, watches.
import type { Assessment } from '../../domain/assessment.js';
import { VERIFIED_LEVELS } from '../../domain/service.js';
import type { MemberRecord, Repos, ServiceRecord } from '../../ports.js';
import type { Prisma } from '../../../prisma/generated/client.js';
import { assessmentOf, countOf, idName, ladderOf, level, levelMoveOf, membersOf, namesOf, pairOf, serviceOf, serviceRecordOf, serviceSummaryOf, standingOf, summaryOf, toAssessment, toSummary } from './rows.js';
import type { Tx } from '../database.js';
import { IN_LIST, ladderRows, rowsIn } from '../dialect.js';
import type { SharedQueries } from './queries.js';


export function servicesRepos(tx: Tx, q: SharedQueries): Pick<Repos, 'services' | 'assessments' | 'watches'> {
  const { membersWhere, membersIn, sql } = q;
  async function recordNamed(name: string): Promise<ServiceRecord | null> {
    const [[found], maintainers, uses, usedBy] = await Promise.all([
      sql.all`SELECT "id", "name", "kind", "summary", "provides", "principles", "level", "levelSince", "createdAt", "retiredAt", "retiredReason" FROM "Service" WHERE "name" = ${name}`,
      sql.all`SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId" FROM "ServiceMaintainer" sm JOIN "Member" m ON m."id" = sm."memberId"
        LEFT JOIN "Identity" o ON o."memberId" = m."id" WHERE sm."serviceId" = (SELECT "id" FROM "Service" WHERE "name" = ${name}) ORDER BY sm."addedAt", sm."memberId", o."id"`.then(membersOf),
      sql.all`SELECT u."name" FROM "ServiceUse" e JOIN "Service" u ON u."id" = e."usesId" WHERE e."serviceId" = (SELECT "id" FROM "Service" WHERE "name" = ${name})`.then(namesOf),
      sql.all`SELECT u."name" FROM "ServiceUse" e JOIN "Service" u ON u."id" = e."serviceId" WHERE e."usesId" = (SELECT "id" FROM "Service" WHERE "name" = ${name})`.then(namesOf),
    ]);
    return found ? serviceRecordOf(serviceOf(found), { maintainers, uses, usedBy }) : null;
  }
  return {
    services: {
      // The service every command about one service reads first: hand-written (see sql.ts),
      // its four statements asked at once by the service's name (one round trip on PostgreSQL).
      byName: recordNamed,
      // /service info's card: the service with its assessments and open deficiencies, all asked at once.
      async card(name) {
        const [service, assessments, open] = await Promise.all([
          recordNamed(name),
          sql.all`SELECT "serviceId", "requirementKey", "status", "note", "assessedAt", "agreedPollId", "confirmedAt" FROM "Assessment"
            WHERE "serviceId" = (SELECT "id" FROM "Service" WHERE "name" = ${name}) ORDER BY "requirementKey"`.then((r) => r.map((a) => toAssessment(assessmentOf(a)))),
          sql.all`SELECT d."id", d."description", d."requirementKey", d."reportedAt", m."at" AS "graceUntil", d."graceReason"
            FROM "Deficiency" d LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
            WHERE d."serviceId" = (SELECT "id" FROM "Service" WHERE "name" = ${name}) AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id"`.then((r) => r.map(summaryOf)),
        ]);
        return service ? { service, assessments, open } : null;
      },
      // /service level: the service and its open deficiencies, one statement.
      async standing(name) {
        const rows = (
          await sql.all`SELECT s."id", s."name", s."kind", s."summary", s."level", s."levelSince", s."retiredReason", d."id" AS "deficiencyId",
              d."description", d."requirementKey", d."reportedAt", m."at" AS "graceUntil", d."graceReason"
            FROM "Service" s LEFT JOIN "Deficiency" d ON d."serviceId" = s."id" AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL
            LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
            WHERE s."name" = ${name} ORDER BY d."id"`
        ).map(standingOf);
        const [first] = rows;
        return first ? { service: first.service, open: rows.flatMap((r) => (r.open ? [r.open] : [])) } : null;
      },
      async missingUpdates(meetingId, limit, after) {
        const where: Prisma.ServiceWhereInput = { level: { in: [...VERIFIED_LEVELS] }, updates: { none: { meetingId } } };
        const [total, rows] = await Promise.all([
          after === undefined ? tx.service.count({ where }) : null,
          tx.service.findMany({ where: after === undefined ? where : { ...where, name: { gt: after } }, select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true }, orderBy: { name: 'asc' }, take: limit }),
        ]);
        return { total, items: rows.map(toSummary) };
      },
      async countByLevel() {
        const rows = await tx.service.groupBy({ by: ['level'], _count: { _all: true } });
        return Object.fromEntries(rows.map((r) => [level.parse(r.level), r._count._all]));
      },
      async list(filter) {
        const rows = await tx.service.findMany({
          where: { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.level ? { level: filter.level } : {}) },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      async page(filter, page) {
        const where = {
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.level ? { level: filter.level } : { level: { not: 'retired' } }),
        };
        const [total, rows] = await Promise.all([
          tx.service.count({ where }),
          tx.service.findMany({
            where,
            select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
            orderBy: { name: 'asc' },
            skip: page.offset,
            take: page.limit,
          }),
        ]);
        return { total, items: rows.map(toSummary) };
      },
      async create(input) {
        const row = await tx.service.create({
          data: {
            name: input.name,
            kind: input.kind,
            summary: input.summary,
            level: 'proposed',
            levelSince: input.at,
            createdAt: input.at,
            maintainers: { create: { memberId: input.maintainerId, addedAt: input.at } },
            levelChanges: { create: { fromLevel: null, toLevel: 'proposed', at: input.at, reason: 'proposed' } },
          },
        });
        const created = await recordNamed(row.name);
        if (!created) throw new Error('service vanished after create');
        return created;
      },
      async update(id, patch) {
        await tx.service.update({ where: { id }, data: patch });
      },
      // The reckoning's writes, a statement each (see sql.ts).
      async setLevel(id, to, since) {
        await sql.run`UPDATE "Service" SET "level" = ${to}, "levelSince" = ${since} WHERE "id" = ${id}`;
      },
      async addMaintainer(serviceId, memberId, at) {
        await tx.serviceMaintainer.create({ data: { serviceId, memberId, addedAt: at } });
      },
      async removeMaintainer(serviceId, memberId) {
        await tx.serviceMaintainer.delete({ where: { serviceId_memberId: { serviceId, memberId } } });
      },
      async setUses(serviceId, usesIds) {
        await tx.serviceUse.deleteMany({ where: { serviceId } });
        if (usesIds.length > 0) await tx.serviceUse.createMany({ data: usesIds.map((usesId) => ({ serviceId, usesId })) });
      },
      async maintainedBy(memberId) {
        const rows = await tx.service.findMany({
          where: { level: { not: 'retired' }, maintainers: { some: { memberId } } },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      // Paged by name (every name sorts after ''): what needs attention is counted, and shown a page at a time.
      async unmaintained({ limit, after, count }) {
        const [total, rows] = await Promise.all([
          count ? sql.all`SELECT COUNT(*) AS "n" FROM "Service" s WHERE s."level" <> 'retired' AND NOT EXISTS (SELECT 1 FROM "ServiceMaintainer" sm WHERE sm."serviceId" = s."id")`.then(countOf) : null,
          sql.all`SELECT s."id", s."name", s."kind", s."summary", s."level", s."levelSince" FROM "Service" s
            WHERE s."level" <> 'retired' AND s."name" > ${after ?? ''} AND NOT EXISTS (SELECT 1 FROM "ServiceMaintainer" sm WHERE sm."serviceId" = s."id") ORDER BY s."name" LIMIT ${limit}`,
        ]);
        return { total, items: rows.map(serviceSummaryOf) };
      },
      async usesGraph() {
        const [services, edges] = await Promise.all([
          sql.all`SELECT "id", "name" FROM "Service"`.then((r) => r.map(idName)),
          sql.all`SELECT "serviceId" AS "a", "usesId" AS "b" FROM "ServiceUse"`.then((r) => r.map(pairOf).map((p) => ({ serviceId: p.a, usesId: p.b }))),
        ]);
        const names = new Map(services.map((s) => [s.id, s.name]));
        const graph = new Map<string, string[]>(services.map((s) => [s.name, []]));
        for (const e of edges) {
          const from = names.get(e.serviceId);
          const to = names.get(e.usesId);
          if (from && to) graph.get(from)?.push(to);
        }
        return graph;
      },
      async recordLevelChange(serviceId, c) {
        await sql.run`INSERT INTO "LevelChange" ("serviceId", "fromLevel", "toLevel", "at", "reason", "pollId", "meetingId")
          VALUES (${serviceId}, ${c.from}, ${c.to}, ${c.at}, ${c.reason}, ${c.pollId}, ${c.meetingId ?? null})`;
      },
      // One statement for every use: the filters are values (0 is no meeting's id), keyed by (at, id).
      async levelChanges({ from, to, meetingId, exceptMeetingId, retirements }, { limit, after, count }) {
        const only = meetingId ?? 0;
        const except = exceptMeetingId ?? 0;
        const retired = retirements ? 1 : 0;
        const [total, rows] = await Promise.all([
          count
            ? sql.all`SELECT COUNT(*) AS "n" FROM "LevelChange" c WHERE c."at" BETWEEN ${from} AND ${to} AND c."fromLevel" IS NOT NULL
                AND (${only} = 0 OR c."meetingId" = ${only}) AND (c."meetingId" IS NULL OR c."meetingId" <> ${except}) AND (${retired} = 1 OR c."toLevel" <> 'retired')`.then(countOf)
            : null,
          sql.all`SELECT c."id", s."name" AS "serviceName", c."fromLevel", c."toLevel", c."at", c."reason", c."pollId", c."meetingId"
            FROM "LevelChange" c JOIN "Service" s ON s."id" = c."serviceId"
            WHERE c."at" BETWEEN ${from} AND ${to} AND c."fromLevel" IS NOT NULL
              AND (${only} = 0 OR c."meetingId" = ${only}) AND (c."meetingId" IS NULL OR c."meetingId" <> ${except}) AND (${retired} = 1 OR c."toLevel" <> 'retired')
              AND (c."at" > ${after?.at ?? new Date(0)} OR (c."at" = ${after?.at ?? new Date(0)} AND c."id" > ${after?.id ?? 0}))
            ORDER BY c."at", c."id" LIMIT ${limit}`,
        ]);
        return { total, items: rows.map(levelMoveOf) };
      },
      async withUnagreedDeviations(keysByLevel, { limit, after, count }) {
        const where: Prisma.AssessmentWhereInput = {
          status: 'deviation',
          agreedPollId: null,
          confirmedAt: null,
          OR: Object.entries(keysByLevel).map(([l, keys]) => ({ requirementKey: { in: [...(keys ?? [])] }, service: { level: l } })),
        };
        const [total, services] = await Promise.all([
          count ? tx.assessment.count({ where }) : null,
          tx.service.findMany({ where: { assessments: { some: where }, ...(after === undefined ? {} : { name: { gt: after } }) }, select: { id: true, name: true, level: true }, orderBy: { name: 'asc' }, take: limit }),
        ]);
        // In pieces: a list of ids longer than SQLite's parameter limit is refused.
        const byService = new Map<number, Assessment[]>();
        for (let i = 0; i < services.length; i += IN_LIST) {
          const ids = services.slice(i, i + IN_LIST).map((x) => x.id);
          const rows = await tx.assessment.findMany({ where: { ...where, serviceId: { in: ids } }, orderBy: { requirementKey: 'asc' } });
          for (const a of rows) {
            const list = byService.get(a.serviceId) ?? [];
            list.push(toAssessment(a));
            byService.set(a.serviceId, list);
          }
        }
        return { total, services: services.map((s) => ({ name: s.name, level: level.parse(s.level), assessments: byService.get(s.id) ?? [] })) };
      },
      async reportPage(lvl, after, limit) {
        const rows = await tx.service.findMany({
          where: { level: lvl, ...(after === null ? {} : { name: { gt: after } }) },
          orderBy: { name: 'asc' },
          take: limit,
          select: {
            id: true, name: true, kind: true, summary: true, level: true, levelSince: true, retiredAt: true, retiredReason: true,
            maintainers: { select: { member: { select: { name: true } } }, orderBy: [{ addedAt: 'asc' }, { memberId: 'asc' }] },
            assessments: { where: { status: 'deviation' }, select: { requirementKey: true, note: true }, orderBy: { requirementKey: 'asc' } },
          },
        });
        return rows.map((row) => ({
          ...toSummary(row),
          retiredAt: row.retiredAt,
          retiredReason: row.retiredReason,
          maintainers: row.maintainers.map((m) => m.member.name),
          deviations: row.assessments,
        }));
      },
      // One row a service, its lists aggregated by the engine (dialect.ts).
      ladder: async (opts) => (await ladderRows(sql, { met: opts.met, uses: opts.uses ?? false })).map(ladderOf),
      // The maintainers of a page of reminders or of a reckoning's services (hand-written, see sql.ts).
      async maintainersOf(serviceIds, known = new Map()) {
        const pairs = (await rowsIn(sql, serviceIds, (list) => `SELECT "serviceId" AS "a", "memberId" AS "b" FROM "ServiceMaintainer" WHERE "serviceId" IN (${list}) ORDER BY "addedAt", "memberId"`)).map(pairOf);
        for (const m of await membersIn([...new Set(pairs.map((p) => p.b))].filter((id) => !known.has(id)))) known.set(m.id, m);
        const members = known;
        const out = new Map<number, MemberRecord[]>(serviceIds.map((id) => [id, []]));
        for (const p of pairs) {
          const m = members.get(p.b);
          if (m) out.get(p.a)?.push(m);
        }
        return out;
      },
      async listFull(opts = {}) {
        // Assessments are most of a large co-op's rows: only those asked for are loaded.
        // Every row of the co-op: hand-written statements (see sql.ts), Prisma's own work
        // per row was most of a reckoning's time.
        const wanted = opts.assessments ?? 'all';
        const [rows, maintainers, members, uses, assessments] = await Promise.all([
          sql.all`SELECT "id", "name", "kind", "summary", "provides", "principles", "level", "levelSince", "createdAt", "retiredAt", "retiredReason" FROM "Service" ORDER BY "name"`.then((r) => r.map(serviceOf)),
          sql.all`SELECT "serviceId" AS "a", "memberId" AS "b" FROM "ServiceMaintainer" ORDER BY "addedAt", "memberId"`.then((r) => r.map(pairOf).map((p) => ({ serviceId: p.a, memberId: p.b }))),
          sql.all`SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId" FROM "Member" m LEFT JOIN "Identity" o ON o."memberId" = m."id"
            WHERE m."id" IN (SELECT "memberId" FROM "ServiceMaintainer") ORDER BY m."id", o."id"`.then(membersOf),
          sql.all`SELECT "serviceId" AS "a", "usesId" AS "b" FROM "ServiceUse"`.then((r) => r.map(pairOf).map((p) => ({ serviceId: p.a, usesId: p.b }))),
          (wanted === 'none'
            ? Promise.resolve([])
            : wanted === 'deviations'
              ? sql.all`SELECT "serviceId", "requirementKey", "status", "note", "assessedAt", "agreedPollId", "confirmedAt" FROM "Assessment" WHERE "status" = 'deviation' ORDER BY "requirementKey"`
              : sql.all`SELECT "serviceId", "requirementKey", "status", "note", "assessedAt", "agreedPollId", "confirmedAt" FROM "Assessment" ORDER BY "requirementKey"`
          ).then((r) => r.map(assessmentOf)),
        ]);
        const names = new Map(rows.map((r) => [r.id, r.name]));
        const memberById = new Map(members.map((m) => [m.id, m]));
        const group = <T, K>(items: T[], key: (t: T) => K) => {
          const out = new Map<K, T[]>();
          for (const i of items) {
            const k = key(i);
            const list = out.get(k);
            if (list) list.push(i);
            else out.set(k, [i]);
          }
          return out;
        };
        const maintainersOf = group(maintainers, (m) => m.serviceId);
        const usesOf = group(uses, (u) => u.serviceId);
        const usedByOf = group(uses, (u) => u.usesId);
        const assessmentsOf = group(assessments, (a) => a.serviceId);
        return rows.map((row) => ({
          ...serviceRecordOf(row, {
            maintainers: (maintainersOf.get(row.id) ?? []).map((m) => memberById.get(m.memberId)).filter((m): m is MemberRecord => m !== undefined),
            uses: (usesOf.get(row.id) ?? []).map((u) => names.get(u.usesId) ?? '?'),
            usedBy: (usedByOf.get(row.id) ?? []).map((u) => names.get(u.serviceId) ?? '?'),
          }),
          assessments: (assessmentsOf.get(row.id) ?? []).map(toAssessment),
        }));
      },
      async levelHistory(serviceId) {
        const rows = await tx.levelChange.findMany({ where: { serviceId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
        return rows.map((r) => ({
          from: r.fromLevel === null ? null : level.parse(r.fromLevel),
          to: level.parse(r.toLevel),
          at: r.at,
          reason: r.reason,
          pollId: r.pollId,
        }));
      },
    },
    assessments: {
      async forService(serviceId) {
        const rows = await tx.assessment.findMany({ where: { serviceId }, orderBy: { requirementKey: 'asc' } });
        return rows.map(toAssessment);
      },
      async agree(serviceId, requirementKey, note, pollId) {
        await tx.assessment.updateMany({ where: { serviceId, requirementKey, status: 'deviation', note }, data: { agreedPollId: pollId } });
      },
      async confirm(serviceId, requirementKey, at, by) {
        await tx.assessment.updateMany({ where: { serviceId, requirementKey }, data: { confirmedAt: at, confirmedBy: by } });
      },
      async upsert(serviceId, a) {
        // A new assessment is a new statement: an earlier agreement or confirmation does not carry over.
        const data = { status: a.status, note: a.note, assessedAt: a.at, assessedBy: a.by, agreedPollId: null, confirmedAt: null, confirmedBy: null };
        await tx.assessment.upsert({
          where: { serviceId_requirementKey: { serviceId, requirementKey: a.requirementKey } },
          create: { serviceId, requirementKey: a.requirementKey, ...data },
          update: data,
        });
      },
    },
    watches: {
      async add(memberId, serviceId, at) {
        const found = await tx.watch.findFirst({ where: { memberId, serviceId } });
        if (found) return false;
        await tx.watch.create({ data: { memberId, serviceId, createdAt: at } });
        return true;
      },
      async remove(memberId, serviceId) {
        return (await tx.watch.deleteMany({ where: { memberId, serviceId } })).count > 0;
      },
      async forMember(memberId) {
        const rows = await tx.service.findMany({
          where: { watchers: { some: { memberId } } },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      async watchersOf(serviceIds) {
        // Most changes are to one service (see sql.ts); a list of them in pieces.
        const [only] = serviceIds;
        if (serviceIds.length === 1 && only !== undefined) {
          return membersOf(await sql.all`SELECT m."id", m."name", m."isMember", m."isBoard", o."platform", o."externalId" FROM "Member" m LEFT JOIN "Identity" o ON o."memberId" = m."id"
            WHERE m."id" IN (SELECT "memberId" FROM "Watch" WHERE "serviceId" = ${only}) ORDER BY m."name", m."id", o."id"`);
        }
        const out = new Map<number, MemberRecord>();
        for (let i = 0; i < serviceIds.length; i += IN_LIST) {
          for (const m of await membersWhere({ watches: { some: { serviceId: { in: serviceIds.slice(i, i + IN_LIST) } } } })) out.set(m.id, m);
        }
        return [...out.values()];
      },
      async watched(serviceIds) {
        const out = new Set<number>();
        for (let i = 0; i < serviceIds.length; i += IN_LIST) {
          const rows = await tx.watch.findMany({ where: { serviceId: { in: serviceIds.slice(i, i + IN_LIST) } }, select: { serviceId: true }, distinct: ['serviceId'] });
          for (const r of rows) out.add(r.serviceId);
        }
        return out;
      },
    },
  };
}
