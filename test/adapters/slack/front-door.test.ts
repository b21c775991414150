// The Slack front door: Slack is answered by a thread of its own, so an acknowledgement
// never waits for the bot's work. Each request here is sent by another process while this
// thread (the bot's) is blocked in spawnSync: if an answer needed the bot's thread, the
// sender would wait until its timeout and the test would fail.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../../adapters/slack/adapter.js';
import type { App } from '../../../src/app.js';
import { dumpDatabase } from '../../helpers/console.js';
import { sign, type FakeSlack } from '../../helpers/fake-slack.js';
import { startSlackBot } from '../../helpers/slack-bot.js';

let slack: FakeSlack;
let core: App;
let adapter: SlackAdapter;
let port: number;
let dir: string;

beforeEach(async () => {
  ({ slack, core, adapter, port, dir } = await startSlackBot({}, { maxPending: 3 }));
});

afterEach(async () => {
  await adapter.stop();
  await core.close();
  await slack.stop();
});

interface Sent {
  status: number;
  body: string;
  ms: number;
}

/** Sends the requests one after another from another process, this thread blocked meanwhile. */
function sendBlocked(requests: { path?: string; body: string; headers: Record<string, string> }[]): Sent[] {
  const script = `
    const out = [];
    for (const r of JSON.parse(process.env.REQUESTS)) {
      const t = performance.now();
      const res = await fetch('http://127.0.0.1:${port}' + (r.path ?? '/slack/events'), { method: 'POST', body: r.body, headers: r.headers, signal: AbortSignal.timeout(5000) });
      out.push({ status: res.status, body: await res.text(), ms: performance.now() - t });
    }
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, REQUESTS: JSON.stringify(requests) }, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`the sender failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Sent[];
}

let triggers = 0;
function slashCommand(user: string, text: string) {
  const trigger = `T${++triggers}`;
  const body = new URLSearchParams({ team_id: 'T1', channel_id: 'C1', user_id: user, user_name: user.toLowerCase(), command: '/service', text, response_url: slack.responseUrl(trigger), trigger_id: trigger }).toString();
  return { trigger, request: { body, headers: sign(body) } };
}

describe('Slack front door', () => {
  it('acknowledges commands while the bot is busy, then answers each of them', async () => {
    const commands = [slashCommand('UADMIN', 'propose wiki user The wiki'), slashCommand('UADMIN', 'level wiki'), slashCommand('UBOB', 'help')];
    const sent = sendBlocked(commands.map((c) => c.request));
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
    expect(sent.map((s) => s.body)).toEqual(['', '', '']);
    // Now the bot's thread is free: the work follows, in order.
    await adapter.idle();
    const answers = commands.map((c) => JSON.stringify(slack.responses.filter((r) => r.id === c.trigger).map((r) => r.body)));
    expect(answers[0]).toContain('proposed');
    expect(answers[1]).toContain('wiki');
    expect(answers[1]).toContain('proposed');
    expect(answers[2]).toContain('/service');
    expect(dumpDatabase(dir).Service).toHaveLength(1);
  });

  it('turns a command away with a word to the person when too much is in hand, and takes it again once the bot has caught up', async () => {
    const commands = ['a', 'b', 'c', 'd'].map((n) => slashCommand('UADMIN', `propose svc-${n} user Service ${n}`));
    const sent = sendBlocked(commands.map((c) => c.request));
    expect(sent.slice(0, 3).map((s) => s.body)).toEqual(['', '', '']);
    expect(sent[3]?.status).toBe(200);
    expect(JSON.parse(sent[3]?.body ?? '{}')).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('try again in a minute') });
    await adapter.idle();
    expect((dumpDatabase(dir).Service as { name: string }[]).map((s) => s.name).sort()).toEqual(['svc-a', 'svc-b', 'svc-c']);
    expect(slack.responses.filter((r) => r.id === commands[3]?.trigger)).toEqual([]);
    // Caught up: the same command is taken.
    const again = slashCommand('UADMIN', 'propose svc-d user Service d');
    expect(sendBlocked([again.request])[0]?.body).toBe('');
    await adapter.idle();
    expect(JSON.stringify(slack.responses.filter((r) => r.id === again.trigger))).toContain("proposed");
    expect(dumpDatabase(dir).Service).toHaveLength(4);
  });

  it("answers Slack's URL verification and SSL check, and refuses unsigned requests and other paths, changing nothing", async () => {
    const challenge = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const unsigned = slashCommand('UADMIN', 'propose wiki user The wiki').request;
    const sent = sendBlocked([
      { body: challenge, headers: { ...sign(challenge), 'content-type': 'application/json' } },
      { body: 'ssl_check=1&token=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { body: unsigned.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { body: unsigned.body, headers: sign(unsigned.body, undefined, 'ffffffffffffffffffffffffffffffff') },
      { path: '/other', ...slashCommand('UADMIN', 'propose wiki user The wiki').request },
    ]);
    expect(sent.map((s) => s.status)).toEqual([200, 200, 401, 401, 404]);
    expect(JSON.parse(sent[0]?.body ?? '{}')).toEqual({ challenge: 'c-123' });
    await adapter.idle();
    expect(dumpDatabase(dir).Service ?? []).toEqual([]);
    expect(slack.responses).toEqual([]);
  });
});
