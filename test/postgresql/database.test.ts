// The bot on PostgreSQL: reaching the server, migrating (atomic, once when copies
// start together), and refusing what it cannot use, in one line without the password.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { StartupError } from '../../src/startup.js';
import { openDatabase } from '../../src/store/database.js';
import { connectPostgres, migratePostgres } from '../../src/store/postgres.js';
import { PG_MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { serverUrl } from '../helpers/engine.js';

/** A new, empty database (no migrations applied): its URL. */
async function emptyDatabase(): Promise<string> {
  const admin = await connectPostgres(serverUrl());
  const name = `e_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(serverUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function tables(url: string): Promise<string[]> {
  const c = await connectPostgres(url);
  const { rows } = await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  await c.end();
  return rows.map((r) => r.tablename);
}

describe('PostgreSQL', () => {
  it('takes postgresql:// and postgres:// URLs, and refuses any other naming both forms', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.example.org/coop' }).databaseUrl).toBe('postgres://bot:pw@db.example.org/coop');
    expect(loadConfig({ DATABASE_URL: 'postgresql://bot:pw@db.example.org:5433/coop' }).databaseUrl).toContain('5433');
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://bot:hunter2@db.example.org/coop' });
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('file:./data/bot.db');
    expect(message).toContain('postgresql://');
    expect(message).not.toContain('hunter2');
  });

  it('stops within seconds when the server cannot be reached, naming the host and never the password', async () => {
    const port = await freePort();
    const started = Date.now();
    const e = await openDatabase(`postgresql://bot:hunter2@127.0.0.1:${port}/coop`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StartupError);
    expect(String((e as Error).message)).toContain(`127.0.0.1:${port}`);
    expect(String((e as Error).message)).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(6000);

    // The same from a real start: one line, non-zero, no stack trace.
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `postgresql://bot:hunter2@127.0.0.1:${port}/coop` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).not.toBe(0);
    expect(err).toMatch(new RegExp(`DATABASE_URL.*127\\.0\\.0\\.1:${port}`));
    expect(err).not.toContain('hunter2');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('says when the login is refused or the database does not exist', async () => {
    const u = new URL(serverUrl());
    u.pathname = '/no_such_database';
    const e = await openDatabase(u.toString()).catch((x: unknown) => x);
    expect(String((e as Error).message)).toContain('does not exist');
  });

  it('applies each migration whole or not at all, and records it as prisma migrate deploy does', async () => {
    const url = await emptyDatabase();
    const dir = tempDir();
    cpSync(PG_MIGRATIONS_DIR, dir, { recursive: true });
    const broken = path.join(dir, '99990101000000_broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" INTEGER;\n');
    const client = await connectPostgres(url);
    const e = await migratePostgres(client, dir).catch((x: unknown) => x);
    expect(String((e as Error).message)).toMatch(/migration 99990101000000_broken failed and was rolled back/);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>('SELECT "migration_name", "checksum" FROM "_prisma_migrations" ORDER BY 1');
    await client.end();
    expect(rows.map((r) => r.migration_name)).not.toContain('99990101000000_broken');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    const t = await tables(url);
    expect(t).not.toContain('Half');
    expect(t).toContain('Member');
  });

  it('migrates once when several copies start together', async () => {
    const url = await emptyDatabase();
    const opened = await Promise.all([openDatabase(url), openDatabase(url), openDatabase(url)]);
    const applied = opened.map((o) => o.appliedMigrations.length);
    await Promise.all(opened.map((o) => o.close()));
    expect(applied.filter((n) => n > 0)).toHaveLength(1);
    expect(applied.reduce((a, b) => a + b, 0)).toBe(applied.find((n) => n > 0));
    const c = await connectPostgres(url);
    const { rows } = await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM "WriteLock"');
    await c.end();
    expect(Number(rows[0]?.n)).toBe(1);
  });
});
