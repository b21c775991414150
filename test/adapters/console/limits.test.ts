// One member cannot swamp the bot: per-person limits, kept in the database, across
// linked identities, higher for the board.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runConsole } from '../../../adapters/console/console.js';
import { sweep } from '../../../src/scheduler/index.js';
import { openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const DEFAULTS = { LIMIT_COMMANDS_PER_MINUTE: '30', LIMIT_OPEN_POLLS: '3', LIMIT_REPORTS_PER_DAY: '10' };
const count = (text: string, part: string) => text.split(part).length - 1;

describe('per-person limits', () => {
  it('refuse a flood of commands past the rate, say when to try again, and hold across linked identities', async () => {
    bot = await openBot(tempDir(), DEFAULTS);
    await bot.run('/coop member add @alice');
    const code = /code: `([A-Z0-9-]+)`/.exec(await bot.run('as alice', '/coop link'))?.[1] ?? '';
    await bot.runAs({ platform: 'slack', externalId: 'U0ALICE1' }, 'coop', `link ${code}`);
    let out = '';
    for (let i = 0; i < 40; i++) out += await bot.run('/service list');
    expect(count(out, 'No services yet')).toBe(29); // 30 a minute; alice's /coop link was one
    expect(out).toContain('You have sent 30 commands in the last minute, the most one person may (30 a minute). Try again in 60 seconds.');
    // The same person from Slack is the same person.
    expect(await bot.runAs({ platform: 'slack', externalId: 'U0ALICE1' }, 'service', 'list')).toContain('You have sent 30 commands');
    // Another person is not held back; the board has four times the rate.
    expect(await bot.run('as admin', '/service list')).toContain('No services yet');
    bot.clock.advance(61_000);
    expect(await bot.run('as alice', '/service list')).toContain('No services yet');
  });

  it('cap the general polls one member has open, and the reports one member makes in a day', async () => {
    bot = await openBot(tempDir(), { ...DEFAULTS, LIMIT_COMMANDS_PER_MINUTE: '1000' });
    await bot.run('/coop member add @alice', '/coop member add @bob');
    await bot.run('as alice', '/coop poll One?', '/coop poll Two?', '/coop poll Three?');
    const before = bot.dump();
    expect(await bot.run('/coop poll Four?')).toContain('You already have 3 general polls open, the most one member may (3). Wait until one closes, or ask the board to close one.');
    expect(bot.dump()).toEqual(before);
    expect(await bot.run('as bob', '/coop poll Four?')).toContain('Poll #4 by @bob');
    await bot.run('as admin', '/coop close 1');
    expect(await bot.run('as alice', '/coop poll Five?')).toContain('Poll #5 by @alice');

    await bot.run('/service propose wiki user The wiki');
    for (let i = 1; i <= 10; i++) expect(await bot.run(`/service report wiki Problem ${i}`)).toContain(`Deficiency #${i} reported`);
    expect(await bot.run('/service report wiki Problem 11')).toContain('You have reported 10 deficiencies in the last 24 hours, the most one member may (10 a day). Try again after 2 Mar 2026, 09:00 UTC.');
    expect(await bot.run('as bob', '/service report wiki Problem 11')).toContain('Deficiency #11 reported');
    bot.clock.advance(86_400_000);
    expect(await bot.run('as alice', '/service report wiki Problem 12')).toContain('Deficiency #12 reported');
  });

  it('survive four thousand piped commands from one member: limit held, database small, timers and the minute tick running throughout', async () => {
    bot = await openBot(tempDir(), DEFAULTS);
    await bot.run('/coop member add @alice');
    const rowsBefore = rows(bot.dump());
    const lines = ['as alice', ...Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? `/coop poll Flood ${i}?` : `/service report ghost Flood ${i}`))];
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    // The minute tick, run on a short real timer so that it must fall inside the batch.
    let sweeps = 0;
    let longestGap = 0;
    let last = performance.now();
    let batchDone = false;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (!batchDone) void sweep(bot.app.deps).then(() => sweeps++);
    }, 25);
    input.end(lines.join('\n') + '\n'); // all at once, as a pipe delivers a file
    const started = performance.now();
    const { lines: read } = await runConsole({ app: bot.app, input, output, user: 'admin', interactive: false });
    const took = performance.now() - started;
    batchDone = true;
    clearInterval(timer);

    expect(read).toBe(4001);
    expect(count(printed, 'Poll #')).toBeLessThanOrEqual(3 * 2);
    expect(bot.dump().Poll).toHaveLength(3);
    expect(bot.dump().PollElector).toHaveLength(3 * 2);
    expect(count(printed, 'You have sent 30 commands')).toBe(4000 - 30);
    expect(rows(bot.dump()) - rowsBefore).toBeLessThan(100); // the three polls, their electors and audit records
    // Timed work ran during the batch, and no timer waited for the whole batch.
    expect(sweeps).toBeGreaterThanOrEqual(2);
    expect(longestGap).toBeLessThan(Math.max(1000, took / 4));
  });
});

function rows(dump: Record<string, unknown[]>): number {
  return Object.values(dump).reduce((n, table) => n + table.length, 0);
}
