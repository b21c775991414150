// PostgreSQL's programs (pg_dump, initdb, pg_ctl): on PATH, or in the newest of Debian's
// versioned folders (/usr/lib/postgresql/<version>/bin), where initdb and pg_ctl live.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The path of `tool`, or null when no PostgreSQL installation has it. */
export function postgresTool(tool: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(path.join(dir, tool))) return path.join(dir, tool);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', tool))).sort((a, b) => Number(b) - Number(a)) : [];
  return versions[0] === undefined ? null : path.join(root, versions[0], 'bin', tool);
}
