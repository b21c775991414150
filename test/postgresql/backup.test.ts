// `npm run backup` on PostgreSQL: a pg_dump custom-format archive of the running
// database, which pg_restore brings back into an empty one that a bot then starts on.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consolePlatform } from '../../adapters/console/console.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { backupDatabase } from '../../src/store/backup.js';
import { databaseUrl } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';

let app: App | undefined;
afterEach(async () => app?.close());

describe('PostgreSQL backup and restore', () => {
  it('dumps a running database in custom format, and a bot started on the restored copy finds everything', async () => {
    const dir = tempDir();
    const url = databaseUrl(dir);
    app = await createApp({ config: loadConfig({ DATABASE_URL: url, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const say = (text: string) => app!.handle({ group: 'coop', text, actor: { platform: 'console', externalId: 'admin' }, platform: consolePlatform });
    await say('member add @alice');
    const target = path.join(dir, 'coop.dump');
    const { file, bytes } = await backupDatabase(url, target);
    expect(file).toBe(target);
    expect(bytes).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await say('member add @bob'); // after the backup: not in it
    await app.close();
    app = undefined;
    // The README's restore: pg_restore into an empty database.
    const restored = databaseUrl(path.join(dir, 'restored'));
    execFileSync('psql', ['-X', '-q', '-d', restored, '-c', 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;']);
    execFileSync('pg_restore', ['--no-owner', `--dbname=${restored}`, file]);
    app = await createApp({ config: loadConfig({ DATABASE_URL: restored, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const members = await app.store.read((r) => r.members.list({ roster: true }));
    expect(members.map((m) => m.name)).toEqual(['admin', 'alice']);
    await expect(backupDatabase(url, target)).rejects.toThrow(/already exists/);
  });
});
