// Writes a new migration: the SQL that takes the schema of the latest migration
// (its schema.prisma snapshot) to prisma/schema.prisma. Runs offline through the
// WebAssembly schema engine. Usage: npm run migration:new -- <name>
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { openSchemaEngine } from '../src/store/schema-engine.js';
import { MIGRATIONS_DIR } from '../src/store/migrate.js';

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
    return result.stdout ?? '';
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
  const sql = await diffSchemas(await latestSnapshot(), schema);
  if (!/\S/.test(sql.replace(/^--.*$/gm, ''))) {
    console.log('prisma/schema.prisma has no changes since the latest migration.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  await writeFile(path.join(dir, 'schema.prisma'), schema);
  await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "sqlite"\n');
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  await main();
}
