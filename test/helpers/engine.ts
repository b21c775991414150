// Which database engine a test runs on: SQLite, or PostgreSQL in the `postgresql`
// project of vitest.config.ts (TEST_ENGINE=postgresql). A test names its database by
// its folder; on PostgreSQL each folder gets a database of its own.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { inject } from 'vitest';
import { TEMPLATE } from '../../bench/postgres-server.js';

export type Engine = 'sqlite' | 'postgresql';
export const ENGINE: Engine = process.env.TEST_ENGINE === 'postgresql' ? 'postgresql' : 'sqlite';

const created = new Set<string>();
/** The tables of a migrated database (every test database is a copy of one). */
let tables: string[] | undefined;

function psql(url: string, ...sql: string[]): string {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, ...sql.flatMap((s) => ['-c', s])], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
}

export function serverUrl(): string {
  return inject('postgresUrl');
}

/** The test database's name on PostgreSQL, from its folder. */
const nameOf = (dir: string) => `t_${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 20)}`;

/** DATABASE_URL for a test's database, made on first use (migrated, empty). */
export function databaseUrl(dir: string): string {
  if (ENGINE === 'sqlite') return `file:${path.join(dir, 'bot.db')}`;
  const name = nameOf(dir);
  const server = serverUrl();
  if (!created.has(name)) {
    psql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`);
    created.add(name);
  }
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A stored time in SQL, as each engine keeps it (SQLite: milliseconds since 1970). */
export const sqlTime = (d = new Date()) => (ENGINE === 'sqlite' ? String(d.getTime()) : `'${d.toISOString()}'::timestamp`);

/** Runs SQL on the test's database (both engines take the same text here); returns rows for a SELECT. */
export function sql(dir: string, text: string): Record<string, unknown>[] {
  if (ENGINE === 'sqlite') {
    const db = new Sqlite(path.join(dir, 'bot.db'));
    db.pragma('busy_timeout = 5000');
    try {
      const stmt = db.prepare(text);
      return stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []);
    } finally {
      db.close();
    }
  }
  const out = psql(databaseUrl(dir), /^\s*select/i.test(text) ? `SELECT coalesce(json_agg(q), '[]') FROM (${text}) q` : text).trim();
  return /^\s*select/i.test(text) ? (JSON.parse(out || '[]') as Record<string, unknown>[]) : [];
}

/**
 * Every row of every table but the write-lock counter and the per-person command counts
 * (which every command adds to), in primary-key order: to show that a refused command
 * changed nothing.
 */
export function dumpTables(dir: string): Record<string, unknown[]> {
  if (ENGINE === 'sqlite') {
    const db = new Sqlite(path.join(dir, 'bot.db'), { readonly: true });
    try {
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('WriteLock', 'Attempt') ORDER BY name").all() as { name: string }[];
      return Object.fromEntries(names.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
    } finally {
      db.close();
    }
  }
  tables ??= psql(databaseUrl(dir), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('WriteLock', 'Attempt') ORDER BY tablename")
    .split('\n')
    .filter(Boolean);
  const query = `SELECT json_build_object(${tables.map((t) => `'${t}', (SELECT coalesce(json_agg(x), '[]') FROM (SELECT * FROM "${t}" ORDER BY 1) x)`).join(', ')})`;
  return JSON.parse(psql(databaseUrl(dir), query)) as Record<string, unknown[]>;
}
