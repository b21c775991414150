// The process at its edges (issue 11): each case a new user met, through the console on
// a real database with a clock the test moves, asserting what people see and what is stored.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { FakeClock } from '../../fakes/clock.js';
import { openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
let bot: TestBot;
afterEach(async () => bot?.close());

type Row = Record<string, unknown>;
const rows = (table: string) => bot.dump()[table] as Row[];
const openDeficiencies = () => rows('Deficiency').filter((d) => d.resolvedAt === null && d.lapsedAt === null);

/** A co-op of five with alice maintaining services; starts on 1 Mar 2026, 09:00 UTC. */
async function coop(env: Record<string, string> = {}) {
  bot = await openBot(tempDir(), env, new FakeClock(new Date('2026-03-01T09:00:00Z')));
  await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
}

async function verify(name: string, to: 'alpha' | 'beta' | 'live') {
  await bot.run('as alice', ...catalogue.levels[to].map((r) => `/service assess ${name} ${r.key} met`));
  expect(await bot.run(`/service request ${name} ${to}`)).toContain('is open in the governance room');
  const id = rows('Poll').length;
  for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) await bot.run(`as ${who}`, `/coop vote ${id} yes`);
}

async function climb(name: string, to: 'alpha' | 'beta' | 'live') {
  for (const l of ['alpha', 'beta', 'live'] as const) {
    if (l === 'beta') await bot.run('as alice', `/service maintainer ${name} add @bob`);
    await verify(name, l);
    if (l === to) return;
  }
}

