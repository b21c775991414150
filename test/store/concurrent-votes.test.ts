// 1,000 electors voting at once: every vote counted once, the tally exact, also with
// retries and double clicks, and with two bot processes writing to the same database.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { consolePlatform } from '../../adapters/console/console.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { tempDir } from '../helpers/tmp.js';
import { databaseUrl } from '../helpers/engine.js';
import { addMembers, counts } from '../helpers/votes.js';

const ELECTORS = 1000;
const apps: App[] = [];
/** What the bot logged as errors: shown when a reply says it hit a problem of its own. */
const logged: string[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  logged.length = 0;
});

async function open(dir: string): Promise<App> {
  const config = loadConfig({ DATABASE_URL: databaseUrl(dir), COOP_BOARD: 'console:admin' });
  // The real clock: the second process has no other.
  const app = await createApp({ config, logger: { ...silentLogger, error: (m, f) => void logged.push(`${m} ${JSON.stringify(f)}`) }, tick: false });
  apps.push(app);
  return app;
}

const say = (app: App, who: string, text: string) =>
  app.handle({ group: 'coop', text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });

describe('exact counting under load', () => {
  it('counts 1,000 simultaneous votes once each, retries and double clicks included', async () => {
    const dir = tempDir();
    const app = await open(dir);
    addMembers(dir, ELECTORS);
    expect((await say(app, 'admin', 'poll Adopt the new statutes?')).outcome).toBe('ok');
    const choice = (i: number) => (i % 2 === 0 ? 'yes' : 'no');
    const votes = Array.from({ length: ELECTORS }, (_, i) => say(app, `m${i}`, `vote 1 ${choice(i)}`));
    // The first 300 arrive twice (a retried request, a double click).
    const repeats = Array.from({ length: 300 }, (_, i) => say(app, `m${i}`, `vote 1 ${choice(i)}`));
    const replies = await Promise.all([...votes, ...repeats]);
    expect({ errors: replies.filter((r) => r.outcome === 'error').length, logged: logged.slice(0, 3) }).toEqual({ errors: 0, logged: [] });
    expect(counts(dir)).toEqual({ votes: ELECTORS, yes: ELECTORS / 2, no: ELECTORS / 2, audits: ELECTORS });
  });

  it('counts exactly with two bot processes writing to the same database at once', async () => {
    const dir = tempDir();
    const app = await open(dir);
    addMembers(dir, ELECTORS);
    await say(app, 'admin', 'poll Two writers?');
    const worker = spawn(process.execPath, ['--import', 'tsx', 'bench/vote-worker.ts', databaseUrl(dir), '500', String(ELECTORS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    worker.stdout.on('data', (c: Buffer) => (printed += c.toString()));
    const exited = new Promise<number | null>((resolve) => worker.on('exit', resolve));
    // Wait until the worker is up and voting, then vote from this process too.
    let workerDone = false;
    void exited.then(() => (workerDone = true));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (workerDone || counts(dir).votes > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => say(app, `m${i}`, `vote 1 ${i < 600 ? 'yes' : 'no'}`)));
    expect(await exited).toBe(0);
    expect(JSON.parse(printed)).toMatchObject({ errors: 0 });
    expect({ errors: replies.filter((r) => r.outcome === 'error').length, logged: logged.slice(0, 3) }).toEqual({ errors: 0, logged: [] });
    expect(counts(dir)).toEqual({ votes: ELECTORS, yes: 600, no: 400, audits: ELECTORS });
  });
});
