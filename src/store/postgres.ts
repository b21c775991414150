// Opens a PostgreSQL database: checks that the server answers (one line naming the
// host if not, never the password), applies pending migrations, and hands back a
// Prisma client on @prisma/adapter-pg. Migrations are applied here rather than by the
// schema engine, which runs a script statement by statement: each migration is sent
// whole inside one transaction (PostgreSQL's DDL is transactional, so a failure
// leaves nothing half done), recorded in `_prisma_migrations` exactly as
// `prisma migrate deploy` records it. Copies starting at once take turns under an
// advisory lock; the one that waits applies nothing twice.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../../prisma/generated-pg/client.js';
import type { Leases } from '../copies.js';
import { StartupError } from '../startup.js';
import type { Db } from './database.js';
import type { Sql, SqlRow, SqlValue } from './sql.js';
import { describePostgresUrl } from './urls.js';
import { PG_MIGRATIONS_DIR, readMigrations } from './migrate.js';

/** The lock `prisma migrate` takes too, so the bot and the CLI never migrate at once. */
const MIGRATION_LOCK = 72707369;
const CONNECT_TIMEOUT_MS = 5000;
const LOCK_WAIT_MS = 120_000;

/** Why a connection failed, in one line, without the URL (which holds the password). */
function connectionProblem(e: unknown, where: string): string {
  const err = e as { code?: string; message?: string };
  switch (err.code) {
    case 'ECONNREFUSED':
      return `nothing answers at ${where} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} is not found`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the login (wrong user or password)`;
    case '3D000':
      return `the database of ${where} does not exist (create it first: createdb)`;
    default:
      if (/timeout/i.test(err.message ?? '')) return `no answer from ${where} within ${CONNECT_TIMEOUT_MS / 1000} s`;
      return `cannot connect to ${where} (${(err.code ?? err.message ?? String(e)).split('\n')[0]})`;
  }
}

/** A plain client for the bot's own chores (migrations, locks); connected, or a StartupError. */
export async function connectPostgres(url: string): Promise<pg.Client> {
  const where = describePostgresUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {}); // a dropped connection surfaces on the next query instead
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw new StartupError('DATABASE_URL', `${connectionProblem(e, where)}.`);
  }
  return client;
}

async function takeMigrationLock(client: pg.Client, log: (m: string) => void): Promise<void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [MIGRATION_LOCK]);
    if (rows[0]?.ok) return;
    if (!told) log('another copy is migrating the database; waiting for it');
    told = true;
    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new StartupError('DATABASE_URL', `another process has held the migration lock for over ${LOCK_WAIT_MS / 1000} s; is a migration stuck?`);
    }
    await new Promise((r) => setTimeout(r, 250 + Math.random() * 250));
  }
}

/** Applies every migration not yet applied, each in its own transaction; returns their names. */
export async function migratePostgres(client: pg.Client, dir = PG_MIGRATIONS_DIR, log: (m: string) => void = () => {}): Promise<string[]> {
  await takeMigrationLock(client, log);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL',
    );
    const done = new Set(rows.map((r) => r.migration_name));
    const applied: string[] = [];
    for (const m of (await readMigrations(dir)).migrationDirectories) {
      if (done.has(m.path) || m.migrationFile.content.tag !== 'ok') continue;
      const sql = m.migrationFile.content.value;
      const started = new Date();
      await client.query('BEGIN');
      try {
        await client.query(sql); // the whole script as one simple query, inside this transaction
        await client.query(
          'INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count") VALUES ($1, $2, now(), $3, $4, 1)',
          [randomUUID(), createHash('sha256').update(sql).digest('hex'), m.path, started],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw new StartupError('DATABASE_URL', `migration ${m.path} failed and was rolled back, nothing of it applied (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      }
      applied.push(m.path);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
  }
}

/**
 * Leases as session advisory locks, each on a connection of its own: held while that
 * connection lives, so a copy that dies (or loses the database) lets go of them.
 */
