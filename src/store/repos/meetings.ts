// The meetings repositories of the Store port: meetings, updates.
import type { Repos } from '../../ports.js';
import { annualUpdateOf, idOf, meetingOf, toMeeting } from './rows.js';
import type { Tx } from '../database.js';
import type { SharedQueries } from './queries.js';

export function meetingsRepos(tx: Tx, q: SharedQueries): Pick<Repos, 'meetings' | 'updates'> {
  const { sql } = q;
  return {
    meetings: {
      async create(input) {
        return toMeeting(await tx.meeting.create({ data: { ...input, status: 'scheduled' } }));
      },
      async byId(id) {
        const row = await tx.meeting.findFirst({ where: { id } });
        return row ? toMeeting(row) : null;
      },
      // Every report and deadline asks (see sql.ts).
      async list() {
        return (await sql.all`SELECT "id", "kind", "at", "status", "createdAt", "reckonedAt" FROM "Meeting" ORDER BY "at", "id"`).map(meetingOf);
      },
      async update(id, patch) {
        await tx.meeting.update({ where: { id }, data: patch });
      },
      async dueForReckoning(now) {
        const rows = await tx.meeting.findMany({ where: { status: 'scheduled', reckonedAt: null, at: { lte: now } }, orderBy: { at: 'asc' } });
        return rows.map(toMeeting);
      },
    },
    updates: {
      async upsert(input) {
        const where = { serviceId_meetingId: { serviceId: input.serviceId, meetingId: input.meetingId } };
        const existing = await tx.annualUpdate.findFirst({ where: { serviceId: input.serviceId, meetingId: input.meetingId } });
        await tx.annualUpdate.upsert({ where, create: input, update: { text: input.text, givenBy: input.givenBy, givenAt: input.givenAt } });
        return existing ? 'replaced' : 'created';
      },
      givenFor: async (meetingId) => new Set((await sql.all`SELECT "serviceId" AS "id" FROM "AnnualUpdate" WHERE "meetingId" = ${meetingId}`).map(idOf)),
      // A page by service name (every name sorts after '', so the first page is after it).
      async forMeeting(meetingId, limit, after) {
        const rows = await sql.all`SELECT u."serviceId", s."name" AS "serviceName", u."meetingId", u."text", u."givenBy", u."givenAt"
          FROM "AnnualUpdate" u JOIN "Service" s ON s."id" = u."serviceId" WHERE u."meetingId" = ${meetingId} AND s."name" > ${after ?? ''} ORDER BY s."name" LIMIT ${limit}`;
        return rows.map(annualUpdateOf);
      },
    },
  };
}
