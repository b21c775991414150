// A write transaction is all or nothing, including the writes Prisma wraps in a
// transaction of its own (a member created with an identity is two inserts): on SQLite
// those become savepoints inside the store's own transaction, and a failure after them
// undoes them too. Runs on both engines.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { databaseUrl } from '../helpers/engine.js';
import { tempDir } from '../helpers/tmp.js';

const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function open(): Promise<App> {
  const app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(tempDir()), COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
  apps.push(app);
  return app;
}

const person = (name: string) => ({ name, identity: { platform: 'console' as const, externalId: name }, isMember: true, isBoard: false, at: new Date() });

describe('write transactions', () => {
  it('undo everything when they fail, nested creates and hand-written statements alike', async () => {
    const app = await open();
    const failed = app.store.write(async (r) => {
      await r.members.create(person('ann'));
      await r.audit.record({ at: new Date(), actor: 'test', memberId: null, platform: 'console', action: 'test.done', subjectType: 'member', subjectId: 'ann', detail: {} });
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    const after = await app.store.read(async (r) => ({ ann: await r.members.byIdentity({ platform: 'console', externalId: 'ann' }), audit: await r.audit.forSubject('member', 'ann') }));
    expect(after).toEqual({ ann: null, audit: [] });
  });

  it('keep everything when they succeed, and the next write starts clean', async () => {
    const app = await open();
    await app.store.write(async (r) => {
      await r.members.create(person('bea'));
      await r.members.create(person('cid'));
    });
    await expect(app.store.write(async (r) => r.members.create(person('bea')))).rejects.toThrow();
    await app.store.write(async (r) => r.members.create(person('dee')));
    const names = await app.store.read(async (r) => (await r.members.list({})).map((m) => m.name));
    expect(names).toEqual(expect.arrayContaining(['bea', 'cid', 'dee']));
    expect(names.filter((n) => n === 'bea')).toHaveLength(1);
  });
});
