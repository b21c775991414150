// Deficiencies, meetings, annual updates and the reckoning over several years,
// through the console on a real database, with a clock the test moves.
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { FakeClock } from '../../fakes/clock.js';
import { openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
let bot: TestBot;
afterEach(async () => bot?.close());

const level = async (name: string) => /is (\w+) since/.exec(await bot.run(`/service level ${name}`))?.[1];
let polls = 0;

/** alice (a maintainer) asks; all five electors vote yes; the poll closes early. */
async function verify(name: string, to: 'alpha' | 'beta' | 'live') {
  await bot.run('as alice', ...catalogue.levels[to].map((r) => `/service assess ${name} ${r.key} met`));
  const out = await bot.run(`/service request ${name} ${to}`);
  expect(out).toContain('is open in the governance room');
  polls++;
  for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) await bot.run(`as ${who}`, `/coop vote ${polls} yes`);
  expect(await level(name)).toBe(to);
}

async function climb(name: string, to: 'alpha' | 'beta' | 'live') {
  for (const l of ['alpha', 'beta', 'live'] as const) {
    await verify(name, l);
    if (l === to) return;
  }
}

function levelChanges(): { serviceId: number; fromLevel: string | null; toLevel: string; meetingId: number | null }[] {
  return bot.dump().LevelChange as never;
}

