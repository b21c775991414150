// `/coop members` goes a page of 40 at a time, counted in the database (rosterPage), on
// both engines: a co-op of hundreds of members is never one message.
import { afterEach, describe, expect, it } from 'vitest';
import { openBot, type TestBot } from '../helpers/bot.js';
import { tempDir } from '../helpers/tmp.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('the roster', () => {
  it('lists the members 40 at a time by name, with their identities and the board marked, and says where the next page is', async () => {
    const b = (bot = await openBot(tempDir()));
    const names = Array.from({ length: 45 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    for (const n of names) await b.run(`/coop member add @${n}`);
    const roster = ['admin', ...names].sort();
    const listed = (text: string) => [...text.matchAll(/^\s*- @(\w+)( \(board\))?$/gm)].map((m) => `${m[1]}${m[2] ?? ''}`);

    const first = await b.run('/coop members');
    expect(first).toContain(`Members 1–40 of ${roster.length}`);
    expect(listed(first)).toEqual(roster.slice(0, 40).map((n) => (n === 'admin' ? 'admin (board)' : n)));
    expect(first).toContain('Page 1 of 2. Next: `/coop members 2`.');
    const second = await b.run('/coop members 2');
    expect(second).toContain(`Members 41–${roster.length} of ${roster.length}`);
    expect(listed(second)).toEqual(roster.slice(40));
    expect(second).not.toContain('Next:');
    expect(await b.run('/coop members 3')).toContain('There are 2 pages of members; page 3 is past the end.');
    // A page that is not a number: one clear answer, nothing listed.
    const bad = await b.run('/coop members two');
    expect(bad).toContain('a page number such as 2');
    expect(listed(bad)).toEqual([]);
  });
});