export function postgresLeases(url: string): Leases {
  const held = new Map<string, pg.Client>();
  const key = (name: string) => `service-maturity-bot:${name}`;
  const drop = async (name: string) => {
    const c = held.get(name);
    held.delete(name);
    await c?.end().catch(() => {});
  };
  return {
    async tryAcquire(name) {
      if (held.has(name)) return true;
      const client = await connectPostgres(url);
      try {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key(name)]);
        if (rows[0]?.ok) {
          held.set(name, client);
          return true;
        }
      } catch {
        // not taken: tried again later
      }
      await client.end().catch(() => {});
      return false;
    },
    async holds(name) {
      const c = held.get(name);
      if (!c) return false;
      try {
        await c.query('SELECT 1');
        return true;
      } catch {
        await drop(name);
        return false;
      }
    },
    async release(name) {
      await held.get(name)?.query('SELECT pg_advisory_unlock(hashtext($1))', [key(name)]).catch(() => {});
      await drop(name);
    },
    async close() {
      for (const name of [...held.keys()]) await this.release(name);
    },
  };
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
/** Read as Prisma stores them: `timestamp(3)` columns hold UTC; counts are int8. */
const readTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID && format !== 'binary'
      ? (v: string) => new Date(`${v.replace(' ', 'T')}Z`)
      : oid === INT8_OID && format !== 'binary'
        ? (v: string) => Number(v)
        : pg.types.getTypeParser(oid, format),
};

/**
 * The store's hand-written statements, straight through pg: each prepared once per
 * connection, no Prisma in between (its raw queries cost about 0.3 ms of their own
 * work). Inside a write transaction they go to the transaction's connection, one at a
 * time; outside one, to a pool of the bot's own. Dates go in as UTC text, as the
 * `timestamp` columns hold them, whatever the process's zone.
 */
export function pgSql(pool: pg.Pool, open: () => OwnTransaction | undefined): Sql {
  const statements = new WeakMap<TemplateStringsArray, { name: string; text: string }>();
  let made = 0;
  const statement = (strings: TemplateStringsArray) => {
    let st = statements.get(strings);
    if (!st) {
      st = { name: `smb_${++made}`, text: strings.reduce((acc, part, i) => (i === 0 ? part : `${acc}$${i}${part}`), '') };
      statements.set(strings, st);
    }
    return st;
  };
  const bind = (values: readonly SqlValue[]) => values.map((v) => (v instanceof Date ? v.toISOString() : v));
  const query = (config: { name?: string; text: string }, values: readonly SqlValue[]) => {
    const q = { ...config, values: bind(values), types: readTypes };
    const t = open();
    return t ? t.serial(() => t.client.query<SqlRow>(q)) : pool.query<SqlRow>(q);
  };
  return {
    engine: 'postgresql',
    all: async (strings, ...values) => (await query(statement(strings), values)).rows,
    run: async (strings, ...values) => (await query(statement(strings), values)).rowCount ?? 0,
    async text(t, values) {
      let n = 0;
      const r = await query({ text: t.replace(/\?/g, () => `$${++n}`) }, values);
      return { rows: r.rows, changes: r.rowCount ?? 0 };
    },
  };
}

/** The store's write transaction open in an async context: its connection, and its statements in turn. */
export interface OwnTransaction {
  readonly client: pg.PoolClient;
  /** Runs `f` after everything sent on the connection before it (pg wants one query at a time on a client). */
  serial<T>(f: () => Promise<T>): Promise<T>;
}

const statementOf = (sql: string) => ({ sql, args: [], argTypes: [] });

/**
 * Prisma's adapter-pg factory, on the bot's own pool, running the store's write
 * transactions itself (`transaction`), as the SQLite factory does: BEGIN … COMMIT on a
 * connection of the pool, no Prisma transaction around them. What runs inside (Prisma's
 * queries and the hand-written statements alike) finds the connection through the async
 * context the transaction runs in, so reads that other commands make meanwhile still go
 * to the pool and never wait for it. A write Prisma wraps in a transaction of its own
 * (a nested create) becomes a savepoint inside the store's.
 */
