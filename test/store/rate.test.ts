// The command rate is counted in the same statement that decides it, beside the lookup
// of who is asking (AttemptRepo.takeCommand): the key and the limit come from the
// identity in the database. Runs on both engines.
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityRef } from '../../src/domain/identity.js';
import { openBot, type TestBot } from '../helpers/bot.js';
import { tempDir } from '../helpers/tmp.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('the command rate', () => {
  it('counts a stranger by identity, a member across linked identities, and the board at four times the rate', async () => {
    const b = (bot = await openBot(tempDir(), { LIMIT_COMMANDS_PER_MINUTE: '3' }));
    const said = (who: IdentityRef) => b.runAs(who, 'service', 'help');
    const ok = (text: string) => !text.includes('in the last minute');
    const console_ = (externalId: string): IdentityRef => ({ platform: 'console', externalId });
    const slack: IdentityRef = { platform: 'slack', externalId: 'U0ALICE1' };

    // A stranger (no member linked) is held by their identity; another stranger is not.
    for (let i = 0; i < 3; i++) expect(ok(await said(console_('drifter')))).toBe(true);
    expect(await said(console_('drifter'))).toContain('You have sent 3 commands in the last minute, the most one person may (3 a minute). Try again in');
    expect(ok(await said(console_('visitor')))).toBe(true);

    // A member with two linked identities: one count for both. (Before it is linked, the
    // Slack identity's own command counts as a stranger's.)
    await b.run('/coop member add @alice');
    const code = /code: `([A-Z0-9-]+)`/.exec(await b.runAs(console_('alice'), 'coop', 'link'))?.[1] ?? '';
    expect(code).not.toBe('');
    expect(ok(await b.runAs(slack, 'coop', `link ${code}`))).toBe(true);
    expect(ok(await said(console_('alice')))).toBe(true);
    expect(ok(await said(slack))).toBe(true);
    expect(await said(console_('alice'))).toContain('You have sent 3 commands in the last minute');
    expect(await said(slack)).toContain('You have sent 3 commands in the last minute');

    // The board: four times the rate, and told so. Its command above counts.
    let refusal = '';
    let answered = 1;
    for (let i = 0; i < 12 && !refusal; i++) {
      const text = await said(console_('admin'));
      if (ok(text)) answered++;
      else refusal = text;
    }
    expect(answered).toBe(12);
    expect(refusal).toContain('You have sent 12 commands in the last minute, the most one person may (12 a minute for the board).');

    // A minute on, everyone may again.
    b.clock.advance(61_000);
    for (const who of [console_('drifter'), console_('alice'), slack, console_('admin')]) expect(ok(await said(who))).toBe(true);
  });
});