describe('meetings', () => {
  it.each([
    ['far in the future', '/coop meeting agm 9999-12-31', /more than 24 months ahead; schedule a meeting on 1 Mar 2028, 09:00 UTC or earlier/],
    ['just past the two-year limit', '/coop meeting agm 2028-03-02', /more than 24 months ahead/],
    ['in the past', '/coop meeting egm 2026-02-28', /has already passed/],
  ])('refuses a meeting %s, changing nothing', async (_what, line, message) => {
    await coop();
    const before = bot.dump();
    const out = await bot.run(line);
    expect(out).toMatch(message);
    expect(out).toContain('✗');
    expect(bot.dump()).toEqual(before);
  });

  it('shows the report’s head on screen and writes the whole beside the database, readable by the bot’s user only', async () => {
    await coop();
    await bot.run('as alice', ...Array.from({ length: 120 }, (_, i) => `/service propose svc-${i} user Service number ${i}`), 'as admin');
    const { printed, whole } = await bot.report();
    expect(printed.split('\n').length).toBeLessThan(30);
    expect(printed).toContain('must decide or note');
    expect(printed).not.toContain('svc-119');
    expect(whole).toContain('## Services by level');
    expect(whole).toContain('svc-119');
    const file = /The whole document is in (\S+)/.exec(printed)?.[1] ?? '';
    expect(path.dirname(file)).toBe(bot.dir);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('refuses a second general meeting in the same minute, and a move onto one', async () => {
    await coop();
    await bot.run('/coop meeting agm 2026-06-05 18:00', '/coop meeting egm 2026-07-01');
    const before = bot.dump();
    expect(await bot.run('/coop meeting egm 2026-06-05 18:00')).toContain(
      'AGM #1 is already at 5 Jun 2026, 18:00 UTC; two general meetings cannot be held at once. Move that one with `/coop meeting move 1 <YYYY-MM-DD> [HH:MM]`, or choose another time.',
    );
    expect(await bot.run('/coop meeting move 2 2026-06-05 18:00')).toContain('AGM #1 is already at 5 Jun 2026, 18:00 UTC');
    expect(bot.dump()).toEqual(before);
    expect(await bot.run('/coop meeting egm 2026-06-05 18:01')).toContain('EGM #3 scheduled for 5 Jun 2026, 18:01 UTC.');
  });

  it('moves deadlines with a moved meeting, hands them on when one is cancelled, and tells each maintainer', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await climb('wiki', 'alpha');
    await bot.run('as carol', '/service report wiki Search is broken');
    let out = await bot.run('as admin', '/coop meeting agm 2026-06-05');
    expect(out).toContain('[to @alice] AGM #1 was scheduled, and deficiencies waiting for a general meeting now run to it.');
    expect(out).toContain('#1 on wiki (Search is broken): now to be fixed by 5 Jun 2026, 18:00 UTC.');

    // A meeting scheduled later but earlier in time never shortens the deadline given.
    out = await bot.run('/coop meeting egm 2026-04-10');
    expect(out).not.toContain('[to @alice]');
    expect(await bot.run('/service level wiki')).toContain('to be fixed by the general meeting on 5 Jun 2026, 18:00 UTC');

    out = await bot.run('/coop meeting move 1 2026-06-12 19:00');
    expect(out).toContain('AGM #1 is now on 12 Jun 2026, 19:00 UTC.');
    expect(out).toContain('1 deficiency deadline now runs to 12 Jun 2026, 19:00 UTC. Their maintainers have been told.');
    expect(out).toContain('[to @alice] AGM #1 moved to 12 Jun 2026, 19:00 UTC. The deadline of a deficiency you maintain moved:\n  - #1 on wiki (Search is broken): now to be fixed by 12 Jun 2026, 19:00 UTC, was 5 Jun 2026, 18:00 UTC.');

    // Cancelled: the deadline goes to the next meeting after the cancelled one, not to the EGM before it.
    await bot.run('/coop meeting agm 2026-09-01');
    out = await bot.run('/coop meeting cancel 1');
    expect(out).toContain('1 deficiency deadline now runs to 1 Sept 2026, 18:00 UTC.');
    expect(out).toContain('[to @alice] AGM #1 of 12 Jun 2026, 19:00 UTC was cancelled.');
    expect(openDeficiencies()[0]?.graceMeetingId).toBe(3);

    // The last meeting cancelled: the deadline waits, and the maintainers are told so.
    out = await bot.run('/coop meeting cancel 3');
    expect(out).toContain('1 deficiency deadline now waits for the next general meeting to be scheduled.');
    expect(out).toContain('[to @alice] AGM #3 of 1 Sept 2026, 18:00 UTC was cancelled. The deadline of a deficiency you maintain moved:\n  - #1 on wiki (Search is broken): its deadline now waits for the next general meeting to be scheduled, was 1 Sept 2026, 18:00 UTC.');
    expect(openDeficiencies()[0]?.graceMeetingId).toBeNull();
  });
});

describe('times that do not exist or exist twice', () => {
  it('refuses a meeting in a spring-forward gap with the nearest valid times, and says which of two autumn times it took', async () => {
    await coop({ BOT_TIMEZONE: 'America/New_York' });
    const before = bot.dump();
    expect(await bot.run('/coop meeting agm 2027-03-14 02:30')).toContain(
      '2027-03-14 02:30 does not exist in America/New_York: the clocks skip from 01:59 to 03:00 that night. Choose 01:59, 03:00 or another time.',
    );
    expect(bot.dump()).toEqual(before);
    const out = await bot.run('/coop meeting egm 2026-11-01 01:30');
    expect(out).toContain('EGM #1 scheduled for 1 Nov 2026, 01:30 America/New_York.');
    expect(out).toContain('01:30 occurs twice on 2026-11-01 in America/New_York (the clocks go back); the meeting is at the first, UTC-04:00.');
    expect((rows('Meeting')[0]?.at as number | string).toString()).toMatch(/^(1793511000000|2026-11-01T05:30:00)/);
  });
});

describe('members who leave', () => {
  it('lose every maintainership with their membership; a service left without one needs a maintainer, everywhere', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki', '/service maintainer wiki add @bob');
    await bot.run('as bob', '/service propose pad user Shared notes');
    const out = await bot.run('as admin', '/coop member remove @bob');
    expect(out).toContain('@bob is no longer on the member roster.');
    expect(out).toContain('They no longer maintain pad, wiki.');
    expect(out).toContain('[to governance room] pad needs a maintainer: nobody maintains it any more.');
    expect(out).toContain('The board adds one with `/service maintainer pad add <user>`.');
    // bob keeps no right of a maintainer.
    for (const line of ['/service set wiki summary Mine now', '/service assess pad alpha.plan met', '/service request pad alpha', '/service retire pad Gone']) {
      const before = bot.dump();
      expect(await bot.run('as bob', line)).toContain('✗');
      expect(bot.dump()).toEqual(before);
    }
    expect(await bot.run('as admin', '/coop status')).toContain('pad (proposed): needs a maintainer');
    expect(await bot.run('/service info pad')).toMatch(/Maintainers: +none: needs a maintainer/);
    expect((await bot.report()).printed).toContain('**pad** (proposed) needs a maintainer'); // what the meeting must note: on screen
    expect(await bot.run('/service maintainer pad add @carol')).toContain('@carol now maintains pad.');
    expect(await bot.run('/coop status')).not.toContain('needs a maintainer');
  });
});

