// The SQL the store writes by hand, where SQLite and PostgreSQL differ, in one place.
// Everything else goes through Prisma's query builder, which speaks both.
import { Prisma } from '../../prisma/generated/client.js';

/**
 * `INSERT … ON CONFLICT DO NOTHING`: a claim that reports whether this call made the row
 * (1) or it was there already (0). SQLite's `INSERT OR IGNORE` would also swallow other
 * constraint failures, and PostgreSQL does not know it; both engines take this form.
 * Table and column names are the store's own constants, never input.
 */
export function insertIgnoring(table: string, row: Record<string, unknown>): Prisma.Sql {
  const columns = Object.keys(row).map((c) => Prisma.raw(`"${c}"`));
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.join(columns)}) VALUES (${Prisma.join(Object.values(row))}) ON CONFLICT DO NOTHING`;
}

/**
 * A multi-row `INSERT` (both engines), for writes of thousands of rows at once (a
 * reckoning's scrutiny): Prisma's createMany costs about a quarter of a millisecond per
 * row in its own work, this a few microseconds. With `returning`, the rows come back with
 * those columns (in no promised order). Every row has the same columns, the store's own
 * constants, never input.
 */
export function insertRows(table: string, rows: Record<string, unknown>[], returning: string[] = []): Prisma.Sql {
  const columns = Object.keys(rows[0] ?? {});
  const values = rows.map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => row[c]))})`);
  const back = returning.length > 0 ? Prisma.raw(` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}`) : Prisma.empty;
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(columns.map((c) => `"${c}"`).join(', '))}) VALUES ${Prisma.join(values)}${back}`;
}

/** The statement every write transaction starts with: it takes the one write lock (see prisma-store.ts). */
export const TAKE_WRITE_LOCK = Prisma.sql`UPDATE "WriteLock" SET "n" = "n" + 1 WHERE "id" = 1`;
