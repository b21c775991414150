// Each timed job on a real database with a clock the test moves: once, on time,
// catch-up after an outage, and never twice across processes sharing the file.
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../src/catalogue-file.js';
import { silentLogger } from '../../src/logger.js';
import { FakeClock } from '../fakes/clock.js';
import { DAY, openBot, type TestBot } from '../helpers/bot.js';
import { tempDir } from '../helpers/tmp.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.close()));
});

async function start(dir = tempDir(), env: Record<string, string> = {}, clock = new FakeClock(new Date('2027-01-04T08:00:00Z'))) {
  const bot = await openBot(dir, env, clock);
  bots.push(bot);
  return bot;
}

/** wiki at alpha, maintained by alice and bob; carol and dave are members. */
async function coop(bot: TestBot) {
  await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
  await bot.run('as alice', '/service propose wiki user The wiki', '/service maintainer wiki add @bob');
  await bot.run(...catalogue.levels.alpha.map((r) => `/service assess wiki ${r.key} met`), '/service request wiki alpha');
  for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) await bot.run(`as ${who}`, '/coop vote 1 yes');
  await bot.run('as admin');
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('reminders to electors', () => {
  it('go to those who have not voted, a day before the poll closes, once', async () => {
    const bot = await start();
    await bot.run('/coop member add @alice', '/coop member add @bob', '/coop poll Picnic in May? --for 3d', 'as alice', '/coop vote 1 yes');
    bot.clock.advance(2 * DAY - 60_000);
    expect(await bot.sweep()).toBe('');
    bot.clock.advance(60_000);
    const out = await bot.sweep();
    expect(out).toContain('[to @bob] Poll #1 closes 7 Jan 2027, 08:00 UTC and you have not voted yet: Picnic in May?');
    expect(out).toContain('[to @admin] Poll #1 closes');
    expect(out).not.toContain('[to @alice]');
    bot.clock.advance(3_600_000);
    expect(await bot.sweep()).toBe('');
  });
});

describe('annual update nudges', () => {
  it('go out 28, 14, 7 and 1 days before the AGM at 09:00, to the room and each maintainer, once each', async () => {
    const bot = await start();
    await coop(bot);
    await bot.run('/coop meeting agm 2027-03-05');
    const sent: string[] = [];
    for (let t = new Date('2027-01-20T00:00:00Z').getTime(); t < new Date('2027-03-05T18:00:00Z').getTime(); t += 3 * 3_600_000) {
      bot.clock.set(new Date(t));
      const out = await bot.sweep();
      if (out.includes('Annual updates still missing')) sent.push(`${bot.clock.now().toISOString()} ${/\((in \d+ days|tomorrow)\)/.exec(out)?.[1]}`);
      expect(count(out, '[to @alice] Please give the annual update')).toBeLessThanOrEqual(1);
    }
    expect(sent).toEqual([
      '2027-02-05T09:00:00.000Z in 28 days',
      '2027-02-19T09:00:00.000Z in 14 days',
      '2027-02-26T09:00:00.000Z in 7 days',
      '2027-03-04T09:00:00.000Z tomorrow',
    ]);
  });

  it('after a long outage send only the latest, and stop once the update is given', async () => {
    const bot = await start();
    await coop(bot);
    await bot.run('/coop meeting agm 2027-03-05');
    bot.clock.set('2027-03-04T12:00:00Z');
    const out = await bot.sweep();
    expect(count(out, 'Annual updates still missing')).toBe(1);
    expect(out).toContain('(tomorrow)');
    expect(out).toContain('[to @alice] Please give the annual update for wiki');
    expect(out).toContain('[to @bob] Please give the annual update for wiki');
    expect(await bot.sweep()).toBe('');

    const other = await start(tempDir());
    await coop(other);
    await other.run('/coop meeting agm 2027-03-05', 'as alice', '/service update wiki Still alpha, going well');
    other.clock.set('2027-03-04T12:00:00Z');
    expect(await other.sweep()).toBe('');
  });

  it('follow BOT_TIMEZONE across a daylight-saving change', async () => {
    const bot = await start(tempDir(), { BOT_TIMEZONE: 'Europe/Berlin', NUDGE_DAYS: '7,1' });
    await coop(bot);
    await bot.run('/coop meeting agm 2027-04-02');
    bot.clock.set('2027-03-26T07:59:00Z');
    expect(await bot.sweep()).not.toContain('Annual updates');
    bot.clock.set('2027-03-26T08:00:00Z'); // 09:00 CET
    expect(await bot.sweep()).toContain('(in 7 days)');
    bot.clock.set('2027-04-01T06:59:00Z');
    expect(await bot.sweep()).not.toContain('Annual updates');
    bot.clock.set('2027-04-01T07:00:00Z'); // 09:00 CEST
    expect(await bot.sweep()).toContain('(tomorrow)');
  });
});

