// The co-op decides, and the people affected hear of it (issue 12), through the console
// on a real database with a clock the test moves.
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
const count = (text: string, part: string) => text.split(part).length - 1;

async function coop(env: Record<string, string> = {}) {
  bot = await openBot(tempDir(), env, new FakeClock(new Date('2026-03-01T09:00:00Z')));
  await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
}

async function verify(name: string, to: 'alpha' | 'beta' | 'live', assessments: string[] = catalogue.levels[to].map((r) => `/service assess ${name} ${r.key} met`)) {
  await bot.run('as alice', ...assessments);
  expect(await bot.run(`/service request ${name} ${to}`)).toContain('is open in the governance room');
  const id = rows('Poll').length;
  let out = '';
  for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) out += await bot.run(`as ${who}`, `/coop vote ${id} yes`);
  return out;
}

describe('the board sets the grace', () => {
  it('moves a deadline to a later meeting with its reason, shown on the deficiency, and tells the maintainers', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await verify('wiki', 'alpha');
    await bot.run('as admin', '/coop meeting egm 2026-04-10', '/coop meeting agm 2026-09-01');
    await bot.run('as carol', '/service report wiki Backups untested');
    const out = await bot.run('as admin', '/service grace 1 2 New hardware arrives in August');
    expect(out).toContain('Deficiency #1 on wiki now runs to the AGM of 1 Sept 2026, 18:00 UTC (was 10 Apr 2026, 18:00 UTC): New hardware arrives in August');
    expect(out).toContain('[to @alice] The board gave deficiency #1 on wiki (Backups untested) until the AGM of 1 Sept 2026, 18:00 UTC, instead of 10 Apr 2026, 18:00 UTC: New hardware arrives in August');
    expect(await bot.run('/service level wiki')).toContain('#1: Backups untested — to be fixed by the general meeting on 1 Sept 2026, 18:00 UTC (grace set by the board: New hardware arrives in August)');
    expect(rows('AuditEvent').some((a) => a.action === 'deficiency.grace-set')).toBe(true);
    // The EGM passes without a descent.
    bot.clock.set('2026-04-10T18:01:00Z');
    expect(await bot.sweep()).not.toContain('wiki: alpha → proposed');
    expect(await bot.run('/service level wiki')).toContain('wiki is alpha');
  });

  it.each([
    ['a member', 'carol', '/service grace 1 2 Because', /Only the board can use `\/service grace`/],
    ['an earlier meeting', 'admin', '/service grace 1 1 Sooner', /the board can give a later general meeting, not an earlier one/],
    ['a meeting that does not exist', 'admin', '/service grace 1 9 Later', /There is no meeting #9/],
    ['a deficiency that does not exist', 'admin', '/service grace 7 2 Later', /There is no deficiency #7/],
    ['no reason', 'admin', '/service grace 1 2', /Missing <reason…>/],
  ])('refuses %s, changing nothing', async (_what, who, line, message) => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await bot.run('as admin', '/coop meeting egm 2026-04-10', '/coop meeting agm 2026-09-01', 'as carol', '/service report wiki Broken');
    const before = bot.dump();
    expect(await bot.run(`as ${who}`, line)).toMatch(message);
    expect(bot.dump()).toEqual(before);
  });

  it('puts the grace command in a live service’s change notice to the board', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki', '/service maintainer wiki add @bob');
    for (const l of ['alpha', 'beta', 'live'] as const) await verify('wiki', l);
    const out = await bot.run('as alice', '/service change wiki Monitoring is off for a month');
    expect(out).toContain('[to governance room] Change reported by a maintainer of wiki');
    expect(out).toContain('The board decides the reasonable grace period: to give it until a later general meeting, `/service grace 1 <meeting-id> <reason…>`');
    expect(out).toMatch(/\[to @admin\] Change reported[^[]*`\/service grace 1 <meeting-id> <reason…>`/);
  });
});

