// An online backup of the SQLite database: consistent while the bot keeps running
// (SQLite's backup API copies pages under its own locks, WAL included).
import { chmodSync, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { sqlitePath } from './database.js';

/** A backup that cannot be made as asked: one line for the person running it. */
export class BackupError extends Error {}

export async function backupDatabase(databaseUrl: string, target?: string, opts: { now?: Date; force?: boolean } = {}): Promise<{ file: string; bytes: number }> {
  const now = opts.now ?? new Date();
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
