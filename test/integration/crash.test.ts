// The real bot process, killed with SIGKILL in the middle of its timed work and
// started again: no poll stays open past its deadline, no notification goes out
// twice, and one cut off between its claim and its sending is recorded, not lost silently.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { consolePlatform } from '../../adapters/console/console.js';
import { FakeClock } from '../fakes/clock.js';
import { waitFor } from '../helpers/wait.js';
import { tempDir } from '../helpers/tmp.js';

const POLLS = 300;

function startBot(file: string): { child: ChildProcessWithoutNullStreams; out: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${file}` },
  });
  let printed = '';
  child.stdout.on('data', (c: Buffer) => (printed += c.toString()));
  child.stderr.on('data', () => {});
  return { child, out: () => printed };
}

const until = (cond: () => boolean) => waitFor(cond, 'the processes to get there', 60_000);

describe('a crash in the middle of timed work', () => {
  it('loses no vote or poll, and sends no notification twice', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bot.db');
    // Two days ago: many one-hour polls, all of which closed while the bot was down.
    const clock = new FakeClock(new Date(Date.now() - 2 * 86_400_000));
    const limits = { LIMIT_OPEN_POLLS: '1000', LIMIT_COMMANDS_PER_MINUTE: '10000' };
    const app = await createApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin', ...limits }), logger: silentLogger, clock, tick: false });
    const say = (who: string, group: 'service' | 'coop', text: string) =>
      app.handle({ group, text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });
    for (const m of ['alice', 'bob', 'carol']) await say('admin', 'coop', `member add @${m}`);
    for (let i = 0; i < POLLS; i++) await say('alice', 'coop', `poll Question ${i}? --for 1h`);
    for (let i = 1; i <= POLLS; i += 7) await say('bob', 'coop', `vote ${i} yes`);
    await app.close();

    const first = startBot(file);
    await until(() => (first.out().match(/has closed/g) ?? []).length >= 20);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.on('exit', r));

    const second = startBot(file);
    const db = () => new Sqlite(file, { readonly: true });
    await until(() => {
      const d = db();
      const open = (d.prepare("SELECT COUNT(*) AS n FROM Poll WHERE status = 'open'").get() as { n: number }).n;
      d.close();
      return open === 0;
    });
    await until(() => (second.out().match(/has closed/g) ?? []).length + (first.out().match(/has closed/g) ?? []).length >= POLLS - 1);
    // One command, then the end of input: the console bot stops normally (with nothing at all to read it would say so, exit 2).
    second.child.stdin.end('/coop meetings\n');
    expect(await new Promise((r) => second.child.on('exit', r))).toBe(0);

    const printed = first.out() + second.out();
    const announced = new Map<number, number>();
    for (const m of printed.matchAll(/Poll #(\d+) has closed/g)) announced.set(Number(m[1]), (announced.get(Number(m[1])) ?? 0) + 1);
    // Never twice.
    expect([...announced.values()].every((n) => n === 1)).toBe(true);
    const d = db();
    const unconfirmed = (d.prepare("SELECT key FROM Notification WHERE sentAt IS NULL AND kind = 'poll-result'").all() as { key: string }[]).map((r) => Number(r.key.split(':')[1]));
    const votes = (d.prepare('SELECT COUNT(*) AS n FROM Vote').get() as { n: number }).n;
    const closed = (d.prepare("SELECT COUNT(*) AS n FROM Poll WHERE status = 'closed'").get() as { n: number }).n;
    d.close();
    // Every poll closed; every result announced, or (at most one, cut off by the kill) recorded as unconfirmed.
    expect(closed).toBe(POLLS);
    const missing = Array.from({ length: POLLS }, (_, i) => i + 1).filter((id) => !announced.has(id));
    expect(missing.length).toBeLessThanOrEqual(1);
    for (const id of missing) expect(unconfirmed).toContain(id);
    expect(votes).toBe(Math.ceil(POLLS / 7));
    // The first process was really cut off in the middle of its work.
    expect((first.out().match(/has closed/g) ?? []).length).toBeLessThan(POLLS);
    expect((second.out().match(/has closed/g) ?? []).length).toBeGreaterThan(0);
  });
});