describe('retiring', () => {
  it('cancels the open poll, closes deficiencies, refuses what needs a live service, and scrutinises what uses it', async () => {
    await coop();
    await bot.run('as alice', '/service propose vm infrastructure Virtual machines', '/service propose wiki user The wiki', '/service set wiki uses vm');
    await bot.run('/service propose chat user Chat', '/service set chat uses wiki');
    await climb('vm', 'alpha');
    await climb('wiki', 'alpha');
    await climb('chat', 'alpha');
    await bot.run('as admin', '/coop meeting agm 2026-06-05');
    await bot.run('as alice', ...catalogue.levels.beta.map((r) => `/service assess vm ${r.key} met`), '/service maintainer vm add @bob', '/service request vm beta');
    await bot.run('as carol', '/coop vote 4 yes', '/service report vm Disk full');
    const poll = rows('Poll').length;

    const out = await bot.run('as alice', '/service retire vm Moving to the new cluster');
    expect(out).toContain(`Its verification poll #${poll} is cancelled.`);
    expect(out).toContain('1 open deficiency was closed: #1.');
    expect(out).toContain('Under scrutiny, with a deficiency each (their maintainers have been told): chat (#2), wiki (#3).');
    expect(out).toContain(`[to governance room] Poll #${poll} (Verify vm at beta?) is cancelled: vm was retired.`);
    expect(out).toContain('[to @alice] vm was retired, and wiki is built on it. Deficiency #3 is open on wiki: Under scrutiny: it is built on vm, which was retired.');
    expect(out).toContain('`/service resolve 3 <how>`, by the general meeting on 5 Jun 2026, 18:00 UTC, or wiki descends one level.');
    expect(rows('Deficiency').find((d) => d.id === 1)?.resolution).toBe('closed: the service was retired');

    for (const [who, line, message] of [
      ['dave', `/coop vote ${poll} yes`, /is cancelled; it takes no more votes/],
      ['carol', '/service report vm Still broken', /`vm` is retired/],
      ['alice', '/service request vm beta', /`vm` is retired/],
      ['alice', '/service set chat uses vm', /vm is retired; a service cannot be built on a retired one/],
    ] as const) {
      const before = bot.dump();
      expect(await bot.run(`as ${who}`, line)).toMatch(message);
      expect(bot.dump()).toEqual(before);
    }
  });
});

describe('after a descent', () => {
  it('records the requirements its deficiencies named as unmet, so the next request says what to reassess', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await climb('wiki', 'beta');
    await bot.run('as admin', '/coop meeting egm 2026-06-05');
    await bot.run('as carol', '/service report wiki beta.deployed It is down more than up');
    bot.clock.set('2026-06-05T18:01:00Z');
    expect(await bot.sweep()).toContain('wiki: beta → alpha');
    const info = await bot.run('/service info wiki');
    expect(info).toContain('`beta.deployed` Deployed: unmet — deficiency #1 was not resolved by the EGM of 5 Jun 2026, 18:00 UTC, and the service descended to alpha');
    const before = bot.dump();
    const out = await bot.run('as alice', '/service request wiki beta');
    expect(out).toContain('beta.deployed (Deployed) is assessed unmet.');
    expect(out).toContain('Record each with `/service assess wiki <requirement-key> met|unmet|deviation [note…]`.');
    expect(bot.dump()).toEqual(before);
  });
});

