// Several copies of the bot on one PostgreSQL database: votes exact, timed work and
// notifications once, claims signed by their copy, one Matrix syncer with the others'
// Matrix messages relayed through the outbox, and a takeover when the syncer dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleNotifier, consolePlatform } from '../../adapters/console/console.js';
import { createMatrixAdapter } from '../../adapters/matrix/adapter.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { drainOutbox, OutboxNotifier, SwitchingNotifier } from '../../src/outbox.js';
import { abandonUnconfirmed, sweep } from '../../src/scheduler/index.js';
import { FakeClock } from '../fakes/clock.js';
import { databaseUrl, sql } from '../helpers/engine.js';
import { FakeHomeserver } from '../helpers/fake-homeserver.js';
import { tempDir } from '../helpers/tmp.js';
import { addMembers, counts } from '../helpers/votes.js';
import { waitFor } from '../helpers/wait.js';

const apps: App[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function copy(dir: string, clock?: FakeClock): Promise<{ app: App; printed: () => string }> {
  const app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl(dir), COOP_BOARD: 'console:admin' }), logger: silentLogger, clock, tick: false });
  apps.push(app);
  const out = new PassThrough();
  let printed = '';
  out.on('data', (c: Buffer) => (printed += c.toString()));
  app.notifier.add(new ConsoleNotifier(out));
  await app.start();
  return { app, printed: () => printed };
}

const say = (app: App, who: string, text: string) => app.handle({ group: 'coop', text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });

