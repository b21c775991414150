// The Store port on Prisma, for SQLite and PostgreSQL alike: one repository per
// aggregate under repos/, the statements every command runs written by hand in sql.ts,
// the SQL that differs between the engines in dialect.ts.
// Write transactions are serialised in-process and start by touching the WriteLock
// row. On SQLite they are the store's own, opened with BEGIN IMMEDIATE (sql.ts), which
// takes the write lock (waiting up to the busy timeout) at the start instead of at
// COMMIT: a COMMIT that cannot hit SQLITE_BUSY keeps us clear of prisma/orm#29933 (see
// ENVIRONMENT.md). On PostgreSQL they are the store's own too (postgres.ts), on a
// connection of the pool, where the row lock serialises the writers of every copy of
// the bot, and each statement after it (READ COMMITTED) sees everything committed
// before: two copies cannot both count a vote or both reckon a meeting.
//
// Lookups use findFirst, not findUnique: Prisma batches concurrent findUnique calls
// into one `IN (…)` query, which overflows SQLite's parameter limit when a thousand
// people vote at once ("The query parameter limit supported by your database is exceeded").
import type { AuditEntry, Repos, Store } from '../ports.js';
import type { Db, Tx } from './database.js';
import type { Sql } from './sql.js';
import { Mutex } from './mutex.js';
import { takeWriteLock } from './dialect.js';
import { sharedQueries } from './repos/queries.js';
import { membersRepos } from './repos/members.js';
import { servicesRepos } from './repos/services.js';
import { cataloguesRepos } from './repos/catalogues.js';
import { deficienciesRepos } from './repos/deficiencies.js';
import { meetingsRepos } from './repos/meetings.js';
import { pollsRepos } from './repos/polls.js';
import { auditRepos } from './repos/audit.js';
import { claimsRepos } from './repos/claims.js';

/** Every repository over the client (in a write, the engine routes its queries into the transaction). */
function repos(tx: Tx, sql: Sql, copy: string): Repos {
  const q = sharedQueries(tx, sql);
  return {
    ...membersRepos(tx, q),
    ...servicesRepos(tx, q),
    ...cataloguesRepos(tx, q),
    ...deficienciesRepos(tx, q),
    ...meetingsRepos(tx, q),
    ...pollsRepos(tx, q),
    ...auditRepos(tx, q),
    ...claimsRepos(tx, q, copy),
  };
}

export interface StoreOptions {
  /** The hand-written statements (OpenedDatabase.sql). */
  sql: Sql;
  /** The store's own write transaction on the engine (OpenedDatabase.transaction). */
  transaction<R>(fn: () => Promise<R>): Promise<R>;
  /** The name of this copy of the bot: claims name it (see BotCopy in the schema). */
  copy?: string;
  /** Told of the audit records of each transaction after it commits (for metrics). */
  committed?: (entries: readonly AuditEntry[]) => void;
}

export function prismaStore(db: Db, opts: StoreOptions): Store {
  const writes = new Mutex();
  const copy = opts.copy ?? 'unnamed';
  // The repositories over the database itself hold no state: made once, not per call.
  let made: Repos | undefined;
  const outside = (): Repos => (made ??= repos(db, opts.sql, copy));
  return {
    read: (fn) => fn(outside()),
    // One statement on its own commits atomically; in-process writes still take turns
    // (on SQLite they share one connection), but no copy waits for the write lock.
    append: (fn) => writes.run(() => fn(outside())),
    write: (fn) =>
      writes.run(async () => {
        const recorded: AuditEntry[] = [];
        // The engine's own transaction (sql.ts, postgres.ts): the repositories over the
        // database run inside it, Prisma's queries and the hand-written statements alike.
        const result = await opts.transaction(async () => {
          await takeWriteLock(opts.sql);
          const r = outside();
          const audit = r.audit;
          return fn({
            ...r,
            audit: {
              ...audit,
              async record(e) {
                await audit.record(e);
                recorded.push(e);
              },
            },
          });
        });
        if (recorded.length > 0) opts.committed?.(recorded);
        return result;
      }),
  };
}
