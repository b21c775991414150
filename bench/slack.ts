// PRODUCT.md §6: a signed Slack slash command answered within 1.3× the time a bare
// Bolt app takes to acknowledge one, measured side by side. Prints figures only.
// Usage: npm run bench:slack
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App as BoltApp, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'smb-bench-slack-'));

// Slack's side: a Web API and response_url that answer at once.
const api = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"ts":"1.1","channel":"C1"}'));
});
await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
const apiPort = (api.address() as { port: number }).port;
const apiUrl = `http://127.0.0.1:${apiPort}/api/`;

const bare = new BoltApp({ token: 'xoxb-bench', signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl }, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR });
bare.command('/service', async ({ ack }) => {
  await ack();
});
const bareServer = (await bare.start(0)) as Server;
const barePort = (bareServer.address() as { port: number }).port;

const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, 'bot.db')}`, COOP_BOARD: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, LIMIT_COMMANDS_PER_MINUTE: '10000' });
const core = await createApp({ config, logger: silentLogger, tick: false });
const ours = createSlackAdapter({ core, settings: { ...config.slack!, port: 0 }, timezone: 'UTC', logger: silentLogger, verifyToken: false });
core.notifier.add(ours.notifier);
const oursPort = (await ours.start()).port ?? 0;
await core.start();

// The requests come from another process, as they would from Slack: in this one, the
// bot's work after ack() would hold up the client reading its answer.
const here = fileURLToPath(import.meta.url);
const client = spawn(process.execPath, [...(path.extname(here) === '.ts' ? ['--import', 'tsx'] : []), path.join(path.dirname(here), `slack-client${path.extname(here)}`), String(barePort), String(oursPort), String(apiPort)], { stdio: 'inherit' });
await new Promise((r) => client.on('exit', r));

await ours.stop();
await bare.stop();
await core.close();
api.close();
rmSync(dir, { recursive: true, force: true });
