// `/coop report` when the web pages are public (PUBLIC_URL): the message carries the
// report's head (counts and what the meeting must decide, at most 20 items) and a link
// to the whole report; no file is written; the head says what the whole report says.
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../../src/catalogue-file.js';
import { FakeClock } from '../../fakes/clock.js';
import { openBot, type TestBot } from '../../helpers/bot.js';
import { tempDir } from '../../helpers/tmp.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
let bot: TestBot | undefined;
afterEach(async () => bot?.close());

/** The lines of the section that starts with `## What the`, up to the next section. */
const decideSection = (markdown: string) => {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## What the'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end === -1 ? undefined : end).filter((l) => l.trim() !== '');
};

describe('/coop report with public web pages', () => {
  it('posts the head with the counts and a link, writes no file, and agrees with the whole report', async () => {
    const dir = tempDir();
    const clock = new FakeClock(new Date('2026-03-01T09:00:00Z'));
    bot = await openBot(dir, {}, clock);
    await bot.run('/coop member add @alice', '/coop member add @bob');
    // wiki is verified at alpha, then a deviation is recorded: the meeting must confirm it.
    await bot.run('as alice', '/service propose wiki user The wiki', ...catalogue.levels.alpha.map((r) => `/service assess wiki ${r.key} met`), '/service request wiki alpha');
    for (const who of ['admin', 'alice', 'bob']) await bot.run(`as ${who}`, '/coop vote 1 yes');
    await bot.run('as alice', `/service assess wiki ${catalogue.levels.alpha[0]?.key} deviation We write it as we go`);
    // Services left without a maintainer, and a deficiency on a proposed one.
    const propose = (from: number, to: number) => bot!.run('as alice', ...Array.from({ length: to - from }, (_, i) => `/service propose svc-${String(from + i).padStart(2, '0')} user Service ${i}`));
    await propose(0, 5);
    await bot.run('as bob', '/service report svc-03 The login page is broken');
    await bot.run('as admin', '/coop member remove @alice');

    const both = async () => {
      const whole = (await bot!.report()).whole;
      await bot!.close();
      bot = await openBot(dir, { PUBLIC_URL: 'https://bot.example.coop/' }, clock);
      const before = readdirSync(dir);
      const printed = await bot.run('as bob', '/coop report');
      expect(readdirSync(dir)).toEqual(before); // no file: the whole is on the web
      expect(printed).toContain('The whole document: https://bot.example.coop/report');
      const head = decideSection(printed.replace(/^ {4}/gm, ''));
      await bot.close();
      bot = await openBot(dir, {}, clock);
      return { printed, head, all: decideSection(whole) };
    };
    // 5 + wiki unmaintained, wiki's deviation, the deficiency: the head is the whole section.
    let { printed, head, all } = await both();
    expect(printed).toContain('Services: 0 live, 0 beta, 1 alpha, 5 proposed, 0 retired; 1 open deficiency.');
    expect(all.some((l) => l.includes('**wiki**: a deviation from') && l.includes('We write it as we go'))).toBe(true);
    expect(head.slice(0, all.length)).toEqual(all);

    // 20 more: 28 items; the head shows the first 20 as the whole report has them, then what is left, and where.
    await bot!.run('/coop member add @alice');
    await propose(5, 25);
    await bot!.run('as admin', '/coop member remove @alice');
    ({ printed, head, all } = await both());
    expect(all.filter((l) => l.startsWith('- '))).toHaveLength(28);
    expect(head.slice(0, 21)).toEqual(all.slice(0, 21));
    expect(head.filter((l) => l.startsWith('- ')).at(-1)).toBe('- … and 8 more: the whole report, https://bot.example.coop/report.');
  });
});
