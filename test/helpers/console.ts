import { PassThrough } from 'node:stream';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { ConsoleNotifier, runConsole } from '../../adapters/console/console.js';
import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';

/** Runs the console adapter over `lines` on the database in `dir`; returns what it printed. */
export async function consoleSession(dir: string, lines: string[], opts: { env?: Record<string, string>; clock?: Clock; user?: string } = {}): Promise<string> {
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, 'bot.db')}`, COOP_BOARD: 'console:admin', ...opts.env });
  const app = await createApp({ config, logger: silentLogger, clock: opts.clock, tick: false });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  app.notifier.add(new ConsoleNotifier(output));
  await app.start();
  input.end(`${lines.join('\n')}\n`);
  await runConsole({ app, input, output, user: opts.user ?? 'admin', interactive: false });
  await app.close();
  return printed;
}

/**
 * Every row of every table (but the write-lock counter and the per-person counts of
 * commands, which every command adds to), to show that a refused command changed nothing.
 */
export function dumpDatabase(dir: string): Record<string, unknown[]> {
  const db = new Sqlite(path.join(dir, 'bot.db'), { readonly: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('WriteLock', 'Attempt') ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(names.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}