describe('an annual update given late', () => {
  it('resolves the "no annual update" deficiency and says so', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await climb('wiki', 'alpha');
    await bot.run('as admin', '/coop meeting agm 2026-06-05');
    bot.clock.set('2026-06-05T18:01:00Z');
    expect(await bot.sweep()).toContain('wiki: No annual update was given for this AGM.');
    const missed = openDeficiencies().find((d) => d.source === 'missed-update');
    const out = await bot.run('as alice', '/service update wiki Still meets alpha; sorry for the delay');
    expect(out).toContain(`It was given late, so it resolves deficiency #${missed?.id} (no annual update); the service will not descend for it.`);
    const after = rows('Deficiency').find((d) => d.id === missed?.id);
    expect(after?.resolution).toBe('resolved by the annual update given late');
    expect(openDeficiencies().filter((d) => d.source === 'missed-update')).toEqual([]);
  });
});

describe('proposed services', () => {
  it('keep a deficiency open past the meeting, say there is nothing to descend, and list it in the report', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await bot.run('as admin', '/coop meeting egm 2026-06-05');
    const out = await bot.run('as carol', '/service report wiki The plan is missing');
    expect(out).toContain('It is open until it is resolved (a proposed service has no level to descend to).');
    expect(out).not.toContain('descends one level');
    bot.clock.set('2026-06-05T18:01:00Z');
    await bot.sweep();
    expect(openDeficiencies()).toHaveLength(1);
    expect(await bot.run('/service level wiki')).toContain('#1: The plan is missing — open until it is resolved');
    expect((await bot.report()).whole).toContain('#1 **wiki**: The plan is missing is open on a proposed service');
    expect(await bot.run('as alice', '/service resolve 1 Plan written')).toContain('resolved by @alice');
  });
});

describe('timed work as people read it', () => {
  it('treats a poll as closed from its deadline, and shows no time already past as a next run', async () => {
    await coop();
    await bot.run('/coop poll Picnic? --for 1d');
    bot.clock.set('2026-03-02T09:00:30Z');
    let out = await bot.run('/coop status');
    expect(out).toContain('[to console] Poll #1 has closed (its deadline passed)');
    expect(out).toContain('Open polls (0)');
    expect(out).toContain('Poll closing: — (no open poll)');
    await bot.run('/coop poll Lunch? --for 1d', '/coop meeting agm 2026-06-05');
    bot.clock.set('2026-03-03T09:00:30Z');
    out = await bot.run('/coop polls');
    expect(out).toContain('Poll #2 has closed (its deadline passed)');
    expect(out).toContain('No polls are open.');
    // A job already due runs at the next minute tick: that is what status shows.
    bot.clock.set('2026-05-08T09:00:30Z'); // the 28-day nudge fell due at 09:00
    await bot.run('as alice', '/service propose wiki user The wiki');
    out = await bot.run('/coop status');
    for (const [, when] of out.matchAll(/^ {2}- [^:]+: (\d{1,2} \w+ \d{4}, \d\d:\d\d) UTC/gm)) {
      expect(new Date(`${when} UTC`).getTime()).toBeGreaterThan(bot.clock.now().getTime());
    }
  });
});

