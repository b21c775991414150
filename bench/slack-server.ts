// One side of bench/slack-load.ts, in a process of its own: a bare Bolt app that only
// acknowledges, or the bot on a seeded database. Prints {"port": n} once it listens.
// Usage: slack-server.ts bare <api-url>   |   slack-server.ts bot <api-url> <db-file>
import { App as BoltApp, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const [kind, apiUrl, file] = process.argv.slice(2);

if (kind === 'bare') {
  const bare = new BoltApp({ token: 'xoxb-bench', signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl }, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR });
  bare.command('/service', async ({ ack }) => ack());
  bare.command('/coop', async ({ ack }) => ack());
  const server = (await bare.start(0)) as Server;
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
} else {
  const config = loadConfig({
    DATABASE_URL: `file:${file}`, COOP_BOARD: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl,
    LIMIT_COMMANDS_PER_MINUTE: '10000', LIMIT_REPORTS_PER_DAY: '10000',
  });
  const core = await createApp({ config, logger: silentLogger, tick: false });
  const slack = createSlackAdapter({ core, settings: { ...config.slack!, port: 0 }, timezone: 'UTC', logger: silentLogger, verifyToken: false });
  core.notifier.add(slack.notifier);
  const port = (await slack.start()).port ?? 0;
  await core.start();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}
process.on('SIGTERM', () => process.exit(0));
