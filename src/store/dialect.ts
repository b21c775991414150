// The SQL the store writes by hand, where SQLite and PostgreSQL differ, in one place.
// Everything else goes through Prisma's query builder, which speaks both, or through
// the hand-written statements of sql.ts, written once for both.
import type { Sql, SqlRow, SqlValue } from './sql.js';

/**
 * `INSERT … ON CONFLICT DO NOTHING`: a claim that reports whether this call made the row
 * (true) or it was there already. SQLite's `INSERT OR IGNORE` would also swallow other
 * constraint failures, and PostgreSQL does not know it; both engines take this form.
 * Table and column names are the store's own constants, never input.
 */
export async function insertIgnoring(sql: Sql, table: string, row: Record<string, SqlValue>): Promise<boolean> {
  return (await insertRows(sql, table, [row], [], { ignoreConflicts: true })).changes === 1;
}

/**
 * A multi-row `INSERT` (both engines), for writes of thousands of rows at once (a
 * reckoning's scrutiny): Prisma's createMany costs about a quarter of a millisecond per
 * row in its own work, this a few microseconds. With `returning`, the rows come back with
 * those columns (in no promised order). With `ignoreConflicts`, rows already there are
 * skipped (and not returned): claims. Every row has the same columns, the store's own
 * constants, never input; callers keep a statement within SQLite's parameter limit.
 */
export function insertRows(sql: Sql, table: string, rows: readonly Record<string, SqlValue>[], returning: string[] = [], opts: { ignoreConflicts?: boolean } = {}): Promise<{ rows: SqlRow[]; changes: number }> {
  const columns = Object.keys(rows[0] ?? {});
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const text =
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}` +
    (opts.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : '') +
    (returning.length > 0 ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '');
  return sql.text(text, rows.flatMap((row) => columns.map((c) => row[c] ?? null)));
}

/** Values sent in one `IN (…)` list at most (SQLite refuses more than its parameter limit). */
export const IN_LIST = 500;

/**
 * A statement with an `IN (…)` list of `values`, run once for each IN_LIST of them
 * (`statement` is given the list's placeholders, bound after `first`): the rows of all,
 * piece after piece.
 */
export async function rowsIn(sql: Sql, values: readonly SqlValue[], statement: (list: string) => string, first: readonly SqlValue[] = []): Promise<SqlRow[]> {
  const rows: SqlRow[] = [];
  for (let i = 0; i < values.length; i += IN_LIST) {
    const piece = values.slice(i, i + IN_LIST);
    rows.push(...(await sql.text(statement(piece.map(() => '?').join(', ')), [...first, ...piece])).rows);
  }
  return rows;
}

/**
 * Every service's id, name and level, with its maintainers' ids (longest-serving first)
 * and, when asked, the requirement keys it meets or deviates from and the ids of the
 * services it uses, each list as one
 * space-separated string: one row a service, aggregated by the engine (about a tenth of
 * the rows, and of the time, of reading the pairs). Keys hold no spaces (catalogue.ts).
 */
export function ladderRows(sql: Sql, opts: { met: boolean; uses: boolean }): Promise<SqlRow[]> {
  const wanted = opts.met ? 1 : 0;
  const withUses = opts.uses ? 1 : 0;
  return sql.engine === 'sqlite'
    ? sql.all`SELECT s."id", s."name", s."level",
        (SELECT group_concat("memberId", ' ') FROM (SELECT "memberId" FROM "ServiceMaintainer" WHERE "serviceId" = s."id" ORDER BY "addedAt", "memberId")) AS "maintainers",
        (SELECT group_concat("requirementKey", ' ') FROM "Assessment" WHERE "serviceId" = s."id" AND "status" IN ('met', 'deviation') AND ${wanted} = 1) AS "met",
        (SELECT group_concat("usesId", ' ') FROM "ServiceUse" WHERE "serviceId" = s."id" AND ${withUses} = 1) AS "uses"
        FROM "Service" s ORDER BY s."name"`
    : sql.all`SELECT s."id", s."name", s."level",
        (SELECT string_agg("memberId"::text, ' ' ORDER BY "addedAt", "memberId") FROM "ServiceMaintainer" WHERE "serviceId" = s."id") AS "maintainers",
        (SELECT string_agg("requirementKey", ' ') FROM "Assessment" WHERE "serviceId" = s."id" AND "status" IN ('met', 'deviation') AND ${wanted} = 1) AS "met",
        (SELECT string_agg("usesId"::text, ' ') FROM "ServiceUse" WHERE "serviceId" = s."id" AND ${withUses} = 1) AS "uses"
        FROM "Service" s ORDER BY s."name"`;
}

/** The statement every write transaction starts with: it takes the one write lock (see prisma-store.ts). */
export const takeWriteLock = (sql: Sql) => sql.run`UPDATE "WriteLock" SET "n" = "n" + 1 WHERE "id" = 1`;
