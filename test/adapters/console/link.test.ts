// One person, one vote across platforms (R6, /coop link).
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const slackAlice = { platform: 'slack', externalId: 'U0ALICE1' } as const;
const code = (out: string) => /code: `?([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(out)?.[1] ?? '';

describe('linked identities', () => {
  it('vote as one person from two platforms', async () => {
    bot = await openBot(tempDir());
    await bot.run('/coop member add @alice', '/coop member add @bob', '/coop poll Picnic?');
    const made = await bot.run('as alice', '/coop link');
    expect(made).toContain('(only @alice sees this) Your one-time code:');
    const linked = await bot.runAs(slackAlice, 'coop', `link ${code(made)}`);
    expect(linked).toContain('Linked: this account and 1 other now vote as one member, alice.');
    await bot.run('/coop vote 1 yes');
    const out = await bot.runAs(slackAlice, 'coop', 'vote 1 no');
    expect(out).toContain('Your vote in poll #1 is now "no" (was "yes").');
    expect(bot.dump().Vote).toHaveLength(1);
    // A slack mention of alice now names the same member.
    expect(await bot.run('as admin', '/coop member add <@U0ALICE1>')).toContain('alice is already a member');
  });

  it('refuses a spent, expired, same-platform or unknown code, changing nothing', async () => {
    bot = await openBot(tempDir());
    await bot.run('/coop member add @alice');
    const first = code(await bot.run('as alice', '/coop link'));
    expect(await bot.run(`/coop link ${first}`)).toContain('Enter the code on your other platform');
    await bot.runAs(slackAlice, 'coop', `link ${first}`);
    const before = bot.dump();
    expect(await bot.runAs({ platform: 'matrix', externalId: '@mallory:evil.example' }, 'coop', `link ${first}`)).toContain('That code is not valid');
    expect(await bot.runAs({ platform: 'matrix', externalId: '@mallory:evil.example' }, 'coop', 'link ZZZZ-ZZZZ')).toContain('That code is not valid');
    const late = code(await bot.run('/coop link'));
    bot.clock.advance(DAY);
    expect(await bot.runAs({ platform: 'matrix', externalId: '@alice:example.org' }, 'coop', `link ${late}`)).toContain('That code is not valid');
    const { LinkCode: _codes, AuditEvent: _audit, ...rest } = bot.dump();
    const { LinkCode: _c0, AuditEvent: _a0, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(await bot.run('as nobody', '/coop link')).toContain('Only co-op members link accounts');
  });
});

describe('link codes are secrets', () => {
  it('are stored only as a hash, and five wrong codes make a person wait', async () => {
    bot = await openBot(tempDir());
    await bot.run('/coop member add @alice');
    const made = code(await bot.run('as alice', '/coop link'));
    const stored = JSON.stringify(bot.dump().LinkCode);
    expect(stored).not.toContain(made);
    expect(stored).not.toContain(made.replace('-', ''));
    for (let i = 0; i < 5; i++) expect(await bot.runAs(slackAlice, 'coop', 'link AAAA-AAAA')).toContain('That code is not valid');
    // The sixth try is refused even with the right code, until the window has passed.
    expect(await bot.runAs(slackAlice, 'coop', `link ${made}`)).toContain('5 wrong codes were entered from this account in the last 15 minutes. Try again after 1 Mar 2026, 09:15 UTC.');
    bot.clock.advance(10 * 60_000);
    expect(await bot.runAs(slackAlice, 'coop', 'link BBBB-BBBB')).toContain('5 wrong codes');
    bot.clock.advance(5 * 60_000 + 1000);
    expect(await bot.runAs(slackAlice, 'coop', `link ${made}`)).toContain('That code is not valid'); // it expired meanwhile
    const fresh = code(await bot.run('as alice', '/coop link'));
    expect(await bot.runAs(slackAlice, 'coop', `link ${fresh}`)).toContain('Linked: this account and 1 other now vote as one member, alice.');
  });
});
