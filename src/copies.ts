// Copies of the bot on one database. Each running copy has a name of its own for its
// lifetime (host, process, a random tag), beats a heartbeat into the database with
// every pass of the scheduler, and signs what it claims: a claim left unconfirmed by
// a copy that stopped beating was cut off, and is abandoned by whoever sees it first.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface CopyIdentity {
  name: string;
  host: string;
  startedAt: Date;
}

/** A copy not seen for this long is gone (it beats every minute). */
export const COPY_GONE_AFTER_MS = 3 * 60_000;

export function thisCopy(now: Date): CopyIdentity {
  const host = hostname();
  return { name: `${host}-${process.pid}-${randomBytes(3).toString('hex')}`, host, startedAt: now };
}

/**
 * Platform connections only one copy may hold at a time (Matrix: one device, one sync
 * position). On PostgreSQL a session advisory lock, held while its connection lives;
 * on SQLite, where one process writes a database file, always this copy.
 */
export interface Leases {
  /** Takes the lease if nobody holds it; true if this copy holds it now. */
  tryAcquire(name: string): Promise<boolean>;
  /** Whether this copy still holds it (its connection is alive). */
  holds(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
  close(): Promise<void>;
}

export const soleCopyLeases: Leases = {
  tryAcquire: async () => true,
  holds: async () => true,
  release: async () => {},
  close: async () => {},
};
