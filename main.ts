// Entry point (`npm start`): reads the settings, starts the core, attaches the adapters.
import { existsSync } from 'node:fs';
import { ConsoleNotifier, runConsole } from './adapters/console/console.js';
import { createApp, type App } from './src/app.js';
import { ConfigError, describeConfig, loadConfig, type Config } from './src/config.js';
import { CatalogueError } from './src/domain/catalogue.js';
import { createLogger } from './src/logger.js';
import { localDataDir } from './src/store/database.js';
import { runAsLeader, type Leadership, type Role } from './src/leadership.js';
import { drainOutbox, OutboxNotifier, SwitchingNotifier } from './src/outbox.js';
import { StartupError } from './src/startup.js';
import path from 'node:path';

if (existsSync('.env')) process.loadEnvFile('.env');
// Files the bot makes (database, logs, backups) hold members' identities: its user's only.
process.umask(0o077);

function fail(message: string): never {
  process.stderr.write(`The bot cannot start: ${message}\n`);
  process.exit(1);
}

function settings(): Config {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

const config = settings();
const chat = !!config.slack || !!config.matrix;
const useConsole = !chat || config.console;
// A person typing at the console should not have log lines land in their typing.
const logger = createLogger({ level: config.logLevel, file: useConsole && process.stdin.isTTY ? path.join(localDataDir(config.databaseUrl), 'bot.log') : undefined });

// With only the console, an empty database gets console:admin as its first board
// member unless COOP_BOARD names someone, so that a new user can try every command.
if (!chat && config.board.length === 0) config.board = [{ platform: 'console', externalId: 'admin' }];
if (chat && config.board.length === 0) logger.warn('COOP_BOARD is not set: if the database has no board yet, nobody can add members');
const consoleUser = config.board.find((b) => b.platform === 'console')?.externalId ?? 'admin';

logger.info('starting', { settings: describeConfig(config) });
// Node's own warnings (a library's deprecation) go to the log as JSON lines like the
// rest, once each, instead of raw text on standard error.
process.removeAllListeners('warning');
const warned = new Set<string>();
process.on('warning', (w) => {
  if (warned.has(w.message)) return;
  warned.add(w.message);
  logger.warn('node warning', { name: w.name, warning: w.message });
});
for (const warning of config.warnings) logger.warn(warning);
let app: App;
/** The core's start (its timed work); a stop waits for it. */
let started: Promise<void> = Promise.resolve();
try {
  app = await createApp({ config, logger });
} catch (e) {
  if (e instanceof CatalogueError || e instanceof StartupError) fail(e.message);
  throw e;
}

const adapters: { start(): Promise<unknown>; stop(): Promise<void> }[] = [];
// Chat SDKs and the web pages are loaded only when configured: a console start does not
// pay for Bolt, express and undici (about a third of the start-up time).
if (config.slack) {
  const { createSlackAdapter } = await import('./adapters/slack/adapter.js');
  const slack = createSlackAdapter({ core: app, settings: config.slack, timezone: config.timezone, logger });
  app.notifier.add(slack.notifier);
  adapters.push(slack);
}
let matrixLeadership: Leadership | undefined;
if (config.matrix) {
  // Loaded only when used: it brings matrix-bot-sdk and the WebAssembly crypto.
  const { createMatrixAdapter } = await import('./adapters/matrix/adapter.js');
  const settings = config.matrix;
  // One copy of the bot syncs Matrix (one device, one sync position): the one holding
  // the lease. The others leave their Matrix messages in the outbox for it.
  const matrixNotifier = new SwitchingNotifier(new OutboxNotifier('matrix', app.store, app.deps.clock));
  app.notifier.add(matrixNotifier);
  let drain: NodeJS.Timeout | undefined;
  let current: { stop(): Promise<void> } | undefined;
  const role: Role = {
    async start() {
      const matrix = createMatrixAdapter({ core: app, settings, logger });
      await matrix.start();
      current = matrix;
      matrixNotifier.direct = matrix.notifier;
      let draining = false;
      drain = setInterval(() => {
        if (draining) return;
        draining = true;
        void drainOutbox({ store: app.store, clock: app.deps.clock, logger, platform: 'matrix', target: matrix.notifier })
          .catch((e: unknown) => logger.error('matrix outbox failed', { error: e instanceof Error ? e.message : String(e) }))
          .finally(() => (draining = false));
      }, 1000);
      drain.unref();
    },
    async stop() {
      clearInterval(drain);
      matrixNotifier.direct = null;
      await current?.stop();
      current = undefined;
    },
  };
  adapters.push({
    async start() {
      // The first try runs before this returns: a refused token stops the start, as before.
      matrixLeadership = await runAsLeader({ leases: app.leases, name: 'matrix', role, logger });
    },
    stop: async () => matrixLeadership?.stop(),
  });
}
if (useConsole) app.notifier.add(new ConsoleNotifier(process.stdout));
try {
  for (const a of adapters) await a.start();
} catch (e) {
  if (e instanceof StartupError) {
    await app.close();
    fail(e.message);
  }
  throw e;
}
// A rejected promise nobody awaited is logged with its context; it never ends the bot.
process.on('unhandledRejection', (reason) => {
  logger.error('unhandled rejection (the bot keeps running)', { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) });
});
if (config.webPort !== undefined) {
  const { createWebAdapter } = await import('./adapters/web/server.js');
  const web = createWebAdapter({ core: app, timezone: config.timezone, logger, host: config.webHost, publicUrl: config.publicUrl });
  try {
    await web.start(config.webPort);
  } catch (e) {
    if (e instanceof StartupError) {
      await shutdown();
      fail(e.message);
    }
    throw e;
  }
  adapters.push({ start: async () => undefined, stop: () => web.stop() });
}
async function shutdown(): Promise<void> {
  await started.catch(() => undefined); // a stop asked for during start waits for it
  for (const a of adapters) await a.stop();
  await app.close();
}

const waitForSignals = () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void shutdown().then(() => process.exit(0));
    });
  }
};

// Adapters already receive while the start's timed work runs: a SIGTERM then (systemd, a
// deploy) stops the bot cleanly, after it, instead of killing it halfway.
started = app.start();
if (!useConsole) waitForSignals();
await started;

if (useConsole) {
  const interactive = process.stdin.isTTY === true;
  const { lines } = await runConsole({ app, input: process.stdin, output: process.stdout, user: consoleUser, interactive, filesDir: localDataDir(config.databaseUrl) });
  if (!chat && !interactive && lines === 0) {
    // Nothing to read and no platform (systemd, </dev/null): say so, never exit silently.
    if (config.webPort !== undefined) {
      logger.info('no chat platform and no console input: serving the web pages only', { port: config.webPort });
      waitForSignals();
    } else {
      await shutdown();
      process.stderr.write(
        'The bot has nothing to do: no chat platform is configured and standard input is empty. Set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN (Slack), or MATRIX_HOMESERVER_URL, MATRIX_ACCESS_TOKEN and MATRIX_ROOMS (Matrix); or type commands at a terminal, or pipe them in; or set WEB_PORT to serve only the web pages.\n',
      );
      process.exit(2);
    }
  } else {
    await shutdown();
    process.exit(0);
  }
}