describe('a co-op over several years', () => {
  it('reports, resolves, updates, meets, descends, scrutinises and adopts new requirements', async () => {
    const dir = tempDir();
    const clock = new FakeClock(new Date('2026-03-02T09:00:00Z'));
    bot = await openBot(dir, {}, clock);
    polls = 0;
    await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
    await bot.run('as alice', '/service propose vm infrastructure Virtual machines', '/service propose postgres infrastructure Databases');
    await bot.run('/service propose wiki user The wiki', '/service propose chat user Chat rooms');
    await bot.run('/service set postgres uses vm', '/service set wiki uses postgres', '/service set chat uses wiki');
    for (const s of ['vm', 'postgres', 'wiki']) await bot.run('as alice', `/service maintainer ${s} add @bob`);
    await climb('vm', 'live');
    await climb('postgres', 'beta');
    await climb('wiki', 'beta');
    await climb('chat', 'alpha');

    // A deficiency before any meeting is scheduled: the deadline says so.
    let out = await bot.run('as carol', '/service report vm live.monitoring Nobody is alerted when a host dies');
    expect(out).toContain('Deficiency #1 reported against vm (live.monitoring): Nobody is alerted when a host dies');
    expect(out).toContain('none is scheduled yet');
    expect(out).toContain('[to @alice] Deficiency reported against vm');
    expect(out).toContain('[to @bob] Deficiency reported against vm');

    // Meetings: the first one scheduled becomes the deadline.
    out = await bot.run('as admin', '/coop meeting agm 2026-06-05', '/coop meeting egm 2026-09-10 19:30', '/coop meeting agm 2027-06-04');
    expect(out).toContain('AGM #1 scheduled for 5 Jun 2026, 18:00 UTC');
    expect(out).toContain('1 deficiency deadline now runs to 5 Jun 2026, 18:00 UTC. Their maintainers have been told.');
    expect(out).toContain('[to @alice] AGM #1 was scheduled, and deficiencies waiting for a general meeting now run to it. The deadline of a deficiency you maintain moved:\n  - #1 on vm (Nobody is alerted when a host dies): now to be fixed by 5 Jun 2026, 18:00 UTC.');
    expect(await bot.run('/service level vm')).toContain('to be fixed by the general meeting on 5 Jun 2026, 18:00 UTC');
    await bot.run('as dave', '/service report postgres Backups fail at night');
    expect(await bot.run('as bob', '/service resolve 2 Disk was full; cleaned and alerting added')).toContain('Deficiency #2 on postgres resolved by @bob');

    // Annual updates: everyone but chat.
    for (const s of ['vm', 'postgres', 'wiki']) await bot.run('as alice', `/service update ${s} Still meets its level`);
    out = await bot.run('/coop status');
    expect(out).toContain('Annual updates missing for the AGM of 5 Jun 2026, 18:00 UTC (1)');
    expect(out).toContain('chat (alpha)');
    expect(out).toContain('#1 vm: Nobody is alerted when a host dies — to be fixed by the general meeting on 5 Jun 2026, 18:00 UTC');

    // The AGM moves a week: the deadline moves with it.
    await bot.run('as admin', '/coop meeting move 1 2026-06-12');
    expect(await bot.run('/service level vm')).toContain('general meeting on 12 Jun 2026, 18:00 UTC');

    // Before the meeting's time nothing happens; after it, the reckoning.
    // The day before, at 09:00: the last nudges and reminders, once.
    clock.set('2026-06-11T09:00:00Z');
    out = await bot.sweep();
    expect(out).toContain('[to governance room] Annual updates still missing for one service before the AGM on 12 Jun 2026, 18:00 UTC (tomorrow):\n  - chat (alpha)');
    expect(out).toContain('[to @alice] Please give the annual update for chat before the AGM on 12 Jun 2026, 18:00 UTC (tomorrow)');
    expect(out).toContain('[to @bob] Deficiency #1 on vm must be fixed by the general meeting on 12 Jun 2026, 18:00 UTC (tomorrow)');
    // The morning of the meeting: its agenda, and nothing else happens before its time.
    clock.set('2026-06-12T17:59:00Z');
    out = await bot.sweep();
    expect(out).toContain('[to governance room] Agenda of the AGM #1, 12 Jun 2026, 18:00 UTC\nServices that descend at this meeting unless fixed:\n  - vm: live → beta');
    expect(out).not.toContain('reckoned');
    expect(await bot.sweep()).toBe('');
    clock.set('2026-06-12T18:01:00Z');
    out = await bot.sweep();
    expect(out).toContain('The AGM of 12 Jun 2026, 18:00 UTC has been reckoned');
    expect(out).toContain('vm: live → beta');
    expect(out).toContain('postgres: Under scrutiny: it is built on vm');
    expect(out).toContain('wiki: Under scrutiny: it is built on vm');
    expect(out).toContain('chat: Under scrutiny: it is built on vm');
    expect(out).toContain('chat: No annual update was given for this AGM.');
    expect(out).toContain('to be fixed by the general meeting on 10 Sept 2026, 19:30 UTC');
    // Each maintainer hears once, of everything concerning their services.
    expect(out).toContain('[to @alice] At the AGM of 12 Jun 2026, 18:00 UTC, 5 changes concern services you maintain:\n  - vm descended from live to beta');
    expect(out.split('[to @alice]').length - 1).toBe(1);
    expect(out).toContain('[to @bob] vm descended from live to beta at the AGM of 12 Jun 2026, 18:00 UTC.\nDeficiency #4 on postgres');
    expect(out.split('[to @bob]').length - 1).toBe(1);
    expect(await level('vm')).toBe('beta');
    expect(await level('wiki')).toBe('beta');
    // Running it again for the same meeting changes nothing.
    const before = bot.dump();
    expect(await bot.sweep()).toBe('');
    expect(bot.dump()).toEqual(before);

    // Scrutiny passed for postgres and wiki; chat's deficiencies wait. The EGM is cancelled:
    // chat's grace moves to the next AGM.
    const open = (bot.dump().Deficiency as { id: number; serviceId: number; resolvedAt: unknown; lapsedAt: unknown; description: string }[]).filter(
      (d) => d.resolvedAt === null && d.lapsedAt === null,
    );
    const ids = (svc: string, services = bot.dump().Service as { id: number; name: string }[]) =>
      open.filter((d) => d.serviceId === services.find((s) => s.name === svc)?.id).map((d) => d.id);
    for (const id of [...ids('postgres'), ...ids('wiki')]) await bot.run('as bob', `/service resolve ${id} Checked: the new vm setup is fine`);
    out = await bot.run('as admin', '/coop meeting cancel 2');
    expect(out).toContain('2 deficiency deadlines now run to 4 Jun 2027, 18:00 UTC. Their maintainers have been told.');
    expect(out).toContain('[to @alice] EGM #2 of 10 Sept 2026, 19:30 UTC was cancelled. The deadline of 2 deficiencies you maintain moved:');
    expect(await bot.run('/service level chat')).toContain('to be fixed by the general meeting on 4 Jun 2027, 18:00 UTC');

    // A new catalogue goes to a co-op poll; approved, it is pending and does not apply between meetings.
    await bot.close();
    bot = await openBot(dir, { REQUIREMENTS_FILE: 'catalogues/iterations.json' }, clock);
    const proposal = Number(/Proposed: .*\n.*poll #(\d+)/.exec(await bot.run('/coop requirements'))?.[1]);
    for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) out = await bot.run(`as ${who}`, `/coop vote ${proposal} yes`);
    expect(out).toContain('The co-op approved the requirements "Service maturity iterations", version 1: they take effect at the next general meeting.');
    out = await bot.run('/coop requirements beta');
    expect(out).toContain('Requirements in force: Developing services');
    expect(out).toContain('Pending: Service maturity iterations');
    clock.set('2027-01-15T12:00:00Z');
    expect(await bot.sweep()).toBe('');
    expect(await bot.run('/coop requirements')).toContain('Pending: Service maturity iterations');

    for (const s of ['vm', 'postgres', 'wiki']) await bot.run('as alice', `/service update ${s} All good this year`);
    clock.set('2027-06-05T09:00:00Z');
    out = await bot.sweep();
    expect(out).toContain('The AGM of 4 Jun 2027, 18:00 UTC has been reckoned');
    expect(out).toContain('chat: alpha → proposed');
    expect(out).toContain('New requirements in force: Service maturity iterations, version 1');
    expect(out).not.toContain('Does not meet'); // the new requirements apply from the following AGM
    expect(await level('chat')).toBe('proposed');
    expect(await bot.run('/coop requirements')).not.toContain('Pending');

    // At the following AGM, services must meet the new requirements.
    await bot.run('as admin', '/coop meeting agm 2028-06-02');
    for (const s of ['vm', 'postgres', 'wiki']) await bot.run('as alice', `/service update ${s} Working on the new requirements`);
    clock.set('2028-06-03T09:00:00Z');
    out = await bot.sweep();
    expect(out).toContain('wiki: Does not meet the beta requirements in force: beta.backup, beta.restore, beta.logs, beta.metrics.');

    // With no AGM scheduled, the report is the pack of the AGM just held: from the one before it.
    out = (await bot.report()).whole;
    expect(out).toContain('# Service maturity report, 3 Jun 2028, 09:00 UTC');
    expect(out).toContain('Covers 4 Jun 2027, 18:00 UTC (the previous AGM) to 3 Jun 2028, 09:00 UTC.');
    expect(out).toContain('- **wiki**, 5 Jun 2027, 09:00 UTC by @alice: Working on the new requirements');

    // No service ever dropped two levels at once.
    const ladder = ['proposed', 'alpha', 'beta', 'live'];
    for (const c of levelChanges()) {
      if (c.fromLevel === null || c.toLevel === 'retired') continue;
      expect(Math.abs(ladder.indexOf(c.toLevel) - ladder.indexOf(c.fromLevel))).toBe(1);
    }
    expect(levelChanges().filter((c) => c.meetingId !== null)).toHaveLength(2);
  });
});

