// Entry point (`npm start`): reads the settings, starts the core, attaches the adapters.
import { existsSync } from 'node:fs';
import { ConsoleNotifier, runConsole } from './adapters/console/console.js';
import { createApp } from './src/app.js';
import { ConfigError, describeConfig, loadConfig, type Config } from './src/config.js';
import { CatalogueError } from './src/domain/catalogue.js';
import { stderrLogger } from './src/logger.js';

if (existsSync('.env')) process.loadEnvFile('.env');

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
const logger = stderrLogger;

if (config.slack || config.matrix) {
  process.stderr.write(
    `The bot cannot start: ${config.slack ? 'SLACK_BOT_TOKEN' : 'MATRIX_ACCESS_TOKEN'} is set, but the ${config.slack ? 'Slack' : 'Matrix'} adapter is not part of this version yet. Unset it to use the console.\n`,
  );
  process.exit(1);
}

// With no chat platform, the console is the way in. So that a new user can try every
// command at once, an empty database gets console:admin as its first board member
// unless COOP_BOARD names someone.
if (config.board.length === 0) config.board = [{ platform: 'console', externalId: 'admin' }];
const consoleUser = config.board.find((b) => b.platform === 'console')?.externalId ?? 'admin';

logger.info('starting', { settings: describeConfig(config) });
let app;
try {
  app = await createApp({ config, logger });
} catch (e) {
  if (e instanceof CatalogueError) {
    process.stderr.write(`The bot cannot start: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
app.notifier.add(new ConsoleNotifier(process.stdout));
await app.start();
await runConsole({ app, input: process.stdin, output: process.stdout, user: consoleUser, interactive: process.stdin.isTTY === true });
await app.close();