describe('people who rely on a service', () => {
  it('watch it, member or not, and hear of each change once, on one platform', async () => {
    await coop();
    await bot.run('as alice', '/service propose vm infrastructure Virtual machines', '/service propose wiki user The wiki', '/service set wiki uses vm');
    // erin is not a member: she uses the wiki. dave is a member with a linked Slack account.
    expect(await bot.run('as erin', '/service watch wiki', '/service watch vm')).toContain('You now watch vm');
    expect(await bot.run('/service watch wiki')).toContain('✗ You already watch `wiki`');
    expect(await bot.run('/service watching')).toContain('You watch 2 services:\n  - vm (proposed)\n  - wiki (proposed)');
    const code = /code: `([A-Z0-9-]+)`/.exec(await bot.run('as dave', '/coop link'))?.[1] ?? '';
    await bot.runAs({ platform: 'slack', externalId: 'U0DAVE01' }, 'coop', `link ${code}`);
    await bot.run('as dave', '/service watch wiki');

    let out = await verify('wiki', 'alpha');
    expect(out).toContain('[to @erin] wiki, a service you watch, is now alpha (was proposed): verified by the co-op in poll #1.');
    expect(count(out, 'wiki, a service you watch, is now alpha')).toBe(2); // erin and dave, once each

    await bot.run('as admin', '/coop meeting egm 2026-06-05');
    out = await bot.run('as carol', '/service report wiki Search is broken');
    expect(out).toContain('[to @erin] wiki, a service you watch: deficiency #1 reported: Search is broken');
    expect(count(out, 'a service you watch: deficiency #1')).toBe(2);
    out = await bot.run('as alice', '/service resolve 1 Reindexed');
    expect(out).toContain('[to @erin] wiki, a service you watch: deficiency #1 (Search is broken) was resolved by @alice: Reindexed');

    await verify('vm', 'alpha');
    await bot.run('as carol', '/service report vm Disks failing');
    bot.clock.set('2026-06-05T18:01:00Z');
    out = await bot.sweep();
    expect(out).toContain('[to @erin] vm, a service you watch, descended from alpha to proposed at the EGM of 5 Jun 2026, 18:00 UTC: the grace of deficiencies #2 ended unresolved.');
    expect(out).toMatch(/\[to @erin\] wiki, a service you watch, is under scrutiny: Under scrutiny: it is built on vm/);

    await bot.run('as erin', '/service unwatch vm');
    out = await bot.run('as alice', '/service retire wiki Replaced by docs');
    expect(out).toContain('[to @erin] wiki, a service you watch, was retired (it was alpha): Replaced by docs');
    expect(out).not.toContain('[to @erin] vm');
    expect(rows('Watch')).toHaveLength(2);
  });
});

describe('a service has a history', () => {
  it('tells its life from the audit trail, newest first, who, when and from where, paged with the total', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki', '/service set wiki provides Pages for everyone');
    for (let i = 1; i <= 10; i++) await bot.run(`/service set wiki summary The wiki, take ${i}`);
    await verify('wiki', 'alpha');
    await bot.runAs({ platform: 'slack', externalId: 'U0CAROL1' }, 'service', 'history wiki'); // a stranger may read it
    await bot.run('as admin', '/coop meeting egm 2026-06-05', 'as carol', '/service report wiki Search is broken', 'as alice', '/service resolve 1 Reindexed');
    const out = await bot.runAs({ platform: 'slack', externalId: 'U0NOBODY' }, 'service', 'history wiki');
    expect(out).toContain('History of wiki');
    const lines = out.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines[0]).toBe('  - 1 Mar 2026, 09:00 UTC: deficiency #1 resolved: Reindexed — @alice (console)');
    expect(out).toContain('deficiency #1 reported: Search is broken — @carol (console)');
    expect(out).toContain('became alpha (was proposed), verified in poll #1 — @dave (console)');
    expect(out).toContain('asked the co-op to verify it at alpha (poll #1) — @alice (console)');
    expect(out).not.toContain('poll.vote');
    const total = Number(/Showing 1–20 of (\d+)\./.exec(out)?.[1]);
    expect(total).toBeGreaterThan(20);
    expect(out).toContain('The whole history: `/service history wiki --all`.');
    const all = await bot.run('/service history wiki --all');
    expect(all).toContain(`Showing 1–${total} of ${total}.`);
    expect(all).toContain('provides set to: Pages for everyone — @alice (console)');
    expect(all.split('\n').at(-3)).toContain('proposed (user): The wiki — @alice (console)');
    expect(await bot.run('/service history wiki --everything')).toContain('✗');
  });
});

