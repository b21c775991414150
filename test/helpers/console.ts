import { PassThrough } from 'node:stream';
import { ConsoleNotifier, runConsole } from '../../adapters/console/console.js';
import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { databaseUrl, dumpTables } from './engine.js';

/** Runs the console adapter over `lines` on the database in `dir`; returns what it printed. */
export async function consoleSession(dir: string, lines: string[], opts: { env?: Record<string, string>; clock?: Clock; user?: string } = {}): Promise<string> {
  const config = loadConfig({ DATABASE_URL: databaseUrl(dir), COOP_BOARD: 'console:admin', ...opts.env });
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
  return dumpTables(dir);
}
