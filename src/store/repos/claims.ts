// The claims repositories of the Store port: events, notifications, keyValues,
// attempts, and the copies of the bot with their outbox. Claims name the copy that
// made them.
import type { Repos } from '../../ports.js';
import type { Tx } from '../database.js';
import type { SharedQueries } from './queries.js';
import { insertIgnoring, insertRows, rowsIn } from '../dialect.js';
import { attemptOf, keyOf, ROWS_PER_INSERT } from './rows.js';
import { identityKey } from '../../domain/identity.js';

export function claimsRepos(tx: Tx, { sql }: SharedQueries, copy: string): Pick<Repos, 'events' | 'notifications' | 'keyValues' | 'attempts' | 'copies' | 'outbox'> {
  return {
    events: {
      async claim(key, at) {
        return insertIgnoring(sql, 'ProcessedEvent', { key, handledAt: at });
      },
      async has(key) {
        return (await tx.processedEvent.count({ where: { key } })) > 0;
      },
    },
    notifications: {
      async claim(input) {
        return insertIgnoring(sql, 'Notification', { key: input.key, kind: input.kind, payload: input.payload, claimedAt: input.at, claimedBy: copy });
      },
      async claimMany(inputs) {
        const mine = new Set<string>();
        // In pieces: one statement's parameters stay within SQLite's limit.
        for (let i = 0; i < inputs.length; i += ROWS_PER_INSERT) {
          const rows = inputs.slice(i, i + ROWS_PER_INSERT).map((x) => ({ key: x.key, kind: x.kind, payload: x.payload, claimedAt: x.at, claimedBy: copy }));
          for (const r of (await insertRows(sql, 'Notification', rows, ['key'], { ignoreConflicts: true })).rows) mine.add(keyOf(r));
        }
        return mine;
      },
      // After every batch of notifications sent (thousands after a reckoning).
      async markSent(keys, at) {
        await rowsIn(sql, keys, (list) => `UPDATE "Notification" SET "sentAt" = ? WHERE "key" IN (${list})`, [at]);
      },
      async unconfirmed(before) {
        const rows = await tx.notification.findMany({ where: { sentAt: null, abandonedAt: null, claimedAt: { lt: before } }, orderBy: { id: 'asc' } });
        return rows.map((r) => ({ key: r.key, kind: r.kind, payload: r.payload, claimedAt: r.claimedAt, claimedBy: r.claimedBy }));
      },
      async abandon(key, at) {
        await tx.notification.updateMany({ where: { key }, data: { abandonedAt: at } });
      },
      async isClaimed(key) {
        return (await tx.notification.count({ where: { key } })) > 0;
      },
      async claimedAmong(keys) {
        return new Set((await rowsIn(sql, keys, (list) => `SELECT "key" FROM "Notification" WHERE "key" IN (${list})`)).map(keyOf));
      },
    },
    keyValues: {
      async get(key) {
        return (await tx.keyValue.findFirst({ where: { key } }))?.value ?? null;
      },
      async set(key, value) {
        await tx.keyValue.upsert({ where: { key }, create: { key, value }, update: { value } });
      },
    },
    attempts: {
      async record(key, at) {
        await sql.run`INSERT INTO "Attempt" ("key", "at") VALUES (${key}, ${at})`;
      },
      // Every command, beside the sender's lookup (see limits.ts): the key and the limit
      // come from the identity in the statement itself.
      takeCommand: async (identity, at, since, limit) =>
        (await sql.run`INSERT INTO "Attempt" ("key", "at")
          SELECT w."key", ${at} FROM (
            SELECT COALESCE(MAX('cmd:member:' || i."memberId"), ${`cmd:${identityKey(identity)}`}) AS "key",
              CASE WHEN MAX(CASE WHEN m."isBoard" THEN 1 ELSE 0 END) = 1 THEN CAST(${limit.board} AS INTEGER) ELSE CAST(${limit.member} AS INTEGER) END AS "lim"
            FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId"
            WHERE i."platform" = ${identity.platform} AND i."externalId" = ${identity.externalId}
          ) AS w
          WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM "Attempt" a WHERE a."key" = w."key" AND a."at" > ${since} LIMIT ${limit.board}) AS "recent") < w."lim"`) === 1,
      async since(key, since, atMost) {
        const where = { key, at: { gt: since } };
        if (atMost !== undefined) {
          const rows = await sql.all`SELECT "at" FROM "Attempt" WHERE "key" = ${key} AND "at" > ${since} ORDER BY "at" LIMIT ${atMost}`;
          return { count: rows.length, oldest: rows[0] ? attemptOf(rows[0]) : null };
        }
        const [count, oldest] = await Promise.all([tx.attempt.count({ where }), tx.attempt.findFirst({ where, orderBy: { at: 'asc' }, select: { at: true } })]);
        return { count, oldest: oldest?.at ?? null };
      },
      async prune(before) {
        return (await tx.attempt.deleteMany({ where: { at: { lt: before } } })).count;
      },
    },
    copies: {
      async beat(c, at) {
        await tx.botCopy.upsert({ where: { name: c.name }, create: { name: c.name, host: c.host, startedAt: c.startedAt, seenAt: at }, update: { seenAt: at } });
        // Copies gone for a day are forgotten (each start of a copy is a new name).
        await tx.botCopy.deleteMany({ where: { seenAt: { lt: new Date(at.getTime() - 86_400_000) } } });
      },
      async seenSince(since) {
        return new Set((await tx.botCopy.findMany({ where: { seenAt: { gte: since } }, select: { name: true } })).map((r) => r.name));
      },
      async leave(name) {
        await tx.botCopy.deleteMany({ where: { name } });
      },
    },
    outbox: {
      async add(platform, payload, at) {
        await tx.outbox.create({ data: { platform, payload, createdAt: at, createdBy: copy } });
      },
      async take(platform, limit, at) {
        const rows = await tx.outbox.findMany({ where: { platform, takenAt: null }, orderBy: { id: 'asc' }, take: limit, select: { id: true, payload: true } });
        if (rows.length > 0) await tx.outbox.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { takenAt: at } });
        return rows;
      },
    },
  };
}