export class SharedPgFactory implements SqlDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName: string;
  readonly #context = new AsyncLocalStorage<OwnTransaction & { open: boolean; tx: Transaction }>();
  #adapter: SqlDriverAdapter | null = null;
  #savepoints = 0;
  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.adapterName = inner.adapterName;
  }
  /** The transaction open in this async context (not one that has ended since: work it started may outlive it). */
  #current() {
    const t = this.#context.getStore();
    return t?.open ? t : undefined;
  }
  readonly open = (): OwnTransaction | undefined => this.#current();
  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    this.#adapter = adapter;
    const current = () => this.#current();
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (q) => {
        const t = current();
        return t ? t.serial(() => t.tx.queryRaw(q)) : adapter.queryRaw(q);
      },
      executeRaw: (q) => {
        const t = current();
        return t ? t.serial(() => t.tx.executeRaw(q)) : adapter.executeRaw(q);
      },
      executeScript: (script) => adapter.executeScript(script),
      startTransaction: (level) => {
        const t = current();
        return t ? this.#savepoint(t) : adapter.startTransaction(level);
      },
      ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: false } } : {}),
      dispose: () => adapter.dispose(),
    };
  }
  /** Runs `fn` in a transaction on a connection of the pool: committed if it returns, rolled back if it throws. */
  async transaction<R>(fn: () => Promise<R>): Promise<R> {
    if (!this.#adapter) throw new Error('the PostgreSQL adapter is not connected yet');
    // adapter-pg takes a connection from the pool and sends BEGIN; COMMIT and ROLLBACK are ours to send.
    const tx = await this.#adapter.startTransaction();
    const client: unknown = 'client' in tx ? tx.client : undefined;
    if (!(client instanceof pg.Client)) {
      await tx.rollback();
      throw new Error(`${this.adapterName} no longer exposes a transaction's connection; the store's transactions need it (see src/store/postgres.ts)`);
    }
    let queue: Promise<unknown> = Promise.resolve();
    const own = {
      client: client as pg.PoolClient,
      tx,
      open: true,
      serial<T>(f: () => Promise<T>): Promise<T> {
        const r = queue.then(f);
        queue = r.catch(() => {});
        return r;
      },
    };
    try {
      const result = await this.#context.run(own, fn);
      own.open = false;
      await own.serial(() => tx.executeRaw(statementOf('COMMIT')));
      await tx.commit(); // hands the connection back to the pool
      return result;
    } catch (e) {
      own.open = false;
      try {
        await own.serial(() => tx.executeRaw(statementOf('ROLLBACK')));
      } catch {
        // the connection is gone, and the transaction with it
      } finally {
        await tx.rollback();
      }
      throw e;
    }
  }
  async #savepoint(t: OwnTransaction & { tx: Transaction }): Promise<Transaction> {
    const name = `prisma_${++this.#savepoints}`;
    const run = (sql: string) => t.serial(() => t.tx.executeRaw(statementOf(sql))).then(() => undefined);
    await run(`SAVEPOINT ${name}`);
    return {
      provider: t.tx.provider,
      adapterName: t.tx.adapterName,
      // Prisma ends it by calling commit or rollback, sending no COMMIT of its own.
      options: { usePhantomQuery: true },
      queryRaw: (q) => t.serial(() => t.tx.queryRaw(q)),
      executeRaw: (q) => t.serial(() => t.tx.executeRaw(q)),
      commit: () => run(`RELEASE SAVEPOINT ${name}`),
      rollback: () => run(`ROLLBACK TO SAVEPOINT ${name}`).then(() => run(`RELEASE SAVEPOINT ${name}`)),
    };
  }
}

export interface OpenedPostgres {
  leases: Leases;
  db: Db;
  appliedMigrations: string[];
  sql: Sql;
  transaction<R>(fn: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export async function openPostgres(url: string, log: (m: string) => void = () => {}): Promise<OpenedPostgres> {
  const client = await connectPostgres(url);
  let appliedMigrations: string[];
  try {
    appliedMigrations = await migratePostgres(client, PG_MIGRATIONS_DIR, log);
  } finally {
    await client.end().catch(() => {});
  }
  // One pool for Prisma and the hand-written statements: a transaction's connection is one of it.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  pool.on('error', () => {}); // a dropped idle connection is replaced on the next query
  const factory = new SharedPgFactory(new PrismaPg(pool));
  const client2 = new PrismaClient({ adapter: factory });
  // The two generated clients come from one schema and have the same model API; their
  // deep conditional types are not comparable across packages, hence the one cast.
  const db = client2 as unknown as Db;
  await db.$connect();
  const leases = postgresLeases(url);
  return {
    db,
    leases,
    appliedMigrations,
    sql: pgSql(pool, factory.open),
    transaction: (fn) => factory.transaction(fn),
    close: async () => {
      await leases.close();
      await db.$disconnect();
      await pool.end();
    },
  };
}
