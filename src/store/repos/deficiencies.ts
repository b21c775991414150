// The deficiencies repository of the Store port: deficiencies.
import type { DeficiencyRecord, Repos } from '../../ports.js';
import type { Level } from '../../domain/service.js';
import { activityCountsOf, countAndOldest, countOf, deficiencyDueOf, deficiencyOf, dueOf, idOf, openedOf, pairOf, summaryOf, ROWS_PER_INSERT } from './rows.js';
import type { Tx } from '../database.js';
import { insertRows } from '../dialect.js';
import type { SharedQueries } from './queries.js';

export function deficienciesRepos(tx: Tx, q: SharedQueries): Pick<Repos, 'deficiencies'> {
  const { sql } = q;
  const byId = async (id: number) => {
    const [row] = await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
      FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId" WHERE d."id" = ${id}`;
    return row ? deficiencyOf(row) : null;
  };
  return {
    deficiencies: {
      // A deficiency with its service and deadline, and a new one (a member's report): hand-written (see sql.ts).
      byId,
      async create(input) {
        const { rows } = await insertRows(sql, 'Deficiency', [input], ['id']);
        const created = rows[0] ? await byId(idOf(rows[0])) : null;
        if (!created) throw new Error('deficiency vanished after create');
        return created;
      },
      async createMany(inputs) {
        const ids: number[] = [];
        for (let i = 0; i < inputs.length; i += ROWS_PER_INSERT) {
          const chunk = inputs.slice(i, i + ROWS_PER_INSERT);
          const { rows } = await insertRows(sql, 'Deficiency', chunk, ['id', 'serviceId', 'source']);
          // A service has at most one of each source in a batch: its id is found by both.
          const idOf = new Map(rows.map(openedOf).map((r) => [`${r.serviceId}:${r.source}`, r.id]));
          ids.push(...chunk.map((x) => idOf.get(`${x.serviceId}:${x.source}`) ?? 0));
        }
        return ids;
      },
      // The first open deficiencies (`/coop status`): hand-written (see sql.ts).
      async listOpen(limit) {
        const rows = await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
          FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
          WHERE d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id" LIMIT ${limit}`;
        return rows.map(deficiencyOf);
      },
      // The page's services from the meeting's open deficiencies (an IN list made once; an
      // EXISTS per service would walk the meeting's deficiencies for each of them).
      async descendingAt(meetingId, { limit, after, count }) {
        const [total, rows] = await Promise.all([
          count
            ? sql.all`SELECT COUNT(DISTINCT d."serviceId") AS "n" FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId"
                WHERE d."graceMeetingId" = ${meetingId} AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL AND s."level" <> 'proposed'`.then(countOf)
            : null,
          sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
            FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
            WHERE d."graceMeetingId" = ${meetingId} AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL AND s."id" IN (
              SELECT p."id" FROM "Service" p WHERE p."level" <> 'proposed' AND p."name" > ${after ?? ''} AND p."id" IN (
                SELECT o."serviceId" FROM "Deficiency" o WHERE o."graceMeetingId" = ${meetingId} AND o."resolvedAt" IS NULL AND o."lapsedAt" IS NULL)
              ORDER BY p."name" LIMIT ${limit})
            ORDER BY s."name", d."id"`,
        ]);
        const services: { name: string; level: Level; deficiencies: DeficiencyRecord[] }[] = [];
        for (const d of rows.map(deficiencyOf)) {
          const last = services.at(-1);
          if (last?.name === d.serviceName) last.deficiencies.push(d);
          else services.push({ name: d.serviceName, level: d.serviceLevel, deficiencies: [d] });
        }
        return { total, services };
      },
      async openedByReckoning(at, { limit, count }) {
        const [total, rows] = await Promise.all([
          count ? sql.all`SELECT COUNT(*) AS "n" FROM "Deficiency" WHERE "reportedAt" = ${at} AND "reportedBy" IS NULL`.then(countOf) : null,
          sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
            FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
            WHERE d."reportedAt" = ${at} AND d."reportedBy" IS NULL ORDER BY d."id" LIMIT ${limit}`,
        ]);
        return { total, items: rows.map(deficiencyOf) };
      },
      async openOnProposed({ limit, afterId, count }) {
        const [total, rows] = await Promise.all([
          count
            ? sql.all`SELECT COUNT(*) AS "n" FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId"
                WHERE d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL AND s."level" = 'proposed'`.then(countOf)
            : null,
          sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
            FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
            WHERE d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL AND s."level" = 'proposed' AND d."id" > ${afterId ?? 0} ORDER BY d."id" LIMIT ${limit}`,
        ]);
        return { total, items: rows.map(deficiencyOf) };
      },
      async openOn(where) {
        const rows =
          'serviceId' in where
            ? await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
                FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
                WHERE d."serviceId" = ${where.serviceId} AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id"`
            : where.graceMeetingId === null
              ? await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
                  FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
                  WHERE d."graceMeetingId" IS NULL AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id"`
              : await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
                  FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
                  WHERE d."graceMeetingId" = ${where.graceMeetingId} AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id"`;
        return rows.map(deficiencyOf);
      },
      async openWithGraceAt(meetingId, afterId, limit) {
        const rows = await sql.all`SELECT d."id", d."serviceId", s."name" AS "serviceName", s."level" AS "serviceLevel", d."description"
          FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId"
          WHERE d."graceMeetingId" = ${meetingId} AND d."id" > ${afterId} AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id" LIMIT ${limit}`;
        return rows.map(deficiencyDueOf);
      },
      async firstOpenPerGrace() {
        const rows = await sql.all`SELECT "graceMeetingId" AS "a", MIN("id") AS "b" FROM "Deficiency"
          WHERE "graceMeetingId" IS NOT NULL AND "resolvedAt" IS NULL AND "lapsedAt" IS NULL GROUP BY "graceMeetingId"`;
        return rows.map(pairOf).map((p) => ({ meetingId: p.a, deficiencyId: p.b }));
      },
      async dueAt(meetingId) {
        const rows = await sql.all`SELECT "id", "serviceId", "requirementKey" FROM "Deficiency"
          WHERE "graceMeetingId" = ${meetingId} AND "resolvedAt" IS NULL AND "lapsedAt" IS NULL ORDER BY "id"`;
        return rows.map(dueOf);
      },
      countOpen: () => tx.deficiency.count({ where: { resolvedAt: null, lapsedAt: null } }),
      async activityCounts(from, to) {
        const [row] = await sql.all`SELECT COUNT(CASE WHEN "reportedAt" BETWEEN ${from} AND ${to} THEN 1 END) AS "opened",
            COUNT(CASE WHEN "resolvedAt" BETWEEN ${from} AND ${to} THEN 1 END) AS "resolved", COUNT(CASE WHEN "lapsedAt" BETWEEN ${from} AND ${to} THEN 1 END) AS "lapsed"
          FROM "Deficiency"`;
        return activityCountsOf(row);
      },
      // A page of one kind of activity (its column named in the statement's text, never bound).
      async activityPage(kind, from, to, afterId, limit) {
        const rows =
          kind === 'opened'
            ? await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
                FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
                WHERE d."reportedAt" BETWEEN ${from} AND ${to} AND d."id" > ${afterId} ORDER BY d."id" LIMIT ${limit}`
            : kind === 'resolved'
              ? await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
                  FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
                  WHERE d."resolvedAt" BETWEEN ${from} AND ${to} AND d."id" > ${afterId} ORDER BY d."id" LIMIT ${limit}`
              : await sql.all`SELECT d.*, s."name" AS "serviceName", s."level" AS "serviceLevel", m."at" AS "graceAt"
                  FROM "Deficiency" d JOIN "Service" s ON s."id" = d."serviceId" LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
                  WHERE d."lapsedAt" BETWEEN ${from} AND ${to} AND d."id" > ${afterId} ORDER BY d."id" LIMIT ${limit}`;
        return rows.map(deficiencyOf);
      },
      async reportedBy(memberId, since) {
        const [row] = await sql.all`SELECT COUNT(*) AS "n", MIN("reportedAt") AS "oldest" FROM "Deficiency"
          WHERE "reportedBy" = ${memberId} AND "source" IN ('report', 'change') AND "reportedAt" > ${since}`;
        return countAndOldest(row);
      },
      async idsFor(serviceId) {
        return (await tx.deficiency.findMany({ where: { serviceId }, select: { id: true } })).map((r) => r.id);
      },
      async setGrace(id, meetingId, reason) {
        await tx.deficiency.update({ where: { id }, data: { graceMeetingId: meetingId, ...(reason !== undefined ? { graceReason: reason } : {}) } });
      },
      async resolve(id, input) {
        await tx.deficiency.update({ where: { id }, data: { resolvedAt: input.at, resolvedBy: input.by, resolution: input.note } });
      },
      async lapse(id, at) {
        await sql.run`UPDATE "Deficiency" SET "lapsedAt" = ${at} WHERE "id" = ${id}`;
      },
      // Shown by /service level and info (see sql.ts).
      async openFor(serviceId) {
        const rows = await sql.all`SELECT d."id", d."description", d."requirementKey", d."reportedAt", m."at" AS "graceUntil", d."graceReason"
          FROM "Deficiency" d LEFT JOIN "Meeting" m ON m."id" = d."graceMeetingId"
          WHERE d."serviceId" = ${serviceId} AND d."resolvedAt" IS NULL AND d."lapsedAt" IS NULL ORDER BY d."id"`;
        return rows.map(summaryOf);
      },
    },
  };
}
