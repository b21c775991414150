// An online backup of the SQLite database: consistent while the bot keeps running
// (SQLite's backup API copies pages under its own locks, WAL included).
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { sqlitePath } from './database.js';

export async function backupDatabase(databaseUrl: string, target?: string, now = new Date()): Promise<{ file: string; bytes: number }> {
  const source = sqlitePath(databaseUrl);
  const file = path.resolve(target ?? path.join(path.dirname(source), 'backups', `${path.basename(source, '.db')}-${now.toISOString().replace(/[:.]/g, '-')}.db`));
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(file);
  } finally {
    db.close();
  }
  return { file, bytes: statSync(file).size };
}
