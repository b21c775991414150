// The statements the store writes by hand, for the paths every command takes (who is
// asking, the rate limit, a vote, the audit record): Prisma's query builder spends about
// 0.15–0.2 ms of its own work on each statement, a prepared statement about 10 µs.
//
// Each is a tagged template, `sql.all\`SELECT … WHERE "id" = ${id}\``: the values are
// bound as parameters, never spliced into the text, and the statement is prepared once
// per call site (a template's strings are one object for the life of the process).
// The text is written once for both engines (double-quoted identifiers, `excluded.`,
// `ON CONFLICT`); only the placeholders and the values' encoding differ, here.
//
// On SQLite the statements run on the very connection Prisma's adapter holds, so inside
// a write transaction they are part of it. On PostgreSQL (postgres.ts) they go to the
// connection of the write transaction open in their async context, else to the pool.
import Sqlite from 'better-sqlite3';
import { z } from 'zod';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

export type SqlValue = string | number | boolean | Date | null;
export type SqlRow = Record<string, unknown>;

export interface Sql {
  /** Which engine runs them (dialect.ts writes the few statements that differ). */
  readonly engine: 'sqlite' | 'postgresql';
  /** The rows a statement returns (a SELECT, or a write with RETURNING). */
  all(strings: TemplateStringsArray, ...values: SqlValue[]): Promise<SqlRow[]>;
  /** Runs a write; the number of rows it changed. */
  run(strings: TemplateStringsArray, ...values: SqlValue[]): Promise<number>;
  /**
   * A statement whose text the store composes itself (the multi-row inserts of dialect.ts),
   * with `?` placeholders: its rows if it returns any, else none; and the rows it changed.
   */
  text(text: string, values: readonly SqlValue[]): Promise<{ rows: SqlRow[]; changes: number }>;
}

/** Composed texts kept prepared at most (a few shapes per table: a full chunk of rows and the rest). */
const TEXTS_KEPT = 200;

/** SQLite: prepared once per call site on the shared connection; dates as Unix milliseconds, as Prisma stores them (unixepoch-ms). */
export function sqliteSql(connection: () => Sqlite.Database): Sql {
  const prepared = new WeakMap<TemplateStringsArray, Sqlite.Statement>();
  const statement = (strings: TemplateStringsArray): Sqlite.Statement => {
    let st = prepared.get(strings);
    if (!st) {
      st = connection().prepare(strings.join('?'));
      // The adapter turns safe integers on for the connection; our columns fit a double.
      st.safeIntegers(false);
      prepared.set(strings, st);
    }
    return st;
  };
  const composed = new Map<string, Sqlite.Statement>();
  const ofText = (text: string): Sqlite.Statement => {
    let st = composed.get(text);
    if (!st) {
      if (composed.size >= TEXTS_KEPT) composed.clear();
      st = connection().prepare(text);
      st.safeIntegers(false);
      composed.set(text, st);
    }
    return st;
  };
  const bind = (v: SqlValue) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? Number(v) : v);
  return {
    engine: 'sqlite',
    all: (strings, ...values) => Promise.resolve(statement(strings).all(...values.map(bind)) as SqlRow[]),
    run: (strings, ...values) => Promise.resolve(statement(strings).run(...values.map(bind)).changes),
    text(text, values) {
      const st = ofText(text);
      if (!st.reader) return Promise.resolve({ rows: [], changes: st.run(...values.map(bind)).changes });
      const rows = st.all(...values.map(bind)) as SqlRow[];
      return Promise.resolve({ rows, changes: rows.length });
    },
  };
}

/**
 * Prisma's better-sqlite3 adapter factory, remembering the connection it opens so that
 * `sqliteSql` can prepare statements on it, and running the store's write transactions
 * on it directly (`transaction`): Prisma's interactive transaction costs about 0.3 ms of
 * its own work and most of a vote's garbage. A write Prisma wraps in a transaction of its
 * own (a nested create) becomes a savepoint inside the store's. The adapter keeps the
 * connection in its public `client` field (a pinned version; checked when it connects).
 */
export class SharedSqliteFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite';
  readonly adapterName: string;
  #connection: Sqlite.Database | null = null;
  /** Whether the store's own transaction is open on the connection. */
  #inTransaction = false;
  #savepoints = 0;
  #ends: [Sqlite.Statement, Sqlite.Statement, Sqlite.Statement] | undefined;
  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.adapterName = inner.adapterName;
  }
  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    if (!('client' in adapter) || !(adapter.client instanceof Sqlite)) {
      throw new Error(`${this.adapterName} no longer exposes its connection; the store's prepared statements need it (see src/store/sql.ts)`);
    }
    this.#connection = adapter.client;
    this.#ends = undefined;
    const nested = (): Promise<Transaction> => this.#savepoint(adapter);
    const inOwn = () => this.#inTransaction;
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (q) => adapter.queryRaw(q),
      executeRaw: (q) => adapter.executeRaw(q),
      executeScript: (script) => adapter.executeScript(script),
      startTransaction: (level) => (inOwn() ? nested() : adapter.startTransaction(level)),
      ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: false } } : {}),
      dispose: () => adapter.dispose(),
    };
  }
  /** The open connection (after Prisma has connected). */
  connection(): Sqlite.Database {
    if (!this.#connection) throw new Error('the SQLite connection is not open yet');
    return this.#connection;
  }
  /**
   * Runs `fn` in a transaction on the connection (the caller lets one run at a time):
   * BEGIN IMMEDIATE takes SQLite's write lock at the start, waiting up to the busy
   * timeout for another process, so COMMIT cannot meet SQLITE_BUSY (prisma/orm#29933).
   */
  async transaction<R>(fn: () => Promise<R>): Promise<R> {
    const c = this.connection();
    const [begin, commit, rollback] = (this.#ends ??= [c.prepare('BEGIN IMMEDIATE'), c.prepare('COMMIT'), c.prepare('ROLLBACK')]);
    begin.run();
    this.#inTransaction = true;
    try {
      const result = await fn();
      this.#inTransaction = false;
      commit.run();
      return result;
    } catch (e) {
      this.#inTransaction = false;
      if (c.inTransaction) rollback.run();
      throw e;
    }
  }
  async #savepoint(adapter: SqlDriverAdapter): Promise<Transaction> {
    const name = `prisma_${++this.#savepoints}`;
    await adapter.executeRaw({ sql: `SAVEPOINT ${name}`, args: [], argTypes: [] });
    const release = (sql: string) => adapter.executeRaw({ sql, args: [], argTypes: [] }).then(() => undefined);
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      // Prisma ends it by calling commit or rollback, sending no COMMIT of its own.
      options: { usePhantomQuery: true },
      queryRaw: (q) => adapter.queryRaw(q),
      executeRaw: (q) => adapter.executeRaw(q),
      commit: () => release(`RELEASE SAVEPOINT ${name}`),
      rollback: () => release(`ROLLBACK TO SAVEPOINT ${name}`).then(() => release(`RELEASE SAVEPOINT ${name}`)),
    };
  }
}

// Values as the engines hand them back: SQLite's integers for dates and booleans,
// PostgreSQL's bigint for COUNT(*).
export const sqlDate = z.union([z.date(), z.number().transform((ms) => new Date(ms))]);
export const sqlBool = z.union([z.boolean(), z.number().transform((n) => n !== 0)]);
export const sqlInt = z.union([z.number().int(), z.bigint().transform(Number)]);
