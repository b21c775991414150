// Outside transactions the store's hand-written statements go through a pool of the
// bot's own (src/store/postgres.ts), inside them through Prisma's client. Both must read
// and write the same instants, whatever time zone the process runs in: the timestamp
// columns hold UTC.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { databaseUrl } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';

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
