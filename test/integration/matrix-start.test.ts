// The bot's process with Matrix configured, on a machine without matrix-bot-sdk's
// native crypto library: it loads, starts end-to-end encryption with the WebAssembly
// crypto (its device keys published), and answers in an encrypted room.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeHomeserver } from '../helpers/fake-homeserver.js';
import { MatrixPerson } from '../helpers/matrix-person.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

describe('npm start with Matrix', () => {
  it('starts with end-to-end encryption, answers an encrypted command encrypted, and stops on SIGTERM', async () => {
    const hs = new FakeHomeserver();
    await hs.start();
    hs.encryptRoom('!coop:test.local');
    hs.member('!coop:test.local', '@carol:test.local');
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
    expect(stderr).toContain('end-to-end encryption on');
    expect(stderr).not.toContain('syt_secret_token');
    expect(hs.devices.get(hs.botId)?.get(hs.botDevice)?.keys).toBeDefined();
    const carol = await MatrixPerson.create(hs, '@carol:test.local');
    await carol.say('!coop:test.local', '!service level ghost');
    await waitFor(() => hs.sentIn('!coop:test.local', 'm.room.encrypted').length > 0, 'the answer', 30_000);
    const answer = await carol.read(hs.sentIn('!coop:test.local', 'm.room.encrypted')[0]!);
    expect(String(answer.content.body)).toContain('There is no service named `ghost`');
    expect(hs.sentIn('!coop:test.local', 'm.room.message')).toHaveLength(0);
    carol.close();
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    await hs.stop();
    expect(code).toBe(0);
  });
});
