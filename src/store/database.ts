// Opens the database DATABASE_URL names and applies pending migrations: embedded
// SQLite (file:…) through Prisma's better-sqlite3 driver adapter, in WAL mode with a
// busy timeout, or PostgreSQL (postgresql://…) through adapter-pg (postgres.ts).
import { accessSync, chmodSync, constants, existsSync, mkdirSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../prisma/generated/client.js';
import { StartupError } from '../startup.js';
import { applyMigrations, readMigrations } from './migrate.js';
import { describePostgresUrl, isPostgresUrl } from './urls.js';
import { soleCopyLeases, type Leases } from '../copies.js';
import { SharedSqliteFactory, sqliteSql, type Sql } from './sql.js';

/** The client handed to code inside a transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
/** The client, as the store uses it on either engine. */
export type Db = Tx & {
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
};

export const BUSY_TIMEOUT_MS = 5000;

/** `file:./data/bot.db` → an absolute path (relative paths are taken from `cwd`). */
export function sqlitePath(url: string, cwd = process.cwd()): string {
  const raw = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return raw === ':memory:' ? raw : path.resolve(cwd, raw);
}

/** Where the bot keeps files of its own (the console's log and report files): beside a SQLite file, else ./data. */
export function localDataDir(url: string, cwd = process.cwd()): string {
  if (isPostgresUrl(url)) return path.resolve(cwd, 'data');
  const file = sqlitePath(url, cwd);
  return file === ':memory:' ? path.resolve(cwd, 'data') : path.dirname(file);
}

export interface OpenedDatabase {
  db: Db;
  engine: 'sqlite' | 'postgresql';
  /** What only one copy of the bot may hold at a time (always this one on SQLite). */
  leases: Leases;
  /** The SQLite file, or where the PostgreSQL URL points (without its password). */
  file: string;
  appliedMigrations: string[];
  /** The store's hand-written statements (see sql.ts); inside a write transaction, part of it. */
  sql: Sql;
  /** Runs a write transaction of the store's own (no Prisma transaction around it; see sql.ts and postgres.ts). */
  transaction<R>(fn: () => Promise<R>): Promise<R>;
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


// Filesystems that look like directories but hold no files of ours (proc, sysfs, devpts,
// securityfs, cgroup, debugfs); SQLite on them fails in odd ways or waits forever.
const PSEUDO_FILESYSTEMS = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x73636673, 0x27e0eb, 0x63677270, 0x64626720]);

const reasonOf = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the filesystem is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'the directory cannot be created there';
    default:
      return (err.message ?? String(e)).split('\n')[0] ?? 'unknown error';
  }
};

/** Checks that `file` can be a database before SQLite touches it; throws a StartupError naming DATABASE_URL. */
function checkDatabasePath(file: string): void {
  const fail = (reason: string) => new StartupError('DATABASE_URL', `cannot open the database at ${file}: ${reason}. Point DATABASE_URL at a file in a directory the bot can write, such as file:./data/bot.db.`);
  const dir = path.dirname(file);
  // The nearest directory that exists decides the filesystem (Node's recursive mkdir
  // loops forever under /proc, so this is checked before making anything).
  let existing = dir;
  while (!statSync(existing, { throwIfNoEntry: false }) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    if (PSEUDO_FILESYSTEMS.has(Number(statfsSync(existing).type))) throw fail('it is on a system pseudo-filesystem (such as /proc or /sys), not on a disk');
  } catch (e) {
    throw e instanceof StartupError ? e : fail(reasonOf(e));
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw fail(reasonOf(e));
  }
  try {
    if (PSEUDO_FILESYSTEMS.has(Number(statfsSync(dir).type))) throw fail('it is on a system pseudo-filesystem (such as /proc or /sys), not on a disk');
    if (!statSync(dir).isDirectory()) throw fail('part of the path is a file, not a directory');
    accessSync(dir, constants.W_OK | constants.X_OK);
    const existing = statSync(file, { throwIfNoEntry: false });
    if (existing && !existing.isFile()) throw fail('it is not a regular file');
    if (existing) accessSync(file, constants.R_OK | constants.W_OK);
  } catch (e) {
    throw e instanceof StartupError ? e : fail(reasonOf(e));
  }
}

export async function openDatabase(url: string, log: (m: string) => void = () => {}): Promise<OpenedDatabase> {
  if (isPostgresUrl(url)) {
    // Loaded only for PostgreSQL: a SQLite start does not pay for pg and its adapter.
    const { openPostgres } = await import('./postgres.js');
    const opened = await openPostgres(url, log);
    return { ...opened, engine: 'postgresql', file: describePostgresUrl(url) };
  }
  if (!url.startsWith('file:')) {
    throw new StartupError('DATABASE_URL', `expected file:… (SQLite) or postgresql://… (PostgreSQL), got "${url.split(':')[0]}:…"`);
  }
  const file = sqlitePath(url);
  if (file !== ':memory:') checkDatabasePath(file);
  try {
    return await openChecked(file);
  } catch (e) {
    if (e instanceof StartupError) throw e;
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new StartupError('DATABASE_URL', `cannot open the database at ${file}: ${message}.`);
  }
}

async function openChecked(file: string): Promise<OpenedDatabase> {
  // WAL is a property of the file; set it once on a plain connection.
  const raw = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  let pending: boolean;
  try {
    raw.pragma('journal_mode = WAL');
    // Members' identities and open secret ballots: readable by the bot's user only. SQLite
    // gives the -wal and -shm files the database file's permissions.
    if (file !== ':memory:') {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    }
    pending = await hasPendingMigrations(raw);
  } finally {
    raw.close();
  }
  const options = { timestampFormat: 'unixepoch-ms' } as const;
  // The schema engine cannot take its lock while another process has the file open,
  // so it only runs when there is something to apply.
  const appliedMigrations = pending ? await applyMigrations(new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }, options)) : [];
  const factory = new SharedSqliteFactory(new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS }, options));
  const db = new PrismaClient({ adapter: factory });
  await db.$connect();
  // One connection: its statements are in whatever transaction Prisma has open on it.
  const sql = sqliteSql(() => factory.connection());
  return { db, engine: 'sqlite', leases: soleCopyLeases, file, appliedMigrations, sql, transaction: (fn) => factory.transaction(fn), close: () => db.$disconnect() };
}