describe('verification polls show what a yes approves', () => {
  it('lists each requirement with its assessment, marks deviations, records them agreed by the poll, and puts later ones to the board', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    const assess = catalogue.levels.alpha.map((r) =>
      r.key === 'alpha.principles' ? `/service assess wiki ${r.key} deviation The card is written by the users` : `/service assess wiki ${r.key} met`,
    );
    await bot.run('as alice', ...assess);
    const opened = await bot.run('/service request wiki alpha');
    expect(opened).toContain('What a yes approves (the requirements as assessed when the poll opened):');
    expect(opened).toContain('✓ alpha.plan Plan of what is needed: met');
    expect(opened).toContain('⚠ alpha.principles Aligned with co-op principles: DEVIATION, agreed by a yes — The card is written by the users');
    expect((await bot.app.pollView(1))?.requirements?.find((r) => r.key === 'alpha.principles')?.status).toBe('deviation');
    for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) await bot.run(`as ${who}`, '/coop vote 1 yes');
    expect(rows('Assessment').find((a) => a.requirementKey === 'alpha.principles')?.agreedPollId).toBe(1);
    expect(await bot.run('/service info wiki')).not.toContain('Deviations to be confirmed');

    // A deviation recorded later, for a level it already holds: to be confirmed by the board.
    await bot.run('as alice', '/service assess wiki alpha.plan deviation The plan lives in the issue tracker');
    let info = await bot.run('/service info wiki');
    expect(info).toContain('Deviations to be confirmed');
    expect(info).toContain('`alpha.plan` Plan of what is needed: The plan lives in the issue tracker — to be confirmed (`/service confirm wiki alpha.plan`)');
    await bot.run('as admin', '/coop meeting agm 2026-06-05');
    expect((await bot.report()).whole).toContain('- **wiki**: a deviation from Plan of what is needed (alpha.plan) to confirm (recorded after its verification): The plan lives in the issue tracker');
    const before = bot.dump();
    expect(await bot.run('as carol', '/service confirm wiki alpha.plan')).toContain('Only the board can use `/service confirm`');
    expect(await bot.run('as admin', '/service confirm wiki alpha.kind-decided')).toContain('is not a deviation waiting to be confirmed (those waiting: alpha.plan)');
    expect(bot.dump()).toEqual(before);
    expect(await bot.run('/service confirm wiki alpha.plan')).toContain('The board agrees wiki’s deviation from `alpha.plan` (Plan of what is needed): The plan lives in the issue tracker');
    info = await bot.run('/service info wiki');
    expect(info).not.toContain('Deviations to be confirmed');
  });
});

