// An online backup, consistent while the bot keeps running: of a SQLite database with
// SQLite's backup API (it copies pages under its own locks, WAL included); of a
// PostgreSQL database with pg_dump's custom format (one snapshot; pg_restore reads it).
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import { sqlitePath } from './database.js';
import { postgresTool } from './pg-tools.js';
import { isPostgresUrl } from './urls.js';

/** A backup that cannot be made as asked: one line for the person running it. */
export class BackupError extends Error {}

function pgDump(): string {
  const found = postgresTool('pg_dump');
  if (found === null) throw new BackupError('pg_dump is not installed; install PostgreSQL\'s client tools (Debian: apt-get install postgresql-client).');
  return found;
}

async function backupPostgres(databaseUrl: string, target: string | undefined, now: Date, force: boolean): Promise<{ file: string; bytes: number }> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const file = path.resolve(target ?? path.join('data', 'backups', `${name}-${now.toISOString().replace(/[:.]/g, '-')}.dump`));
  if (existsSync(file) && !force) throw new BackupError(`${file} already exists; choose another file, or add --force to overwrite it.`);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // The password goes by the environment, never on a command line others can read.
  const password = decodeURIComponent(url.password);
  url.password = '';
  try {
    await promisify(execFile)(pgDump(), ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${url.toString()}`], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim().split('\n')[0];
    throw new BackupError(`pg_dump failed: ${stderr || (e instanceof Error ? e.message : String(e))}`);
  }
  chmodSync(file, 0o600);
  return { file, bytes: statSync(file).size };
}

export async function backupDatabase(databaseUrl: string, target?: string, opts: { now?: Date; force?: boolean } = {}): Promise<{ file: string; bytes: number }> {
  const now = opts.now ?? new Date();
  if (isPostgresUrl(databaseUrl)) return backupPostgres(databaseUrl, target, now, opts.force ?? false);
  const source = sqlitePath(databaseUrl);
  const file = path.resolve(target ?? path.join(path.dirname(source), 'backups', `${path.basename(source, '.db')}-${now.toISOString().replace(/[:.]/g, '-')}.db`));
  const same = (a: string, b: string) => a === b || (existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b));
  if ([source, `${source}-wal`, `${source}-shm`].some((f) => same(f, file))) {
    throw new BackupError(`${file} is the live database (DATABASE_URL); write the backup to another file.`);
  }
  if (existsSync(file) && !opts.force) throw new BackupError(`${file} already exists; choose another file, or add --force to overwrite it.`);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(file);
  } finally {
    db.close();
  }
  // It holds members' identities and open secret ballots: for the bot's user only.
  chmodSync(file, 0o600);
  return { file, bytes: statSync(file).size };
}
