// PRODUCT.md §6: a signed Slack slash command answered within 1.3× the time a bare
// Bolt app takes to acknowledge one, measured side by side; then a poll with 1,000
// electors taking 1,000 clicks in 20 s: how many chat.update calls the stream caused,
// and how long after the last vote the final tally showed. Usage: npm run bench:slack
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
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

// Slack's side: a Web API and response_url that answer at once (chat.update calls are kept).
const updates: { at: number; body: string }[] = [];
const api = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    if (req.url?.includes('chat.update')) updates.push({ at: performance.now(), body: decodeURIComponent(body.replace(/\+/g, ' ')) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"ts":"1.1","channel":"C1"}');
  });
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

// A poll with 1,000 electors, and 1,000 clicks in 20 s (50 a second).
const VOTERS = 1000;
for (let i = 0; i < VOTERS; i++) await core.handle({ group: 'coop', text: `member add <@UV${i}>`, actor: { platform: 'slack', externalId: 'UADMIN' }, platform: { name: 'slack', commandPrefix: (g) => `/${g}` } });
const opened = await core.handle({ group: 'coop', text: 'poll Bench stream? | yes | no', actor: { platform: 'slack', externalId: 'UADMIN' }, platform: { name: 'slack', commandPrefix: (g) => `/${g}` }, room: 'C1' });
await ours.notifier.post('C1', opened);
const pollId = Math.max(...(await core.store.read((r) => r.polls.listOpen())).map((p) => p.id));
const click = async (i: number) => {
  const payload = {
    type: 'block_actions', user: { id: `UV${i}`, name: `v${i}` }, team: { id: 'T1' }, api_app_id: 'A1', token: 'x', trigger_id: `click-${i}`,
    response_url: `http://127.0.0.1:${apiPort}/response/click-${i}`, channel: { id: 'C1' }, container: { type: 'message', channel_id: 'C1', message_ts: '1.1' }, message: { ts: '1.1' },
    actions: [{ type: 'button', action_id: `vote:${pollId}:0`, block_id: `poll:${pollId}`, value: JSON.stringify({ poll: pollId, option: i % 3 === 0 ? 'no' : 'yes' }), action_ts: `${i}.1` }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await fetch(`http://127.0.0.1:${oursPort}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } });
  await res.text();
};
updates.length = 0;
const streamStart = performance.now();
const clicks: Promise<void>[] = [];
for (let i = 0; i < VOTERS; i++) {
  clicks.push(click(i));
  await new Promise((r) => setTimeout(r, Math.max(0, streamStart + (i + 1) * 20 - performance.now())));
}
await Promise.all(clicks);
await ours.idle();
const lastVote = performance.now();
const duringStream = updates.filter((u) => u.at <= lastVote).length;
const final = `${VOTERS} of ${VOTERS + 1} voted`;
while (!updates.some((u) => u.body.includes(final)) && performance.now() - lastVote < 10_000) await new Promise((r) => setTimeout(r, 10));
const shown = updates.find((u) => u.body.includes(final));
const lag = shown ? shown.at - lastVote : Infinity;
const streamS = (lastVote - streamStart) / 1000;
console.log(`1,000 clicks in ${streamS.toFixed(1)} s: ${duringStream} chat.update calls during the stream (at most one per 2 s: ≤ ${Math.ceil(streamS / 2) + 1})`);
console.log(`${lag <= 2000 ? 'ok  ' : 'MISS'} final tally shown ${lag === Infinity ? 'never' : `${lag.toFixed(0)} ms`} after the last vote   target ≤ 2000 ms`);

await ours.stop();
await bare.stop();
await core.close();
api.close();
rmSync(dir, { recursive: true, force: true });