describe('meetings have an agenda and minutes', () => {
  it('says what the meeting will decide, posts it with the first nudge and on the morning, and records what happened', async () => {
    await coop({ NUDGE_DAYS: '14,1' });
    await bot.run('as alice', '/service propose vm infrastructure Virtual machines', '/service propose wiki user The wiki', '/service set wiki uses vm');
    await verify('vm', 'alpha');
    await verify('wiki', 'alpha');
    await bot.run('as bob', '/service propose pad user Notes', 'as admin', '/coop member remove @bob');
    await bot.run('/coop meeting agm 2026-06-05', '/coop poll Picnic? --for 3d');
    await bot.run('as carol', '/service report vm Disks failing');
    await bot.run('as alice', '/service assess wiki alpha.plan deviation The plan is the issue tracker', '/service update wiki Fine');

    const agenda = await bot.run('/coop agenda');
    expect(agenda).toContain('Agenda of the AGM #1, 5 Jun 2026, 18:00 UTC');
    expect(agenda).toContain('Services that descend at this meeting unless fixed:\n  - vm: alpha → proposed, #1 Disks failing');
    expect(agenda).toContain('Services without their annual update:\n  - vm (alpha)');
    expect(agenda).toContain('Deviations for the board to confirm:\n  - wiki, Plan of what is needed (alpha.plan): The plan is the issue tracker — `/service confirm wiki alpha.plan`');
    expect(agenda).toContain('Services that need a maintainer:\n  - pad (proposed) — `/service maintainer pad add <user>`');
    expect(agenda).toContain('Polls closing before the meeting:\n  - #3 Picnic?, closes 4 Mar 2026, 09:00 UTC');
    expect(await bot.run('/coop agenda 9')).toContain('✗ There is no meeting #9.');

    // Posted to the governance room with the first nudge (14 days before) and on the morning, once each.
    bot.clock.set('2026-05-22T09:00:00Z');
    let out = await bot.sweep();
    expect(count(out, '[to governance room] Agenda of the AGM #1')).toBe(1);
    expect(await bot.sweep()).not.toContain('Agenda of');
    bot.clock.set('2026-06-05T09:00:00Z');
    out = await bot.sweep();
    expect(count(out, '[to governance room] Agenda of the AGM #1')).toBe(1);

    expect(await bot.run('/coop minutes')).toContain('✗ No general meeting has been held yet.');
    bot.clock.set('2026-06-05T18:01:00Z');
    await bot.sweep();
    const minutes = await bot.run('/coop minutes');
    expect(minutes).toContain('Minutes of the AGM #1 of 5 Jun 2026, 18:00 UTC');
    expect(minutes).toContain('Descended one level (deficiencies not resolved in time):\n  - vm: alpha → proposed');
    expect(minutes).toMatch(/Deficiencies opened by the meeting:\n(  - #\d+ \w+ \((scrutiny|missed-update|requirements)\): .*\n)+/);
    expect(minutes).toContain('wiki (scrutiny): Under scrutiny: it is built on vm');
    expect(minutes).toContain('Requirements in force: Developing services, version 2017.1.');
    expect(minutes).toContain('Level changes before it:\n  - 1 Mar 2026, 09:00 UTC: vm proposed → alpha (verified by the co-op in poll #1)');
    expect(minutes).toContain('General polls decided before it:\n  - #3 Picnic?: not decided');
    expect(await bot.run('/coop agenda 1')).toContain('Meeting #1 is held. What happened at a held meeting: `/coop minutes 1`.');
  });
});

describe('requirement changes go to a vote', () => {
  const ITER = { REQUIREMENTS_FILE: 'catalogues/iterations.json' };
  const DEFAULT = { REQUIREMENTS_FILE: 'catalogues/coop-default.json' };
  const inForce = () => rows('Catalogue').filter((c) => c.status === 'current').map((c) => c.name);
  async function restart(env: Record<string, string>) {
    const { dir, clock } = { dir: bot.dir, clock: bot.clock };
    await bot.close();
    bot = await openBot(dir, env, clock);
    return bot;
  }
  const everyone = async (poll: number, choice: string) => {
    let out = '';
    for (const who of ['admin', 'alice', 'bob', 'carol', 'dave']) out += await bot.run(`as ${who}`, `/coop vote ${poll} ${choice}`);
    return out;
  };

  it('approved: pending, assessable ahead, in force at the next meeting, enforced from the following AGM, with its own words for users', async () => {
    await coop();
    await bot.run('as alice', '/service propose wiki user The wiki');
    await verify('wiki', 'alpha');
    await bot.run('as admin', '/coop meeting egm 2026-04-01', '/coop meeting agm 2026-09-01');
    await restart(ITER);
    expect(rows('Poll').at(-1)?.kind).toBe('requirements');
    const out = await everyone(2, 'yes');
    expect(out).toContain('The co-op approved the requirements "Service maturity iterations", version 1: they take effect at the next general meeting.');
    expect(await bot.run('/coop requirements')).toContain('Pending: Service maturity iterations, version 1');
    expect(await bot.run('as alice', '/service assess wiki beta.backup met')).toContain('`beta.backup` (Backup) is now met');
    expect(inForce()).toEqual(['Developing services']);
    expect(await bot.run('/service level wiki')).toContain('What you can expect: The idea has been checked with the co-op');

    bot.clock.set('2026-04-01T18:01:00Z');
    expect(await bot.sweep()).toContain('New requirements in force: Service maturity iterations, version 1');
    expect(inForce()).toEqual(['Service maturity iterations']);
    expect(await bot.run('/service level wiki')).toContain('What you can expect: Instances can be provisioned, configured, deleted and reached securely');
    expect(await bot.run('/coop minutes')).toContain('Requirements in force: Service maturity iterations, version 1, adopted at this meeting.');
    // Not enforced at this EGM; at the following AGM, services must meet them.
    await bot.run('as alice', '/service update wiki Fine');
    bot.clock.set('2026-09-01T18:01:00Z');
    expect(await bot.sweep()).toContain('wiki: Does not meet the alpha requirements in force: alpha.provisioning.');
  });

  it('rejected: the catalogue in force stays, and /coop requirements says the file was not adopted', async () => {
    await coop();
    await restart(ITER);
    const out = await everyone(1, 'no');
    expect(out).toContain('The co-op did not adopt the requirements "Service maturity iterations", version 1; the requirements in force stay.');
    await restart(ITER);
    expect(rows('Poll')).toHaveLength(1); // no second poll for the same file
    expect(await bot.run('/coop requirements')).toContain('The requirements file differs from the requirements in force: it holds "Service maturity iterations", version 1, which the co-op did not adopt.');
    bot.clock.set('2026-03-02T09:00:00Z');
    await bot.run('as admin', '/coop meeting egm 2026-04-01');
    bot.clock.set('2026-04-01T18:01:00Z');
    await bot.sweep();
    expect(inForce()).toEqual(['Developing services']);
  });

  it('withdrawn when the file is put back, and ten restarts alternating the file never change the catalogue in force', async () => {
    await coop();
    await restart(ITER);
    await bot.run('as carol', '/coop vote 1 yes');
    const back = await restart(DEFAULT);
    expect(await back.run('/coop polls')).toContain('No polls are open.');
    expect(rows('Poll')[0]?.status).toBe('cancelled');
    expect(rows('Catalogue').find((c) => c.name === 'Service maturity iterations')?.status).toBe('withdrawn');
    for (let i = 0; i < 10; i++) {
      await restart(i % 2 === 0 ? ITER : DEFAULT);
      expect(inForce()).toEqual(['Developing services']);
      expect(rows('Poll').filter((p) => p.status === 'open').length).toBe(i % 2 === 0 ? 1 : 0);
    }
    expect(rows('Catalogue').filter((c) => c.status === 'current')).toHaveLength(1);
    expect(rows('Catalogue').filter((c) => c.status === 'pending')).toHaveLength(0);
  });
});
