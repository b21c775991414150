import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { diffSchemas, latestSnapshot } from '../../scripts/new-migration.js';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { tempDir } from '../helpers/tmp.js';

function tables(file: string): string[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('create every table on a fresh database, in WAL mode, in a folder that did not exist', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'nested', 'bot.db');
    const opened = await openDatabase(`file:${file}`);
    const all = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(opened.appliedMigrations).toEqual(all.sort());
    await opened.close();
    expect(tables(file)).toEqual(expect.arrayContaining(['Service', 'Member', 'Poll', 'Vote', 'Deficiency', 'Meeting', 'AuditEvent', 'Notification', '_prisma_migrations']));
    const raw = new Sqlite(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('apply nothing the second time and keep the data', async () => {
    const file = path.join(tempDir(), 'bot.db');
    const first = await openDatabase(`file:${file}`);
    await first.db.member.create({ data: { name: 'alice', joinedAt: new Date() } });
    await first.close();
    const second = await openDatabase(`file:${file}`);
    expect(second.appliedMigrations).toEqual([]);
    expect(await second.db.member.count()).toBe(1);
    await second.close();
    const raw = new Sqlite(file, { readonly: true });
    const rows = raw.prepare('SELECT migration_name, finished_at FROM _prisma_migrations').all() as { finished_at: unknown }[];
    raw.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('cover prisma/schema.prisma: no schema change is left without a migration', async () => {
    const schema = readFileSync(path.join(MIGRATIONS_DIR, '..', 'schema.prisma'), 'utf8');
    const sql = await diffSchemas(await latestSnapshot(), schema);
    expect(sql.replace(/^--.*$/gm, '').trim()).toBe('');
  });
});