describe('several copies on one PostgreSQL database', () => {
  it('counts votes from three bot processes at once exactly, vote changes included', async () => {
    const dir = tempDir();
    const { app } = await copy(dir);
    addMembers(dir, 750); // m450…m749 vote: 150 yes (below 600) and 150 no
    expect((await say(app, 'admin', 'poll Three copies?')).outcome).toBe('ok');
    const ranges = [
      [450, 550],
      [550, 650],
      [650, 750],
    ];
    const results = await Promise.all(
      ranges.map(([from, to]) => {
        const worker = spawn(process.execPath, ['--import', 'tsx', 'bench/vote-worker.ts', databaseUrl(dir), String(from), String(to), 'change'], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        children.push(worker);
        let printed = '';
        worker.stdout?.on('data', (c: Buffer) => (printed += c.toString()));
        return new Promise<{ code: number | null; printed: string }>((r) => worker.on('exit', (code) => r({ code, printed })));
      }),
    );
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(JSON.parse(r.printed)).toMatchObject({ errors: 0 });
    }
    // Everyone voted once and then changed their mind: the latest vote counts, once each.
    const c = counts(dir);
    expect({ votes: c.votes, yes: c.yes, no: c.no }).toEqual({ votes: 300, yes: 150, no: 150 });
    expect(c.audits).toBe(300);
    expect(sql(dir, `SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "action" = 'poll.vote-changed'`)).toEqual([{ n: 300 }]);
  });

  it('does each timed job once when the copies sweep at the same moment: one close, one announcement', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const a = await copy(dir, clock);
    const b = await copy(dir, clock);
    await say(a.app, 'admin', 'member add @alice');
    expect((await say(a.app, 'admin', 'poll Picnic? --for 1d')).outcome).toBe('ok');
    clock.advance(2 * 86_400_000);
    await Promise.all([sweep(a.app.deps), sweep(b.app.deps), sweep(a.app.deps), sweep(b.app.deps)]);
    const announced = (a.printed() + b.printed()).split('Poll #1').length - 1;
    const results = sql(dir, `SELECT "key" FROM "Notification" WHERE "kind" = 'poll-result'`);
    expect(results).toHaveLength(1);
    expect(sql(dir, 'SELECT "status" FROM "Poll"')).toEqual([{ status: 'closed' }]);
    expect(announced).toBeGreaterThan(0);
    expect((a.printed() + b.printed()).match(/Poll #1 .*closed/g) ?? []).toHaveLength(1);
  });

  it('reckons a meeting once when two copies reach it at the same moment', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const a = await copy(dir, clock);
    const b = await copy(dir, clock);
    const agm = new Date(clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect((await say(a.app, 'admin', `meeting agm ${agm}`)).outcome).toBe('ok');
    clock.advance(12 * 86_400_000);
    await Promise.all([sweep(a.app.deps), sweep(b.app.deps), sweep(a.app.deps), sweep(b.app.deps)]);
    expect(sql(dir, `SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "action" = 'meeting.reckoned'`)).toEqual([{ n: 1 }]);
    expect(sql(dir, `SELECT COUNT(*) AS "n" FROM "Notification" WHERE "kind" = 'reckoning'`)).toEqual([{ n: 1 }]);
  });

  it('handles a command delivered to two copies at once (a retried Slack request) once', async () => {
    const dir = tempDir();
    const a = await copy(dir);
    const b = await copy(dir);
    const input = { group: 'service' as const, text: 'propose wiki user The wiki', actor: { platform: 'console' as const, externalId: 'admin' }, platform: consolePlatform, idempotencyKey: 'slack:trigger-1' };
    const replies = await Promise.all([a.app.handle(input), b.app.handle(input)]);
    expect(replies.map((r) => r.outcome).sort()).toEqual(['duplicate', 'ok']);
    expect(sql(dir, 'SELECT "name" FROM "Service"')).toEqual([{ name: 'wiki' }]);
  });

  it('signs claims with their copy: a live copy’s claim is in flight, a stopped copy’s is abandoned', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const a = await copy(dir, clock);
    const b = await copy(dir, clock);
    await a.app.store.write((r) => r.notifications.claim({ key: 'slow-batch', kind: 'test', payload: '{}', at: clock.now() }));
    expect(sql(dir, `SELECT "claimedBy" FROM "Notification" WHERE "key" = 'slow-batch'`)).toEqual([{ claimedBy: a.app.deps.copy?.name }]);
    clock.advance(2 * 60_000); // past the minute after which a claim counts as cut off…
    await sweep(a.app.deps); // …but copy a is beating: its claim is in flight
    expect(await abandonUnconfirmed(b.app.deps)).toBe(0);
    await a.app.close();
    apps.splice(apps.indexOf(a.app), 1);
    expect(await abandonUnconfirmed(b.app.deps)).toBe(1); // a stopped: cut off, never sent twice
  });

  it('relays what a copy without Matrix has to say there through the outbox, sent once by the syncing copy', async () => {
    const dir = tempDir();
    const hs = new FakeHomeserver();
    await hs.start();
    try {
      const ROOM = '!coop:test.local';
      const env = { DATABASE_URL: databaseUrl(dir), COOP_BOARD: 'console:admin', MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: 'syt_test', MATRIX_ROOMS: ROOM };
      const leader = await createApp({ config: loadConfig(env), logger: silentLogger, tick: false });
      apps.push(leader);
      const matrix = createMatrixAdapter({ core: leader, settings: loadConfig(env).matrix!, logger: silentLogger, syncTimeoutMs: 0 });
      leader.notifier.add(matrix.notifier);
      await matrix.connect();
      await leader.start();
      // The other copy stands by: its Matrix messages go to the outbox.
      const standby = await createApp({ config: loadConfig(env), logger: silentLogger, tick: false });
      apps.push(standby);
      standby.notifier.add(new SwitchingNotifier(new OutboxNotifier('matrix', standby.store, standby.deps.clock)));
      await standby.start();
      const agm = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
      expect((await say(standby, 'admin', `meeting agm ${agm}`)).outcome).toBe('ok');
      expect(hs.sentIn(ROOM)).toHaveLength(0);
      const drain = () => drainOutbox({ store: leader.store, clock: leader.deps.clock, logger: silentLogger, platform: 'matrix', target: matrix.notifier });
      expect(await Promise.all([drain(), drain()])).toEqual(expect.arrayContaining([0]));
      const told = hs.sentIn(ROOM, 'm.room.message');
      expect(told).toHaveLength(1);
      expect(String(told[0]?.content.body)).toContain(agm.slice(0, 4));
      expect(await drain()).toBe(0);
      await matrix.stop();
    } finally {
      await hs.stop();
    }
  });

  it('syncs Matrix in one copy only, and another takes over within a minute when it dies', async () => {
    const dir = tempDir();
    const hs = new FakeHomeserver();
    await hs.start();
    const ROOM = '!coop:test.local';
    try {
      const start = (name: string) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl(dir), MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: 'syt_test', MATRIX_ROOMS: ROOM, COOP_BOARD: 'matrix:@admin:test.local' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        const p = { name, child, log: '' };
        child.stderr?.on('data', (c: Buffer) => (p.log += c.toString()));
        child.stdout?.on('data', (c: Buffer) => (p.log += c.toString()));
        return p;
      };
      const first = start('first');
      await waitFor(() => first.log.includes('this copy runs matrix now') && first.log.includes('matrix: first sync'), 'the first copy syncing', 30_000);
      const second = start('second');
      await waitFor(() => second.log.includes('another copy runs matrix; this one stands by'), 'the second copy standing by', 30_000);
      hs.say(ROOM, '@carol:test.local', '!service level ghost');
      await waitFor(() => hs.sentIn(ROOM, 'm.room.message').length > 0, 'the answer from the syncing copy', 30_000);
      expect(second.log).not.toContain('this copy runs matrix now');

      first.child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitFor(() => second.log.includes('this copy runs matrix now'), 'the takeover', 60_000);
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      const before = hs.sentIn(ROOM, 'm.room.message').length;
      hs.say(ROOM, '@carol:test.local', '!service level phantom');
      await waitFor(() => hs.sentIn(ROOM, 'm.room.message').length > before, 'the answer after the takeover', 30_000);
      expect(String(hs.sentIn(ROOM, 'm.room.message').at(-1)?.content.body)).toContain('phantom');
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.on('exit', r));
    } finally {
      await hs.stop();
    }
  });
});
