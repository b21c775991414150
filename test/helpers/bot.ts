// Keeps one bot open on a real SQLite file, driven through the console session
// (the same code as `npm start`) with a clock the test moves.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { ConsoleNotifier, ConsoleSession, renderForConsole } from '../../adapters/console/console.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { IdentityRef } from '../../src/domain/identity.js';
import { silentLogger } from '../../src/logger.js';
import { sweep } from '../../src/scheduler/index.js';
import { FakeClock } from '../fakes/clock.js';
import { dumpDatabase } from './console.js';
import { databaseUrl } from './engine.js';

export interface TestBot {
  app: App;
  /** The folder of its database. */
  dir: string;
  clock: FakeClock;
  /** Runs console lines; returns everything printed (replies and notifications). */
  run(...lines: string[]): Promise<string>;
  /** Runs a command as an identity of another platform, as its adapter would. */
  runAs(identity: IdentityRef, group: 'service' | 'coop', text: string): Promise<string>;
  /** The minute tick's work, now. */
  sweep(): Promise<string>;
  /** `/coop report` as the person typing sees it, and the whole report from the file it names. */
  report(): Promise<{ printed: string; whole: string }>;
  dump(): Record<string, unknown[]>;
  close(): Promise<void>;
}

export async function openBot(dir: string, env: Record<string, string> = {}, clock = new FakeClock()): Promise<TestBot> {
  // One person plays a whole co-op within one minute of a fake clock: limits well above that, unless a test sets its own.
  const config = loadConfig({ DATABASE_URL: databaseUrl(dir), COOP_BOARD: 'console:admin', LIMIT_COMMANDS_PER_MINUTE: '10000', LIMIT_OPEN_POLLS: '100', LIMIT_REPORTS_PER_DAY: '100', ...env });
  const app = await createApp({ config, logger: silentLogger, clock, tick: false });
  const out = new PassThrough();
  let printed = '';
  out.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  app.notifier.add(new ConsoleNotifier(out));
  await app.start();
  const session = new ConsoleSession(app, 'admin', dir);
  const take = () => {
    const text = printed;
    printed = '';
    return text;
  };
  const bot: TestBot = {
    app,
    dir,
    clock,
    async run(...lines) {
      for (const line of lines) {
        const reply = await session.line(line);
        if (reply !== null) out.write(`${reply}\n`);
      }
      await new Promise((r) => setImmediate(r));
      return take();
    },
    async runAs(identity, group, text) {
      const reply = await app.handle({
        group,
        text,
        actor: identity,
        platform: { name: identity.platform, commandPrefix: (g) => (identity.platform === 'matrix' ? `!${g}` : `/${g}`) },
      });
      out.write(`${renderForConsole(reply, identity.externalId)}\n`);
      await new Promise((r) => setImmediate(r));
      return take();
    },
    async report() {
      const printed = await bot.run('/coop report');
      const file = /The whole document is in (\S+)/.exec(printed)?.[1];
      if (!file) throw new Error(`no report file named in: ${printed.slice(0, 300)}`);
      return { printed, whole: readFileSync(file, 'utf8') };
    },
    async sweep() {
      await sweep(app.deps);
      await new Promise((r) => setImmediate(r));
      return take();
    },
    dump: () => dumpDatabase(dir),
    close: () => app.close(),
  };
  return bot;
}

export const DAY = 86_400_000;
