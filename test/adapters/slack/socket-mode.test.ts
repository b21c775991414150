// Socket Mode against a local stand-in for Slack: hello, envelopes and acks, `disconnect`
// messages, a dropped socket and a failing apps.connections.open, through the real
// Bolt receiver and Socket Mode client, into a real database.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/adapter.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import { dumpDatabase } from '../../helpers/console.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { FakeSocketMode } from '../../helpers/fake-socket-mode.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

let slack: FakeSlack;
let socket: FakeSocketMode;
let core: App;
let adapter: SlackAdapter;
let dir: string;
const logged: string[] = [];
const logger: Logger = { ...silentLogger, warn: (m) => logged.push(m), error: (m) => logged.push(m) };

beforeEach(async () => {
  dir = tempDir();
  slack = new FakeSlack();
  await slack.start();
  socket = await FakeSocketMode.start();
  slack.socketUrl = socket.url;
  const config = loadConfig({
    DATABASE_URL: `file:${path.join(dir, 'bot.db')}`,
    COOP_BOARD: 'slack:UADMIN',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_APP_TOKEN: 'xapp-1-test',
    SLACK_API_URL: slack.apiUrl,
    SLACK_GOVERNANCE_CHANNEL: 'C0GOV',
  });
  core = await createApp({ config, logger: silentLogger, tick: false });
  adapter = createSlackAdapter({ core, settings: config.slack!, timezone: 'UTC', logger, updateIntervalMs: 20, retryBaseMs: 20, socketPingTimeoutMs: 300 });
  core.notifier.add(adapter.notifier);
  await adapter.start();
  await core.start();
  await waitFor(() => socket.open, 'the Socket Mode connection');
});

afterEach(async () => {
  await adapter.stop();
  await core.close();
  await socket.stop();
  await slack.stop();
  logged.length = 0;
});

let n = 0;
/** A slash command envelope; returns the envelope id and the response_url id. */
function command(user: string, cmd: '/service' | '/coop', text: string, trigger = `T${++n}`, envelope?: string): { envelope: string; response: string } {
  const response = `r-${trigger}`;
  const payload = { token: 'x', team_id: 'T1', channel_id: 'C0GENERAL', user_id: user, user_name: user.toLowerCase(), command: cmd, text, response_url: slack.responseUrl(response), trigger_id: trigger, api_app_id: 'A1' };
  return { envelope: socket.send('slash_commands', payload, envelope), response };
}

const answers = (response: string) => slack.responses.filter((r) => r.id === response).map((r) => JSON.stringify(r.body));

describe('Socket Mode', () => {
  it('acks and answers commands, reconnects after disconnect messages, a dropped socket and a failing apps.connections.open, and handles a redelivered envelope once', async () => {
    const first = command('UADMIN', '/coop', 'member add <@UALICE>');
    await waitFor(() => socket.acks.includes(first.envelope), 'the ack');
    await waitFor(() => answers(first.response).length === 1, 'the answer');
    expect(answers(first.response)[0]).toContain('is now a co-op member');

    // Slack recycles the connection; the first attempt to reopen it meets a 503.
    slack.unavailable.set('apps.connections.open', 1);
    socket.disconnect('refresh_requested');
    await waitFor(() => socket.connections === 2 && socket.open, 'the reconnection', 15_000);
    expect(slack.calls.filter((c) => c.method === 'apps.connections.open (503)')).toHaveLength(1);

    // Slack redelivers the envelope it never saw acked: acked again, handled once.
    command('UADMIN', '/coop', 'member add <@UALICE>', 'T1', first.envelope);
    const second = command('UALICE', '/service', 'propose wiki user The wiki');
    await waitFor(() => answers(second.response).length === 1, 'the next answer');
    expect(answers(first.response)).toHaveLength(1);
    expect(dumpDatabase(dir).Member).toHaveLength(2);

    // A warning to reconnect, then a socket dropped without a word.
    socket.disconnect('warning');
    await waitFor(() => socket.connections === 3 && socket.open, 'the reconnection after a warning', 15_000);
    socket.drop();
    await waitFor(() => socket.connections === 4 && socket.open, 'the reconnection after a drop', 15_000);
    const third = command('UALICE', '/service', 'level wiki');
    await waitFor(() => answers(third.response).length === 1, 'an answer after the drop');
    expect(answers(third.response)[0]).toContain('*wiki* is *proposed*');
  });

  it('keeps trying when reopening fails past the client’s own retries, says so on /healthz, and never ends the process', async () => {
    slack.unavailable.set('apps.connections.open', 12);
    socket.drop();
    await waitFor(() => core.health.report().status === 'degraded', 'the failure to show', 15_000);
    expect(core.health.report().problems.slack).toMatch(/^Socket Mode cannot reconnect/);
    await waitFor(() => socket.connections === 2 && socket.open, 'the reconnection once Slack answers', 20_000);
    await waitFor(() => core.health.report().status === 'ok', 'health to recover');
    const after = command('UADMIN', '/coop', 'member add <@UBOB>');
    await waitFor(() => answers(after.response).length === 1, 'an answer after the outage');
    expect(logged.some((l) => l.includes('slack socket mode reconnect failed'))).toBe(true);
  }, 40_000);
});
