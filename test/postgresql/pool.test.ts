// The store's statements on PostgreSQL (src/store/postgres.ts): outside a write
// transaction the hand-written ones go through a pool of the bot's own; inside one,
// they and Prisma's go to the transaction's connection. Both must read and write the
// same instants, whatever time zone the process runs in (the timestamp columns hold
// UTC); a write must hold up no one's reads and show them nothing before it commits.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { databaseUrl } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';
import { consolePlatform } from '../../adapters/console/console.js';

let app: App | undefined;
const zone = process.env.TZ;
afterEach(async () => {
  await app?.close();
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('PostgreSQL statements outside transactions', () => {
  it('keep instants exact both ways between the bot’s pool and Prisma, in a zone far from UTC', async () => {
    process.env.TZ = 'Pacific/Auckland';
    app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(tempDir()), COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const at = new Date('2027-03-05T18:30:15.123Z');
    // Written by Prisma in a transaction, read through the pool.
    await app.store.write((r) => r.meetings.create({ kind: 'egm', at, createdAt: at }));
    expect((await app.store.read((r) => r.meetings.list())).map((m) => m.at.toISOString())).toEqual([at.toISOString()]);
    // Written through the pool, read by Prisma (no limit: a count and the oldest) and by the pool.
    await app.store.append((r) => r.attempts.record('cmd:test', at));
    const before = new Date(at.getTime() - 1);
    const byPrisma = await app.store.read((r) => r.attempts.since('cmd:test', before));
    const byPool = await app.store.read((r) => r.attempts.since('cmd:test', before, 5));
    expect({ prisma: byPrisma.oldest?.toISOString(), pool: byPool.oldest?.toISOString(), count: byPool.count }).toEqual({ prisma: at.toISOString(), pool: at.toISOString(), count: 1 });
  });
});

describe('PostgreSQL write transactions', () => {
  const ann = { platform: 'console' as const, externalId: 'ann' };

  it('hold up no one’s reads, and show them nothing before they commit', async () => {
    app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(tempDir()), COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const a = app;
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let created = () => {};
    const made = new Promise<void>((r) => (created = r));
    const writing = a.store.write(async (r) => {
      await r.members.create({ name: 'ann', identity: ann, isMember: true, isBoard: false, at: new Date() });
      // Inside the transaction it is there, for Prisma and for the hand-written statements.
      expect((await r.members.byIdentity(ann))?.name).toBe('ann');
      expect((await r.members.list({})).map((m) => m.name)).toContain('ann');
      created();
      await gate;
    });
    await made;
    // Another command's read, while the write is open: answered at once, without it.
    expect(await a.store.read((r) => r.members.byIdentity(ann))).toBeNull();
    expect((await a.store.read((r) => r.members.list({}))).map((m) => m.name)).not.toContain('ann');
    release();
    await writing;
    expect((await a.store.read((r) => r.members.byIdentity(ann)))?.name).toBe('ann');
  });

  it('send one statement at a time on their connection, however the work inside asks', async () => {
    app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(tempDir()), COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
    const a = app;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const names = await a.store.write(async (r) => {
        await r.members.create({ name: 'ann', identity: ann, isMember: true, isBoard: false, at: new Date() });
        // Prisma's queries and the hand-written statements asked for at once.
        return Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? r.members.byIdentity(ann).then((m) => m?.name) : r.members.list({}).then((l) => l.find((m) => m.name === 'ann')?.name))));
      });
      expect(new Set(names)).toEqual(new Set(['ann']));
      // pg warns (and pg 9 will throw) when a client is sent a query while it runs another.
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => /already executing/.test(w))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('PostgreSQL rate limit', () => {
  it('takes a command’s slot in one statement, and refuses the one past the limit with when to try again', async () => {
    app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(tempDir()), COOP_BOARD: 'console:admin', LIMIT_COMMANDS_PER_MINUTE: '3' }), logger: silentLogger, tick: false });
    const a = app;
    const say = () => a.handle({ group: 'service', text: 'help', actor: { platform: 'console', externalId: 'zoe' }, platform: consolePlatform });
    for (let i = 0; i < 3; i++) expect((await say()).outcome).toBe('ok');
    const refused = await say();
    expect(refused.outcome).not.toBe('ok');
    expect(JSON.stringify(refused.blocks)).toContain('You have sent 3 commands in the last minute, the most one person may (3 a minute). Try again in');
  });
});
