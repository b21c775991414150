// Writes a new migration for each engine: the SQL that takes the schema of that
// engine's latest migration (its schema.prisma snapshot) to prisma/schema.prisma, in
// SQLite's dialect under prisma/migrations and PostgreSQL's under
// prisma/migrations-postgresql. Runs offline through the WebAssembly schema engine.
// Usage: npm run migration:new -- <name>. Data steps (a backfill) are added by hand,
// to both.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { openSchemaEngine } from '../src/store/schema-engine.js';
import { MIGRATIONS_DIR, PG_MIGRATIONS_DIR } from '../src/store/migrate.js';
import { asPostgresSchema } from './postgres-schema.mjs';

/** What a database starts with, beside its tables: the row every write transaction locks first. */
const SEED = '\n-- The single row every write transaction touches first (see src/store/prisma-store.ts).\nINSERT INTO "WriteLock" ("id", "n") VALUES (1, 0);\n';

const ENGINES = [
  { provider: 'sqlite', dir: MIGRATIONS_DIR, variant: (schema: string) => schema },
  { provider: 'postgresql', dir: PG_MIGRATIONS_DIR, variant: asPostgresSchema },
] as const;

export async function diffSchemas(from: string | null, to: string): Promise<string> {
  const engine = await openSchemaEngine(new PrismaBetterSqlite3({ url: ':memory:' }));
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'from.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    // The engine opens a PostgreSQL script with the schema it assumes; the database's own is used.
    return (result.stdout ?? '').replace(/^CREATE SCHEMA IF NOT EXISTS "public";\n*/m, '');
  } finally {
    engine.free();
  }
}

export async function latestSnapshot(dir = MIGRATIONS_DIR): Promise<string | null> {
  const names = (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const last = names.at(-1);
  return last === undefined ? null : readFile(path.join(dir, last, 'schema.prisma'), 'utf8');
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) {
    console.error('usage: npm run migration:new -- <name>   (lowercase letters, digits and _)');
    process.exit(2);
  }
  const schema = await readFile(path.join(MIGRATIONS_DIR, '..', 'schema.prisma'), 'utf8');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  for (const engine of ENGINES) {
    const from = await latestSnapshot(engine.dir);
    let sql = await diffSchemas(from === null ? null : engine.variant(from), engine.variant(schema));
    if (!/\S/.test(sql.replace(/^--.*$/gm, ''))) {
      console.log(`${engine.provider}: no changes since the latest migration.`);
      continue;
    }
    if (from === null) sql += SEED;
    const dir = path.join(engine.dir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), sql);
    await writeFile(path.join(dir, 'schema.prisma'), schema);
    await writeFile(path.join(engine.dir, 'migration_lock.toml'), `provider = "${engine.provider}"\n`);
    console.log(`${engine.provider}: wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  await main();
}
