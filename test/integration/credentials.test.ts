// Credentials the platform rejects stop the bot at start, before it takes any command,
// with one line naming the setting and the platform's answer (never the secret).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHomeserver } from '../helpers/fake-homeserver.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function answering(status: number, body: unknown): Promise<string> {
  server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${path.join(tempDir(), 'bot.db')}`, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, ms: Date.now() - started })));
}

const problemLines = (stderr: string) => stderr.trim().split('\n').filter((l) => !/"level":"(info|warn)"/.test(l));

describe('credentials refused at start', () => {
  it('a Slack token that Slack answers invalid_auth', async () => {
    const api = await answering(200, { ok: false, error: 'invalid_auth' });
    const r = await start({ SLACK_BOT_TOKEN: 'xoxb-111-secret-token', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', SLACK_API_URL: `${api}/api/` });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(30_000);
    expect(problemLines(r.stderr)).toEqual([
      'The bot cannot start: SLACK_BOT_TOKEN: Slack refused the bot token (invalid_auth). Copy the Bot User OAuth Token (xoxb-…) of the installed app.',
    ]);
    expect(r.stderr).not.toContain('secret-token');
    expect(r.stderr).not.toContain('listening');
  });

  it('a Matrix access token the homeserver answers 401', async () => {
    const hs = await answering(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' });
    const r = await start({ MATRIX_HOMESERVER_URL: hs, MATRIX_ACCESS_TOKEN: 'syt_very_secret', MATRIX_ROOMS: '!coop:test.local' });
    expect(r.code).toBe(1);
    expect(problemLines(r.stderr)).toEqual([
      "The bot cannot start: MATRIX_ACCESS_TOKEN: the homeserver refused the access token (M_UNKNOWN_TOKEN). Log the bot's account in again and copy its access token.",
    ]);
    expect(r.stderr).not.toContain('syt_very_secret');
  });

});

describe('a platform out of reach at start', () => {
  it('a homeserver that cannot be reached: the bot keeps running, /healthz says so, and it connects when the homeserver is back', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const webPort = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${path.join(tempDir(), 'bot.db')}`, MATRIX_HOMESERVER_URL: closed, MATRIX_ACCESS_TOKEN: 'syt_very_secret', MATRIX_ROOMS: '!coop:test.local', WEB_PORT: String(webPort) },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let exited = false;
    child.on('exit', () => (exited = true));
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${webPort}/healthz`).catch(() => null);
      return res ? ((await res.json()) as { status: string; problems: Record<string, string> }) : null;
    };
    const hs = new FakeHomeserver();
    try {
      await waitFor(async () => (await health())?.status === 'degraded', 'the bot to say Matrix is out of reach', 30_000);
      expect((await health())?.problems.matrix).toBe(`cannot reach ${closed} (ECONNREFUSED); trying again`);
      expect(exited).toBe(false);
      await hs.start(Number(new URL(closed).port));
      await waitFor(async () => (await health())?.status === 'ok', 'the bot to connect once the homeserver answers', 90_000);
      expect(hs.joins).toContain('!coop:test.local');
      expect(Date.now() - started).toBeLessThan(120_000);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr).not.toContain('syt_very_secret');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (exited ? r(null) : child.on('exit', r)));
      await hs.stop();
    }
  }, 150_000);
});