describe('deficiency reminders', () => {
  it('go to the maintainers a week and a day before the grace ends', async () => {
    const bot = await start();
    await coop(bot);
    await bot.run('/coop meeting egm 2027-02-10', 'as carol', '/service report wiki The wiki is down every night');
    bot.clock.set('2027-02-03T09:00:00Z');
    let out = await bot.sweep();
    expect(out).toContain('[to @alice] Deficiency #1 on wiki must be fixed by the general meeting on 10 Feb 2027, 18:00 UTC (in 7 days), or the service descends one level: The wiki is down every night');
    expect(out).toContain('When it is fixed: `/service resolve 1 <how>`.');
    expect(out).toContain('[to @bob] Deficiency #1');
    bot.clock.set('2027-02-09T09:00:00Z');
    out = await bot.sweep();
    expect(out).toContain('(tomorrow)');
    await bot.run('as alice', '/service resolve 1 Fixed the cron job');
    expect(await bot.sweep()).toBe('');
  });

  it('list all of a maintainer’s deficiencies due at one meeting in one message, each reminded once', async () => {
    const bot = await start();
    await coop(bot);
    // forum and chat at alpha too, maintained by alice alone (polls 2 and 3).
    for (const [name, poll] of [['forum', 2], ['chat', 3]] as const) {
      await bot.run('as alice', `/service propose ${name} user The ${name}`, ...catalogue.levels.alpha.map((r) => `/service assess ${name} ${r.key} met`), `/service request ${name} alpha`);
      for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) await bot.run(`as ${who}`, `/coop vote ${poll} yes`);
    }
    await bot.run('as admin', '/coop meeting egm 2027-02-10', 'as carol', '/service report wiki The wiki is down every night', '/service report forum Spam everywhere', '/service report chat No backups');
    bot.clock.set('2027-02-03T09:00:00Z');
    const out = await bot.sweep();
    expect(count(out, '[to @alice]')).toBe(1);
    expect(out).toContain('[to @alice] 3 deficiencies on services you maintain must be fixed by the general meeting on 10 Feb 2027, 18:00 UTC (in 7 days), or each service descends one level:');
    expect(out).toContain('#2 forum: Spam everywhere');
    expect(out).toContain('#3 chat: No backups');
    expect(count(out, '[to @bob]')).toBe(1);
    expect(out).toContain('[to @bob] Deficiency #1 on wiki must be fixed by the general meeting on 10 Feb 2027, 18:00 UTC (in 7 days)');
    expect(await bot.sweep()).toBe('');
  });

  it('still come as one message per maintainer when they run to more than one page (500) of deficiencies', async () => {
    const bot = await start();
    await coop(bot);
    await bot.run('/coop meeting egm 2027-02-10');
    // What a reckoning leaves after it: hundreds open on one service, their grace to that meeting.
    await bot.app.store.write(async (r) => {
      const wiki = await r.services.byName('wiki');
      const egm = (await r.meetings.list()).find((m) => m.kind === 'egm');
      if (!wiki || !egm) throw new Error('no wiki or EGM');
      for (let i = 1; i <= 620; i++) {
        await r.deficiencies.create({ serviceId: wiki.id, requirementKey: null, description: `Problem ${i}`, source: 'report', reportedBy: null, reportedAt: bot.clock.now(), graceMeetingId: egm.id });
      }
    });
    bot.clock.set('2027-02-03T09:00:00Z');
    const out = await bot.sweep();
    expect(count(out, '[to @alice]')).toBe(1);
    expect(count(out, '[to @bob]')).toBe(1);
    expect(out).toContain('[to @alice] 620 deficiencies on services you maintain must be fixed by the general meeting on 10 Feb 2027, 18:00 UTC (in 7 days)');
    expect(out).toContain('And 600 more.');
    expect(await bot.sweep()).toBe('');
  });
});