describe('the AGM report', () => {
  it('is the board’s meeting pack, in order, with who and when, requirement titles, poll decisions and retired services last', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki', '/service propose old user Old thing');
    await climb('wiki', 'alpha');
    await bot.run('as admin', '/coop meeting agm 2026-06-05', '/coop poll Picnic? | park | beach');
    await bot.run('as carol', '/service report wiki alpha.plan The plan is out of date', '/coop vote 2 park');
    await bot.run('as admin', '/coop close 2', 'as alice', '/service retire old Nobody used it');
    const out = (await bot.report()).whole;
    const headings = [...out.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'What the AGM of 5 Jun 2026, 18:00 UTC must decide or note',
      'Level changes',
      'Deficiencies',
      'Annual updates for the AGM of 5 Jun 2026, 18:00 UTC',
      'General polls decided',
      'Services by level',
      'Retired services (1)',
    ]);
    expect(out).toContain('- **wiki** descends from alpha to proposed at this meeting unless fixed:\n  - #1 **wiki**, Plan of what is needed (alpha.plan): The plan is out of date (reported 1 Mar 2026, 09:00 UTC by @carol)');
    expect(out).toMatch(/\*\*wiki\*\* proposed → alpha, poll #\d+: verified by the co-op in poll \\#\d+/);
    expect(out).toContain('- Poll #2, 1 Mar 2026, 09:00 UTC: Picnic? — not decided: 1 voted, the quorum was 3 (1 of 5 voted)');
    expect(out).toContain('- **old**, retired 1 Mar 2026, 09:00 UTC: Nobody used it');
    expect(out).not.toContain('### Retired');
  });
});

describe('text from people', () => {
  it('is stored clean whatever they type, and the console never prints a control character', async () => {
    await coop();
    const hostile = 'fdp\u202Eexe.pdf \x1b[2J\x1b]0;owned\x07 zero\u200Bwidth e\u0301';
    const out = await bot.run(`as alice`, `/service propose wiki user ${hostile}`, `/service report wiki ${hostile}`, `/coop poll ${hostile} | a\u2066 | b`);
    expect(out).toContain('fdpexe.pdf [2J]0;owned zerowidth é');
    expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/);
    const stored = JSON.stringify(bot.dump());
    expect(stored).not.toMatch(/\\u001b|\\u0007|\u202E|\u200B|\u2066/);
    expect(stored).toContain('é');
  });
});

describe('lists at a real co-op’s size', () => {
  it('page forty at a time, saying where they are and how to go on', async () => {
    await coop();
    await bot.run('as alice', ...Array.from({ length: 85 }, (_, i) => `/service propose svc-${String(i).padStart(3, '0')} ${i % 2 ? 'user' : 'infrastructure'} Service ${i}`));
    let out = await bot.run('/service list');
    expect(out).toContain('Services 1–40 of 85');
    expect(out.match(/^ {2}- svc-/gm)).toHaveLength(40);
    expect(out).toContain('Page 1 of 3. Next: `/service list 2`.');
    out = await bot.run('/service list 3');
    expect(out).toContain('Services 81–85 of 85');
    expect(out).not.toContain('Next:');
    out = await bot.run('/service list user 2');
    expect(out).toContain('User services 41–42 of 42');
    expect(await bot.run('/service list 9')).toContain('page 9 is past the end');
    expect(await bot.run('/service list 0')).toContain('✗');
  });
});

describe('/coop status at a real co-op’s size', () => {
  it('stays within one screen: counts, the first ten of each list, and where the rest are', async () => {
    await coop();
    await bot.run('as alice', ...Array.from({ length: 25 }, (_, i) => `/service propose svc-${String(i).padStart(2, '0')} user Service ${i}`));
    await bot.run('as admin', '/coop meeting egm 2026-06-05', ...Array.from({ length: 25 }, (_, i) => `/service report svc-${String(i).padStart(2, '0')} Broken ${i}`));
    const out = await bot.run('/coop status');
    expect(out).toContain('Deficiencies in grace (25)');
    expect(out.match(/^ {2}- #\d+ svc-/gm)).toHaveLength(10);
    expect(out).toContain('And 15 more. All of them: `/coop report`.');
    expect(out.split('\n').length).toBeLessThan(45);
  });
});
