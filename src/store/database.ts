// Opens the embedded SQLite database through Prisma's better-sqlite3 driver adapter,
// in WAL mode with a busy timeout, and applies pending migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../prisma/generated/client.js';
import { applyMigrations, readMigrations } from './migrate.js';

export type Db = PrismaClient;
/** The client handed to code inside a transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export const BUSY_TIMEOUT_MS = 5000;

/** `file:./data/bot.db` → an absolute path (relative paths are taken from `cwd`). */
export function sqlitePath(url: string, cwd = process.cwd()): string {
  const raw = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return raw === ':memory:' ? raw : path.resolve(cwd, raw);
}

export interface OpenedDatabase {
  db: Db;
  file: string;
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** Whether a migration folder has no finished row in `_prisma_migrations`. */
async function hasPendingMigrations(raw: Sqlite.Database): Promise<boolean> {
  const table = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!table) return true;
  const rows = raw.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as { migration_name: string }[];
  const applied = new Set(rows.map((r) => r.migration_name));
  const { migrationDirectories } = await readMigrations();
  return migrationDirectories.some((d) => !applied.has(d.path));
}

export async function openDatabase(url: string): Promise<OpenedDatabase> {
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL: only SQLite (file:…) URLs are supported so far, got "${url.split(':')[0]}:…"`);
  }
  const file = sqlitePath(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  // WAL is a property of the file; set it once on a plain connection.
  const raw = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  let pending: boolean;
  try {
    raw.pragma('journal_mode = WAL');
    pending = await hasPendingMigrations(raw);
  } finally {
    raw.close();
  }
  const options = { timestampFormat: 'unixepoch-ms' } as const;
  // The schema engine cannot take its lock while another process has the file open,
  // so it only runs when there is something to apply.
  const appliedMigrations = pending ? await applyMigrations(new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }, options)) : [];
  const factory = new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }, options);
  const db = new PrismaClient({ adapter: factory });
  await db.$connect();
  return { db, file, appliedMigrations, close: () => db.$disconnect() };
}
