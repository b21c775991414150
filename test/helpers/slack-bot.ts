// A bot with its Slack adapter on a fresh database, talking to a local stand-in for Slack:
// what the Slack adapter's tests start before each test.
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../adapters/slack/adapter.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { databaseUrl } from './engine.js';
import { FakeSlack, SIGNING_SECRET } from './fake-slack.js';
import { tempDir } from './tmp.js';

export interface SlackBot {
  slack: FakeSlack;
  core: App;
  adapter: SlackAdapter;
  /** Where the adapter listens for Slack's requests. */
  port: number;
  dir: string;
}

/** Starts the stand-in, the core (settings `env` on top of the Slack ones) and the adapter (`options` on top). */
export async function startSlackBot(env: Record<string, string> = {}, options: Partial<SlackAdapterOptions> = {}): Promise<SlackBot> {
  const dir = tempDir();
  const slack = new FakeSlack();
  await slack.start();
  const config = loadConfig({ DATABASE_URL: databaseUrl(dir), COOP_BOARD: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, ...env });
  const core = await createApp({ config, logger: silentLogger, tick: false });
  const adapter = createSlackAdapter({ core, settings: { ...config.slack!, port: 0 }, timezone: 'UTC', logger: silentLogger, ...options });
  core.notifier.add(adapter.notifier);
  const port = (await adapter.start()).port ?? 0;
  await core.start();
  return { slack, core, adapter, port, dir };
}
