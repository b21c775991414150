// Electors written straight into a test database, and the tally read back from it.
import { sql, sqlTime } from './engine.js';

/** Members m0…m<n-1>, each with a console identity of the same name. */
export function addMembers(dir: string, n: number): void {
  const rows = Array.from({ length: n }, (_, i) => `('m${i}', true, false, ${sqlTime()})`).join(', ');
  sql(dir, `INSERT INTO "Member" ("name", "isMember", "isBoard", "joinedAt") VALUES ${rows}`);
  sql(dir, `INSERT INTO "Identity" ("platform", "externalId", "memberId", "linkedAt") SELECT 'console', "name", "id", ${sqlTime()} FROM "Member" WHERE "name" LIKE 'm%'`);
}

/** Votes on poll 1, by option, and the audit entries of votes. */
export function counts(dir: string): { votes: number; yes: number; no: number; audits: number } {
  const [row] = sql(
    dir,
    `SELECT COUNT(*) AS "votes", SUM(CASE WHEN "option" = 'yes' THEN 1 ELSE 0 END) AS "yes", SUM(CASE WHEN "option" = 'no' THEN 1 ELSE 0 END) AS "no",
       (SELECT COUNT(*) FROM "AuditEvent" WHERE "action" = 'poll.voted') AS "audits" FROM "Vote" WHERE "pollId" = 1`,
  );
  return { votes: Number(row?.votes), yes: Number(row?.yes), no: Number(row?.no), audits: Number(row?.audits) };
}

