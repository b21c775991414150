// Verification and polls through the console, on a real database (issue: polls and verification).
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { DAY, openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
const assessAll = (name: string, level: 'alpha' | 'beta' | 'live') => catalogue.levels[level].map((r) => `/service assess ${name} ${r.key} met`);

let bot: TestBot;
afterEach(async () => bot?.close());

/** admin (board) + alice, bob, carol, dave: five electors, quorum 3. alice proposes wiki. */
async function coop(env: Record<string, string> = {}) {
  bot = await openBot(tempDir(), env);
  await bot.run('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
  await bot.run('as alice', '/service propose wiki user A wiki for the co-op');
  return bot;
}

const level = async (name = 'wiki') => /is (\w+) since/.exec(await bot.run(`/service level ${name}`))?.[1];

describe('verification through co-op votes', () => {
  it('takes a service from proposed to live', async () => {
    await coop();
    // Alpha: passes at its deadline with 3 of 5 votes.
    await bot.run(...assessAll('wiki', 'alpha'));
    let out = await bot.run('/service request wiki alpha The idea was discussed at the March meeting');
    expect(out).toContain('wiki asked the co-op to verify it at alpha. Poll #1 is open in the governance room');
    expect(out).toContain('[to governance room] wiki asks the co-op to verify it at alpha. Evidence: The idea was discussed at the March meeting');
    expect(out).toContain('Poll #1: Verify wiki at alpha?');
    await bot.run('as bob', '/coop vote 1 yes', 'as carol', '/coop vote 1 yes', 'as dave', '/coop vote 1 no');
    expect(await level()).toBe('proposed');
    bot.clock.advance(7 * DAY);
    out = await bot.sweep();
    expect(out).toContain('[to governance room] Poll #1 has closed (its deadline passed): passed, 2 yes to 1 no.');
    expect(out).toContain('wiki is now alpha.');
    expect(await level()).toBe('alpha');

    // Beta: needs two maintainers; closes early when all five have voted.
    await bot.run('as alice', ...assessAll('wiki', 'beta'));
    expect(await bot.run('/service request wiki beta')).toContain('Beta needs at least two maintainers; it has 1.');
    await bot.run('/service maintainer wiki add @bob', '/service request wiki beta Deployed at wiki.example.coop');
    out = await bot.run('/coop vote 2 yes', 'as bob', '/coop vote 2 yes', 'as carol', '/coop vote 2 abstain', 'as dave', '/coop vote 2 no', 'as admin', '/coop vote 2 yes');
    expect(out).toContain('Poll #2 has closed (every elector has voted): passed, 3 yes to 1 no.');
    expect(out).toContain('Every elector has now voted, so the poll has closed');
    expect(await level()).toBe('beta');

    // Live: the board closes the poll once the result is clear.
    await bot.run('as alice', ...assessAll('wiki', 'live'), '/service request wiki live');
    await bot.run('/coop vote 3 yes', 'as bob', '/coop vote 3 yes', 'as carol', '/coop vote 3 yes');
    out = await bot.run('as admin', '/coop close 3');
    expect(out).toContain('Poll #3 closed by the board: passed, 3 yes to 0 no.');
    expect(await level()).toBe('live');

    // The level history records the polls as the reason.
    const changes = bot.dump().LevelChange as { toLevel: string; pollId: number | null; reason: string }[];
    expect(changes.map((c) => [c.toLevel, c.pollId])).toEqual([['proposed', null], ['alpha', 1], ['beta', 2], ['live', 3]]);
    expect(changes[3]?.reason).toBe('verified by the co-op in poll #3');
    expect(await bot.run('as bob', '/service request wiki live')).toContain('already live, the top level');
  });

  it('keeps the level when the co-op rejects it, on a tie, or without a quorum', async () => {
    await coop();
    await bot.run(...assessAll('wiki', 'alpha'), '/service request wiki alpha');
    await bot.run('as bob', '/coop vote 1 no', 'as carol', '/coop vote 1 no', 'as dave', '/coop vote 1 yes');
    bot.clock.advance(7 * DAY);
    expect(await bot.sweep()).toContain('rejected, 1 yes to 2 no');
    expect(await level()).toBe('proposed');

    await bot.run('as alice', '/service request wiki alpha');
    await bot.run('as bob', '/coop vote 2 no', 'as carol', '/coop vote 2 yes', 'as dave', '/coop vote 2 abstain');
    bot.clock.advance(7 * DAY);
    expect(await bot.sweep()).toContain('rejected on a tie, 1 yes to 1 no');

    await bot.run('as alice', '/service request wiki alpha');
    await bot.run('as bob', '/coop vote 3 yes', 'as carol', '/coop vote 3 yes');
    bot.clock.advance(7 * DAY);
    const out = await bot.sweep();
    expect(out).toContain('not decided: 2 voted, the quorum was 3');
    expect(out).toContain('wiki stays proposed.');
    expect(await level()).toBe('proposed');
    expect(await bot.sweep()).toBe('');
  });

  it('withdraws a request and cancels its poll', async () => {
    await coop();
    await bot.run(...assessAll('wiki', 'alpha'), '/service request wiki alpha');
    const out = await bot.run('/service withdraw wiki');
    expect(out).toContain('wiki withdrew its request for alpha; poll #1 is cancelled.');
    expect(await bot.run('as bob', '/coop vote 1 yes')).toContain('Poll #1 is cancelled; it takes no more votes.');
    expect(await bot.run('as alice', '/service withdraw wiki')).toContain('has no open verification request');
    expect(await bot.run('/service request wiki alpha')).toContain('Poll #2 is open');
  });

  it('lets the board cancel a poll, deciding nothing', async () => {
    await coop();
    await bot.run(...assessAll('wiki', 'alpha'), '/service request wiki alpha', 'as bob', '/coop vote 1 yes');
    expect(await bot.run('as alice', '/coop cancel 1')).toContain('Only the board can use `/coop cancel`');
    const out = await bot.run('as admin', '/coop cancel 1');
    expect(out).toContain('[to governance room] Poll #1 (Verify wiki at alpha?) was cancelled by the board; wiki stays proposed.');
    expect(await bot.run('/coop close 1')).toContain('Poll #1 is already cancelled');
    expect(await level()).toBe('proposed');
  });
});

describe('votes', () => {
  it('counts the latest vote, refuses a late one, and counts a repeat once', async () => {
    await coop();
    await bot.run('as bob', '/coop poll Hold the AGM online? --for 2d');
    await bot.run('/coop vote 1 yes');
    let out = await bot.run('/coop vote 1 NO');
    expect(out).toContain('Your vote in poll #1 is now "no" (was "yes").');
    out = await bot.run('/coop vote 1 no');
    expect(out).toContain('was already "no"; nothing changed.');
    out = await bot.run('/coop polls');
    expect(out).toContain('#1 Hold the AGM online? — yes 0, no 1, abstain 0; 1 of 5 voted, quorum 3');
    expect(out).toContain('You voted "no".');
    expect(await bot.run('as carol', '/coop polls')).toContain('You have not voted yet.');
    bot.clock.advance(2 * DAY);
    const before = bot.dump();
    expect(await bot.run('/coop vote 1 yes')).toMatch(/Poll #1 closed at .*; your vote was not counted./);
    expect(bot.dump()).toEqual(before);
    out = await bot.sweep();
    expect(out).toContain('[to console] Poll #1 has closed (its deadline passed): not decided: 1 voted, the quorum was 3.');
    const votes = bot.dump().Vote as { option: string }[];
    expect(votes.map((v) => v.option)).toEqual(['no']);
  });

  it('runs general polls with custom options', async () => {
    await coop();
    const out = await bot.run('as bob', '/coop poll Where shall we meet? | Library | Café | Online');
    expect(out).toContain('Poll #1 by @bob, open for 1w: Where shall we meet?');
    await bot.run('/coop vote 1 café', 'as carol', '/coop vote 1 3', 'as dave', '/coop vote 1 Café', 'as alice', '/coop vote 1 library');
    expect(await bot.run('as admin', '/coop close 1')).toContain('"Café" chosen with 2 votes');
  });

  it('decides a poll with its own options by plurality, even when "yes" is one of them', async () => {
    await coop();
    await bot.run('as bob', '/coop poll Lunch? | pizza | yes | no');
    await bot.run('/coop vote 1 pizza', 'as carol', '/coop vote 1 pizza', 'as dave', '/coop vote 1 pizza', 'as alice', '/coop vote 1 yes');
    const out = await bot.run('as admin', '/coop close 1');
    expect(out).toContain('"pizza" chosen with 3 votes');
    expect(out).not.toContain('passed');
  });

  it.each([
    ['no options after a bar', '/coop poll Lunch? |', /An option is empty/],
    ['one option', '/coop poll Lunch? | soup', /at least two options/],
    ['the same option twice', '/coop poll Lunch? | soup | Soup', /Two options are the same/],
    ['a bad length', '/coop poll Lunch? --for forever', /`forever` is not a duration/],
    ['--for without a duration', '/coop poll Lunch? | pizza | soup --for', /`--for` needs a duration after it\. Write a poll as `\/coop poll <question> \| <option> \| <option>… --for <duration>`/],
    ['--for with words after it', '/coop poll Lunch? | pizza | soup --for whenever', /`whenever` is not a duration/],
    ['--for before an option', '/coop poll Lunch? | pizza --for 3d | soup', /`--for` must come at the end, after the options/],
    ['--for twice', '/coop poll Lunch? --for 3d --for 1d', /given more than once/],
    ['a poll shorter than an hour', '/coop poll Lunch? --for 30m', /shorter than 1 hour/],
    ['a poll longer than 90 days', '/coop poll Lunch? --for 13w', /longer than 90 days/],
    ['no question', '/coop poll | a | b', /needs a question/],
  ])('refuses a poll with %s', async (_what, line, message) => {
    await coop();
    const before = bot.dump();
    expect(await bot.run(line)).toMatch(message);
    expect(bot.dump()).toEqual(before);
  });

  it('keeps secret ballots secret, from the board too', async () => {
    await coop({ POLL_SECRET: 'true' });
    await bot.run('as bob', '/coop poll Raise the fee?');
    await bot.run('/coop vote 1 yes', 'as carol', '/coop vote 1 no', 'as dave', '/coop vote 1 yes');
    // While open, only the turnout shows, on every view: the order of votes reveals nothing.
    let out = await bot.run('as admin', '/coop polls');
    expect(out).toContain('3 of 5 voted');
    expect(out).toContain('secret ballot, counted when it closes');
    expect(out).not.toMatch(/yes \d|no \d/);
    const view = await bot.app.pollView(1);
    expect(view?.options.map((o) => o.votes)).toEqual([null, null, null]);
    expect(await bot.run('as erin', '/coop vote 1 yes')).not.toMatch(/yes \d|no \d|: \d/);
    out = await bot.run('as admin', '/coop close 1');
    expect(out).toContain('passed, 2 yes to 1 no');
    expect(out).not.toMatch(/@bob|@carol|@dave/);
    const dump = bot.dump();
    expect((dump.Vote as { option: string }[]).every((v) => v.option === '')).toBe(true);
    const votes = (dump.AuditEvent as { action: string; detail: string }[]).filter((a) => a.action === 'poll.voted');
    expect(votes).toHaveLength(3);
    expect(votes.every((a) => a.detail === '{}')).toBe(true);
  });

  it('shows who voted what in an open ballot', async () => {
    await coop();
    await bot.run('as bob', '/coop poll Raise the fee?', '/coop vote 1 yes', 'as carol', '/coop vote 1 no', 'as dave', '/coop vote 1 yes');
    expect(await bot.run('as admin', '/coop close 1')).toContain('yes: 2 (@bob, @dave)');
  });
});

describe('refusals change nothing', () => {
  it.each([
    ['not a maintainer', 'bob', '/service request wiki alpha', /Only maintainers of wiki can use `\/service request`/],
    ['skipping a level', 'alice', '/service request wiki beta', /can only ask to be verified at alpha, the next level, not beta/],
    ['missing requirements', 'alice', '/service request wiki alpha', /cannot ask to be verified at alpha yet:\n  - alpha.kind-decided \(Kind decided\) is not assessed yet.\n  - alpha.idea-validated/],
    ['not an elector', 'erin', '/coop vote 1 yes', /You are not an elector of poll #1/],
    ['a poll that does not exist', 'bob', '/coop vote 9 yes', /There is no poll #9/],
    ['an option that does not exist', 'bob', '/coop vote 1 maybe', /`maybe` is not an option of poll #1. The options are: yes, no, abstain./],
    ['a non-member opening a poll', 'mallory', '/coop poll Free lunch?', /Only co-op members can use `\/coop poll`/],
    ['a member closing a poll', 'bob', '/coop close 1', /Only the board can use `\/coop close`/],
  ])('%s', async (_what, who, line, message) => {
    await coop();
    await bot.run('as admin', '/coop poll Something?');
    // erin joins after the poll opened: not in its electorate.
    await bot.run('/coop member add @erin');
    if (line.includes('request wiki beta')) await bot.run(`as alice`, ...assessAll('wiki', 'beta'));
    const before = bot.dump();
    const out = await bot.run(`as ${who}`, line);
    expect(out).toMatch(message);
    expect(out).toContain('✗');
    expect(bot.dump()).toEqual(before);
  });
});
