// Copies a seeded SQLite benchmark database into an empty PostgreSQL one (migrated by
// the bot first), so that both engines are measured on the same co-op. Values are
// converted by the PostgreSQL column's type (SQLite keeps times as milliseconds and
// booleans as 0/1); foreign keys are checked by neither side while copying (the rows
// come from a consistent database), and each id sequence is moved past its rows.
import Sqlite from 'better-sqlite3';
import { connectPostgres, migratePostgres } from '../src/store/postgres.js';

export async function copyToPostgres(file: string, url: string): Promise<void> {
  const pg = await connectPostgres(url);
  await migratePostgres(pg);
  const src = new Sqlite(file, { readonly: true });
  try {
    const { rows: columns } = await pg.query<{ table_name: string; column_name: string; data_type: string }>(
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\\_prisma%' ORDER BY table_name, ordinal_position",
    );
    const tables = new Map<string, { name: string; type: string }[]>();
    for (const c of columns) tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), { name: c.column_name, type: c.data_type }]);
    await pg.query('BEGIN');
    await pg.query('SET LOCAL session_replication_role = replica');
    for (const [table, cols] of tables) {
      if (table === 'WriteLock') continue;
      await pg.query(`DELETE FROM "${table}"`);
      const rows = src.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      const convert = (type: string, v: unknown) =>
        v === null ? null : type.startsWith('timestamp') ? new Date(Number(v)) : type === 'boolean' ? v === 1 || v === true : v;
      const BATCH = Math.max(1, Math.floor(30_000 / cols.length));
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${cols.map((c) => (values.push(convert(c.type, row[c.name])), `$${values.length}`)).join(', ')})`);
        await pg.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
      if (cols.some((c) => c.name === 'id' && c.type === 'integer')) {
        await pg.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX("id") FROM "${table}"), 1))`);
      }
    }
    await pg.query('COMMIT');
    await pg.query('ANALYZE');
  } finally {
    src.close();
    await pg.end();
  }
}
