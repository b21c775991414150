// Applies the migrations under prisma/migrations, exactly as `prisma migrate deploy`
// would (same folder, same _prisma_migrations table), through the WebAssembly engine.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PROJECT_ROOT } from '../paths.js';
import { openSchemaEngine } from './schema-engine.js';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');
export const PG_MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations-postgresql');

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, 'migration_lock.toml');
  const lock = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      entries.map(async (name) => {
        const content = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
        return { path: name, migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: content } } };
      }),
    ),
  };
}

/** Applies every migration not yet applied; returns the names it applied. */
export async function applyMigrations(adapter: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string[]> {
  // The engine does not close the connections it opens; track and close them,
  // or SQLite stays locked for the connection the bot uses afterwards.
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: async () => {
      const conn = await adapter.connect();
      opened.push(conn);
      return conn;
    },
    connectToShadowDb: async () => {
      const conn = await adapter.connectToShadowDb();
      opened.push(conn);
      return conn;
    },
  };
  const engine = await openSchemaEngine(tracking);
  try {
    const out = await engine.applyMigrations({
      migrationsList: await readMigrations(dir),
      filters: { externalTables: [], externalEnums: [] },
    });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
    await Promise.all(opened.map((c) => c.dispose()));
  }
}
