// A throwaway PostgreSQL cluster for the tests and the benchmark: Debian's binaries,
// initdb and pg_ctl as the `postgres` user when running as root, on a free port, in a
// temporary folder, torn down at the end. TEST_POSTGRES_URL points at a server of
// your own instead.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { postgresTool } from '../src/store/pg-tools.js';
import { freePort } from './ports.js';

/** The migrated database each test's database is copied from. */
export const TEMPLATE = 'smb_template';

export interface PostgresServer {
  /** A URL of the server's maintenance database, as the superuser. */
  url: string;
  stop(): void;
}

function binDir(): string {
  const initdb = postgresTool('initdb');
  if (initdb === null) {
    throw new Error('The PostgreSQL tests need a PostgreSQL server: install Debian\'s postgresql package (apt-get install postgresql), or set TEST_POSTGRES_URL to a server of your own.');
  }
  return path.dirname(initdb);
}

export async function startPostgres(): Promise<PostgresServer> {
  if (process.env.TEST_POSTGRES_URL) return { url: process.env.TEST_POSTGRES_URL, stop: () => {} };
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'smb-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : path.join(bin, cmd), asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args, { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--locale=C.UTF-8', '--no-sync']);
  // Durability off: a test cluster is thrown away; the code under test is the same.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
