import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { consolePlatform } from '../../adapters/console/console.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { backupDatabase } from '../../src/store/backup.js';
import { tempDir } from '../helpers/tmp.js';

let app: App | undefined;
afterEach(async () => app?.close());

describe('online backup and restore', () => {
  it('copies a running database, and a bot started on the copy finds everything', async () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, 'bot.db')}`;
    const config = loadConfig({ DATABASE_URL: url, COOP_BOARD: 'console:admin' });
    app = await createApp({ config, logger: silentLogger, tick: false });
    const say = (text: string) => app!.handle({ group: 'coop', text, actor: { platform: 'console', externalId: 'admin' }, platform: consolePlatform });
    await say('member add @alice');
    // Still running, with its last write possibly only in the WAL.
    const { file, bytes } = await backupDatabase(url, undefined, { now: new Date('2027-01-02T03:04:05Z') });
    expect(file).toBe(path.join(dir, 'backups', 'bot-2027-01-02T03-04-05-000Z.db'));
    expect(bytes).toBeGreaterThan(0);
    await say('member add @bob'); // after the backup: not in it
    for (const f of ['bot.db', 'bot.db-wal', 'bot.db-shm']) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    await app.close();
    // Restore: start a bot on the copy.
    app = await createApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const members = await app.store.read((r) => r.members.list({ roster: true }));
    expect(members.map((m) => m.name)).toEqual(['admin', 'alice']);
    const raw = new Sqlite(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    // Readable by the bot's user only: the backup, the database and its WAL files, their folder.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'backups')).mode & 0o777).toBe(0o700);
  });

  it('refuses the live database as its target, and an existing file without --force', async () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, 'bot.db')}`;
    app = await createApp({ config: loadConfig({ DATABASE_URL: url, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const live = path.join(dir, 'bot.db');
    const before = readFileSync(live);
    await expect(backupDatabase(url, live)).rejects.toThrow(`${live} is the live database (DATABASE_URL); write the backup to another file.`);
    await expect(backupDatabase(url, `${live}-wal`)).rejects.toThrow('is the live database');
    expect(readFileSync(live).equals(before)).toBe(true);
    const copy = path.join(dir, 'copy.db');
    await backupDatabase(url, copy);
    await expect(backupDatabase(url, copy)).rejects.toThrow(`${copy} already exists; choose another file, or add --force to overwrite it.`);
    await expect(backupDatabase(url, copy, { force: true })).resolves.toMatchObject({ file: copy });
  });
});
