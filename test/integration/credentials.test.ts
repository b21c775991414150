// Credentials the platform rejects stop the bot at start, before it takes any command,
// with one line naming the setting and the platform's answer (never the secret).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

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

  it('a homeserver that cannot be reached', async () => {
    const closed = await answering(200, {});
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const r = await start({ MATRIX_HOMESERVER_URL: closed, MATRIX_ACCESS_TOKEN: 'syt_very_secret', MATRIX_ROOMS: '!coop:test.local' });
    expect(r.code).toBe(1);
    expect(problemLines(r.stderr)).toEqual([`The bot cannot start: MATRIX_HOMESERVER_URL: cannot reach ${closed} (ECONNREFUSED).`]);
  });
});
