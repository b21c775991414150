import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { diffSchemas, latestSnapshot } from '../../scripts/new-migration.js';
import { openDatabase } from '../../src/store/database.js';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/store/migrate.js';
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

  it('bring a database made by an older version up to date, keeping its data', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bot.db');
    const all = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(all.length).toBeGreaterThan(1);
    // The first release's migrations only.
    const old = path.join(dir, 'old-migrations');
    mkdirSync(old);
    cpSync(path.join(MIGRATIONS_DIR, all[0] as string), path.join(old, all[0] as string), { recursive: true });
    cpSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(old, 'migration_lock.toml'));
    expect(await applyMigrations(new PrismaBetterSqlite3({ url: file }), old)).toEqual([all[0]]);
    const raw = new Sqlite(file);
    raw.prepare("INSERT INTO Notification (key, kind, payload, claimedAt) VALUES ('k', 'test', '{}', 0)").run();
    // A poll of an older version, with three electors: its electorate is counted once by the upgrade.
    raw.prepare("INSERT INTO Member (id, name, joinedAt) VALUES (1, 'a', 0), (2, 'b', 0), (3, 'c', 0)").run();
    raw.prepare("INSERT INTO Poll (id, kind, question, options, createdBy, createdAt, closesAt, status, secret, quorum, originPlatform) VALUES (1, 'general', 'Q?', '[\"yes\",\"no\"]', 1, 0, 1, 'open', 0, 2, 'console')").run();
    raw.prepare('INSERT INTO PollElector (pollId, memberId) VALUES (1, 1), (1, 2), (1, 3)').run();
    raw.close();
    const upgraded = await openDatabase(`file:${file}`);
    expect(upgraded.appliedMigrations).toEqual(all.slice(1));
    expect(await upgraded.db.notification.findMany({ select: { key: true, abandonedAt: true } })).toEqual([{ key: 'k', abandonedAt: null }]);
    expect(await upgraded.db.poll.findMany({ select: { id: true, electorate: true } })).toEqual([{ id: 1, electorate: 3 }]);
    await upgraded.close();
  });

  it('cover prisma/schema.prisma: no schema change is left without a migration', async () => {
    const schema = readFileSync(path.join(MIGRATIONS_DIR, '..', 'schema.prisma'), 'utf8');
    const sql = await diffSchemas(await latestSnapshot(), schema);
    expect(sql.replace(/^--.*$/gm, '').trim()).toBe('');
  });
});
