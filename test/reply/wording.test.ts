// Every reply and notification of a whole co-op year, walked as a class: each hint is a
// whole command written with the platform's own prefix (never a half "after the … command"),
// and every date names its time and zone.
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFile } from '../../src/catalogue-file.js';
import type { Group } from '../../src/context.js';
import type { Reply } from '../../src/reply/model.js';
import { renderPlain } from '../../src/reply/plain.js';
import { sweep } from '../../src/scheduler/index.js';
import { FakeClock } from '../fakes/clock.js';
import { openBot, type TestBot } from '../helpers/bot.js';
import { tempDir } from '../helpers/tmp.js';

const catalogue = loadCatalogueFile('catalogues/coop-default.json');
let bot: TestBot;
afterEach(async () => bot?.close());

const BANG = (g: Group) => `!${g}`;
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)';
const DATE = new RegExp(`\\d{1,2} ${MONTH} \\d{4}`, 'g');
const DATE_WITH_ZONE = new RegExp(`^\\d{1,2} ${MONTH} \\d{4}, \\d\\d:\\d\\d (UTC|[A-Za-z]+/[A-Za-z_]+)`);

/** What is wrong with one rendered reply: a slash command on a `!` platform, a half hint, a date without its zone. */
export function wordingProblems(text: string): string[] {
  const problems: string[] = [];
  // The one deliberate exception: a link code is entered on the *other* platform, so its
  // reply names both platforms' forms.
  text = text.replace(/`\/coop link [A-Z0-9]{4}-[A-Z0-9]{4}` \(Slack or the console\)/g, '');
  for (const m of text.matchAll(/(^|[^A-Za-z0-9.])\/(service|coop)\b/g)) problems.push(`a command written with "/": …${text.slice(Math.max(0, (m.index ?? 0) - 20), (m.index ?? 0) + 30)}…`);
  if (/after the (service|co-op|coop) command/.test(text)) problems.push('a hint that is not a whole command');
  for (const m of text.matchAll(DATE)) {
    const rest = text.slice(m.index);
    if (!DATE_WITH_ZONE.test(rest)) problems.push(`a date without its time and zone: ${rest.slice(0, 30)}`);
  }
  return problems;
}

describe('wording of every reply', () => {
  it('the check finds each kind of mistake', () => {
    expect(wordingProblems('Resolve it with `/service resolve 3 <how>`.')).toHaveLength(1);
    expect(wordingProblems('Write `resolve 3 <how>` after the service command.')).toHaveLength(1);
    expect(wordingProblems('by the general meeting on 5 Jun 2026.')).toHaveLength(1);
    expect(wordingProblems('by 5 Jun 2026, 18:00 UTC, with `!service resolve 3 <how>`; see https://x/service')).toEqual([]);
  });

  it('holds for a whole year of a co-op, replies and notifications alike', async () => {
    const clock = new FakeClock(new Date('2026-03-02T09:00:00Z'));
    bot = await openBot(tempDir(), {}, clock);
    const seen: { line: string; reply: Reply }[] = [];
    bot.app.notifier.add({ notify: async (_a, message) => void seen.push({ line: '(notification)', reply: message }) });
    let who = 'admin';
    const say = async (...lines: string[]) => {
      for (const line of lines) {
        const as = /^as (\w+)$/.exec(line);
        if (as?.[1]) {
          who = as[1];
          continue;
        }
        const [, group, text] = /^\/(service|coop) ?(.*)$/.exec(line) as unknown as [string, Group, string];
        const reply = await bot.app.handle({ group, text, actor: { platform: 'console', externalId: who }, displayName: who, platform: { name: 'console', commandPrefix: BANG } });
        seen.push({ line, reply });
      }
    };
    const tick = async (at: string) => {
      clock.set(at);
      await sweep(bot.app.deps);
    };

    await say('/coop member add @alice', '/coop member add @bob', '/coop member add @carol', '/coop member add @dave');
    await say('as alice', '/service propose vm infrastructure Virtual machines', '/service propose wiki user The wiki', '/service set wiki uses vm');
    await say('/service help', '/coop help', '/service help report', '/service list', '/service level wiki', '/service info wiki');
    await say(...catalogue.levels.alpha.map((r) => `/service assess vm ${r.key} met`), '/service request vm alpha', '/service request wiki alpha', '/service request wiki beta');
    for (const v of ['admin', 'alice', 'bob', 'carol', 'dave']) await say(`as ${v}`, '/coop vote 1 yes');
    await say('as carol', '/service report vm live.monitoring No alerts', '/service report ghost Bad', '/service resolve 99 Done', '/coop vote 99 yes');
    await say('as mallory', '/coop poll Free lunch?', '/service propose x user X');
    await say('as admin', '/coop meeting agm 2026-06-05', '/coop meeting egm 2026-05-01 19:30', '/coop meetings', '/coop meeting move 2 2026-05-02', '/coop status');
    await say('/coop poll Picnic? | park | beach --for 2d', '/coop polls', '/coop link', '/coop requirements', '/coop members');
    await say('as alice', '/service update vm Fine', '/service update wiki Fine', '/service change vm Lost a maintainer');
    await tick('2026-03-04T09:01:00Z');
    await tick('2026-05-01T09:00:00Z');
    await tick('2026-05-02T19:31:00Z');
    await tick('2026-05-29T09:00:00Z');
    await tick('2026-06-04T09:00:00Z');
    await tick('2026-06-05T18:01:00Z');
    await say('as admin', '/coop report', '/coop status', '/service level vm', '/coop meeting cancel 1', '/coop member remove @alice');
    await say('as bob', '/service history vm', '/service history vm --all', '/service watch vm', '/service watching', '/service unwatch vm');
    await say('as admin', '/coop meeting agm 2026-09-01', '/coop agenda', '/coop minutes', '/coop agenda 1', '/service confirm vm alpha.plan');
    await say('as carol', '/service report vm Slow', 'as admin', '/service grace 3 3 Waiting for parts', '/service grace 3 1 Sooner');
    await say('as bob', '/service retire wiki Replaced');
    await tick('2027-04-02T00:00:00Z');

    expect(seen.length).toBeGreaterThan(60);
    const problems = seen.flatMap(({ line, reply }) => wordingProblems(renderPlain(reply, { platform: 'console', prefix: BANG, timezone: 'UTC' })).map((p) => `${line}: ${p}`));
    expect(problems).toEqual([]);
  });
});
