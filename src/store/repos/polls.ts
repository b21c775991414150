// The polls repositories of the Store port: polls, requests, pollMessages.
import type { Repos } from '../../ports.js';
import { countOf, idOf, pollOf, pollTallyOf, pollWithMineOf, requestInclude, toPoll, toRequest } from './rows.js';
import type { Tx } from '../database.js';
import type { SharedQueries } from './queries.js';
import { insertIgnoring } from '../dialect.js';

export function pollsRepos(tx: Tx, q: SharedQueries): Pick<Repos, 'polls' | 'requests' | 'pollMessages'> {
  const { membersWhere, sql } = q;
  return {
    polls: {
      async create(input) {
        const row = await tx.poll.create({
          data: {
            kind: input.kind,
            question: input.question,
            options: JSON.stringify(input.options),
            createdBy: input.createdBy,
            createdAt: input.createdAt,
            closesAt: input.closesAt,
            status: 'open',
            secret: input.secret,
            quorum: input.quorum,
            electorate: input.electorIds.length,
            originPlatform: input.originPlatform,
            originRoom: input.originRoom,
            electors: { createMany: { data: input.electorIds.map((memberId) => ({ memberId })) } },
          },
        });
        return toPoll(row);
      },
      // A vote's statements are hand-written (see sql.ts): it is the write members make most.
      async byId(id) {
        const [row] = await sql.all`SELECT * FROM "Poll" WHERE "id" = ${id}`;
        return row ? pollOf(row) : null;
      },
      countOpen: () => tx.poll.count({ where: { status: 'open' } }),
      // /coop polls, every vote's check and every pass (see sql.ts).
      listOpen: async () => (await sql.all`SELECT * FROM "Poll" WHERE "status" = 'open' ORDER BY "closesAt", "id"`).map(pollOf),
      // /coop polls: two statements, whatever the number of polls (asked at once).
      async openOverview(memberId) {
        const [open, counts] = await Promise.all([
          sql.all`SELECT p.*,
              EXISTS (SELECT 1 FROM "PollElector" e WHERE e."pollId" = p."id" AND e."memberId" = ${memberId}) AS "isElector",
              (SELECT v."option" FROM "Vote" v WHERE v."pollId" = p."id" AND v."memberId" = ${memberId}) AS "myOption"
            FROM "Poll" p WHERE p."status" = 'open' ORDER BY p."closesAt", p."id"`,
          sql.all`SELECT v."pollId", v."option", COUNT(*) AS "n" FROM "Vote" v JOIN "Poll" p ON p."id" = v."pollId"
            WHERE p."status" = 'open' GROUP BY v."pollId", v."option"`,
        ]);
        const tallies = new Map<number, Map<string, number>>();
        for (const c of counts.map(pollTallyOf)) {
          const t = tallies.get(c.pollId) ?? new Map<string, number>();
          tallies.set(c.pollId, t.set(c.option, c.n));
        }
        return open.map(pollWithMineOf).map(({ poll, isElector, myOption }) => ({ poll, tally: tallies.get(poll.id) ?? new Map(), elector: isElector, mine: myOption }));
      },
      // A vote's checks in one statement (see cast-vote.ts).
      async ballot(pollId, memberId) {
        const [row] = await sql.all`SELECT p.*,
            EXISTS (SELECT 1 FROM "PollElector" e WHERE e."pollId" = p."id" AND e."memberId" = ${memberId}) AS "isElector",
            (SELECT v."option" FROM "Vote" v WHERE v."pollId" = p."id" AND v."memberId" = ${memberId}) AS "myOption",
            (SELECT COUNT(*) FROM "Vote" v WHERE v."pollId" = p."id") AS "n"
          FROM "Poll" p WHERE p."id" = ${pollId}`;
        if (!row) return null;
        const { poll, isElector, myOption } = pollWithMineOf(row);
        return { poll, elector: isElector, mine: myOption, turnout: countOf([row]) };
      },
      async endedBetween(kind, from, to) {
        const rows = await tx.poll.findMany({ where: { kind, status: { not: 'open' }, closedAt: { gte: from, lte: to } }, orderBy: { closedAt: 'asc' } });
        return rows.map(toPoll);
      },
      countOpenBy: (memberId, kind) => tx.poll.count({ where: { createdBy: memberId, kind, status: 'open' } }),
      dueForClosing: async (now) => (await sql.all`SELECT "id" FROM "Poll" WHERE "status" = 'open' AND "closesAt" <= ${now} ORDER BY "closesAt", "id"`).map(idOf),
      electors: (pollId) => membersWhere({ electorates: { some: { pollId } } }),
      async votes(pollId) {
        const rows = await tx.vote.findMany({ where: { pollId }, orderBy: { castAt: 'asc' } });
        return rows.map((r) => ({ memberId: r.memberId, option: r.option, castAt: r.castAt, platform: r.platform }));
      },
      countVotes: async (pollId) => countOf(await sql.all`SELECT COUNT(*) AS "n" FROM "Vote" WHERE "pollId" = ${pollId}`),
      async deleteVote(pollId, memberId) {
        return (await tx.vote.deleteMany({ where: { pollId, memberId } })).count === 1;
      },
      async upsertVote(pollId, v) {
        await sql.run`INSERT INTO "Vote" ("pollId", "memberId", "option", "castAt", "platform") VALUES (${pollId}, ${v.memberId}, ${v.option}, ${v.castAt}, ${v.platform})
          ON CONFLICT ("pollId", "memberId") DO UPDATE SET "option" = excluded."option", "castAt" = excluded."castAt", "platform" = excluded."platform"`;
      },
      async finish(pollId, end) {
        const { count } = await tx.poll.updateMany({
          where: { id: pollId, status: 'open' },
          data: { status: end.status, closedAt: end.closedAt, outcome: JSON.stringify(end.outcome) },
        });
        return count === 1;
      },
      async eraseChoices(pollId) {
        await tx.vote.updateMany({ where: { pollId }, data: { option: '' } });
      },
    },
    requests: {
      async openFor(serviceId) {
        const row = await tx.verificationRequest.findFirst({ where: { serviceId, status: 'open' }, include: requestInclude });
        return row ? toRequest(row) : null;
      },
      async byPoll(pollId) {
        const row = await tx.verificationRequest.findFirst({ where: { pollId }, include: requestInclude });
        return row ? toRequest(row) : null;
      },
      async create(input) {
        const row = await tx.verificationRequest.create({ data: { ...input, requirements: JSON.stringify(input.requirements), status: 'open' }, include: requestInclude });
        return toRequest(row);
      },
      async setStatus(id, status, closedAt) {
        await tx.verificationRequest.update({ where: { id }, data: { status, closedAt } });
      },
      async pollIdsFor(serviceId) {
        const rows = await tx.verificationRequest.findMany({ where: { serviceId, pollId: { not: null } }, select: { pollId: true } });
        return rows.map((r) => r.pollId).filter((id): id is number => id !== null);
      },
    },
    pollMessages: {
      async record(input) {
        await insertIgnoring(sql, 'PollMessage', { pollId: input.pollId, platform: input.platform, room: input.room, messageId: input.messageId });
      },
      async forPoll(pollId, platform) {
        return tx.pollMessage.findMany({ where: { pollId, platform }, select: { room: true, messageId: true }, orderBy: { id: 'asc' } });
      },
      async pollOf(platform, room, messageId) {
        return (await tx.pollMessage.findFirst({ where: { platform, room, messageId }, select: { pollId: true } }))?.pollId ?? null;
      },
    },
  };
}
