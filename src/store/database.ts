// Opens the embedded SQLite database through Prisma's better-sqlite3 driver adapter,
// in WAL mode with a busy timeout, and applies pending migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../prisma/generated/client.js';
import { applyMigrations } from './migrate.js';

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

export async function openDatabase(url: string): Promise<OpenedDatabase> {
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL: only SQLite (file:…) URLs are supported so far, got "${url.split(':')[0]}:…"`);
  }
  const file = sqlitePath(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  // WAL is a property of the file; set it once on a plain connection.
  const raw = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  raw.pragma('journal_mode = WAL');
  raw.close();
  const options = { timestampFormat: 'unixepoch-ms' } as const;
  const appliedMigrations = await applyMigrations(new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }, options));
  const factory = new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }, options);
  const db = new PrismaClient({ adapter: factory });
  await db.$connect();
  return { db, file, appliedMigrations, close: () => db.$disconnect() };
}