describe('upkeep commands', () => {
  async function small() {
    bot = await openBot(tempDir());
    polls = 0;
    await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
    await bot.run('as alice', '/service propose wiki user The wiki');
  }

  it('takes a change report from a live maintainer and tells the board', async () => {
    await small();
    expect(await bot.run('/service change wiki Lost a maintainer')).toContain('`wiki` is proposed; `change` is how live services');
    await bot.run('as alice', '/service maintainer wiki add @bob');
    await climb('wiki', 'live');
    expect(await bot.run('as alice', '/service update wiki Fine')).toContain('No AGM is scheduled yet');
    const out = await bot.run('as alice', '/service change wiki Our second maintainer has left');
    expect(out).toContain('Thank you. Deficiency #1 is open on wiki');
    expect(out).toContain('[to governance room] Change reported by a maintainer of wiki');
    expect(out).toContain('[to @admin] Change reported by a maintainer of wiki');
    expect(out).toContain('[to @bob] Change reported');
  });

  it('writes the AGM report in Markdown, escaping what members typed', async () => {
    await small();
    await bot.run('as admin', '/coop meeting agm 2026-06-05');
    await bot.run('as carol', '/service report wiki # Heading [link](http://x) *bold*');
    await bot.run('as alice', '/service assess wiki alpha.plan deviation Plan is the <b>README</b>');
    const out = (await bot.report()).whole;
    expect(out).toContain('# Service maturity report for the AGM of 5 Jun 2026, 18:00 UTC');
    expect(out).toContain('### Proposed (1)');
    expect(out).toContain('\\# Heading \\[link\\]\\(http://x\\) \\*bold\\*');
    expect(out).toContain('  - Deviation from Plan of what is needed (alpha.plan): Plan is the \\<b\\>README\\</b\\>');
    expect(out).toContain('### Opened (1)');
    expect(out).toContain('reported 1 Mar 2026, 09:00 UTC by @carol');
  });

  it.each([
    ['a meeting in the past', 'admin', '/coop meeting agm 2020-01-01', /has already passed/],
    ['a date that does not exist', 'admin', '/coop meeting egm 2027-02-30', /is not a real date/],
    ['a badly written date', 'admin', '/coop meeting agm 5/6/2027', /expected a date as YYYY-MM-DD/],
    ['a member scheduling', 'alice', '/coop meeting agm 2027-06-05', /Only the board can use `\/coop meeting`/],
    ['moving a meeting that does not exist', 'admin', '/coop meeting move 9 2027-06-05', /There is no meeting #9/],
    ['an update for a proposed service', 'alice', '/service update wiki Fine', /annual updates are for services at alpha or above/],
    ['resolving what does not exist', 'alice', '/service resolve 42 Fixed', /There is no deficiency #42/],
    ['a report from a non-member', 'mallory', '/service report wiki It is bad', /Only co-op members can use `\/service report`/],
    ['a report on an unknown requirement', 'carol', '/service report wiki beta.nope Bad', /have no `beta.nope`/],
    ['a report on an unknown service', 'carol', '/service report ghost Bad', /There is no service named `ghost`/],
  ])('refuses %s, changing nothing', async (_what, who, line, message) => {
    await small();
    const before = bot.dump();
    const out = await bot.run(`as ${who}`, line);
    expect(out).toMatch(message);
    expect(bot.dump()).toEqual(before);
  });

  it('lets only maintainers or the board resolve', async () => {
    await small();
    await bot.run('as carol', '/service report wiki Broken');
    expect(await bot.run('as dave', '/service resolve 1 Fine now')).toContain('Only maintainers of wiki or the board can resolve');
    expect(await bot.run('as admin', '/service resolve 1 Checked by the board')).toContain('resolved by @admin');
    expect(await bot.run('as alice', '/service resolve 1 Again')).toContain('already resolved');
  });
});