describe('the AGM check', () => {
  it('tells the board once per AGM cycle, from three months before 13 months have passed since the last AGM', async () => {
    const bot = await start();
    await coop(bot);
    await bot.run('/coop meeting agm 2027-02-01');
    bot.clock.set('2027-02-02T00:00:00Z');
    expect(await bot.sweep()).toContain('has been reckoned');
    bot.clock.set('2027-11-30T00:00:00Z');
    expect(await bot.sweep()).not.toContain('No AGM is scheduled');
    bot.clock.set('2027-12-02T00:00:00Z');
    let out = await bot.sweep();
    expect(out).toContain(
      '[to governance room] No AGM is scheduled within 13 months of the last one (1 Feb 2027, 18:00 UTC): the next should be held by 1 Mar 2028, 18:00 UTC. The board schedules it with `/coop meeting agm <YYYY-MM-DD>`.',
    );
    expect(out).toContain('[to @admin] No AGM is scheduled');
    expect(await bot.run('/coop status')).toContain('AGM check: — (the board has been told that no AGM is scheduled in time)');
    // Once per cycle: not again the next month, nor the one after.
    for (const at of ['2027-12-20T00:00:00Z', '2028-01-02T00:00:00Z', '2028-02-01T00:00:00Z']) {
      bot.clock.set(at);
      expect(await bot.sweep()).not.toContain('No AGM');
    }
    await bot.run('/coop meeting agm 2028-02-20');
    bot.clock.set('2028-02-02T00:00:00Z');
    out = await bot.sweep();
    expect(out).not.toContain('No AGM');
  });
});

describe('status', () => {
  it('shows the next run of each kind of timed work', async () => {
    const bot = await start();
    await coop(bot);
    await bot.run('/coop meeting agm 2027-03-05', '/coop poll Picnic?');
    const out = await bot.run('/coop status');
    expect(out).toContain('Poll closing: 11 Jan 2027, 08:00 UTC (poll #2)');
    expect(out).toContain('Reminder to electors: 10 Jan 2027, 08:00 UTC (poll #2)');
    expect(out).toContain('Annual update nudge: 5 Feb 2027, 09:00 UTC (before the AGM #1)');
    expect(out).toContain('Meeting reckoning: 5 Mar 2027, 18:00 UTC (meeting #1)');
    expect(out).toContain('AGM check: — (an AGM is scheduled in time)');
  });
});

describe('two bot processes on one database', () => {
  it('send each notification once between them', async () => {
    const dir = tempDir();
    const clock = new FakeClock(new Date('2027-01-04T08:00:00Z'));
    const a = await start(dir, {}, clock);
    await coop(a);
    await a.run('/coop meeting agm 2027-03-05', '/coop poll Picnic? --for 2d');
    const b = await start(dir, {}, clock);
    clock.set('2027-03-04T12:00:00Z');
    const outs = [await a.sweep(), await b.sweep(), await b.sweep(), await a.sweep()].join('');
    expect(count(outs, 'Annual updates still missing')).toBe(1);
    expect(count(outs, '[to @alice] Please give the annual update')).toBe(1);
    expect(count(outs, 'Poll #2 has closed')).toBe(1);
  });
});

describe('the log', () => {
  it('records every run of the timed work with what each job did', async () => {
    const { sweep } = await import('../../src/scheduler/index.js');
    const bot = await start();
    await bot.run('/coop member add @alice', '/coop poll Picnic? --for 2h');
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(f)}`) };
    await sweep({ ...bot.app.deps, logger });
    bot.clock.advance(3 * 3_600_000);
    await sweep({ ...bot.app.deps, logger });
    const runs = lines.filter((l) => l.startsWith('timed work'));
    expect(runs).toHaveLength(2);
    expect(runs[0]).toContain('"close-polls":0');
    expect(runs[1]).toContain('"close-polls":1');
    expect(lines.some((l) => l.startsWith('job ran {"job":"close-polls","items":[1]}'))).toBe(true);
  });
});
