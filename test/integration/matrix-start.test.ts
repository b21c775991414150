// `npm start` with Matrix configured, on a machine without the native crypto library:
// the bot loads, says encrypted rooms are not supported here, and works.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeHomeserver } from '../helpers/fake-homeserver.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

describe('npm start with Matrix', () => {
  it('starts without end-to-end encryption, says so, answers, and stops on SIGTERM', async () => {
    const hs = new FakeHomeserver();
    await hs.start();
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `file:${path.join(tempDir(), 'bot.db')}`,
        MATRIX_HOMESERVER_URL: hs.url,
        MATRIX_ACCESS_TOKEN: 'syt_secret_token',
        MATRIX_ROOMS: '!coop:test.local',
        COOP_BOARD: 'matrix:@admin:test.local',
      },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitFor(() => stderr.includes('matrix: first sync'), 'the first sync', 30_000);
    expect(stderr).toContain('End-to-end encryption is not available here');
    expect(stderr).not.toContain('syt_secret_token');
    hs.say('!coop:test.local', '@carol:test.local', '!service level ghost');
    await waitFor(() => hs.sentIn('!coop:test.local', 'm.room.message').length > 0, 'the answer', 30_000);
    expect(String(hs.sentIn('!coop:test.local', 'm.room.message')[0]?.content.body)).toContain('There is no service named `ghost`');
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    await hs.stop();
    expect(code).toBe(0);
  });
});
