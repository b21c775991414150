// Every message the bot sends on Slack stays within Block Kit's limits, and nothing is
// silently dropped: a class test over replies of any size.
import { describe, expect, it } from 'vitest';
import { BUTTON_LIMIT, HEADER_LIMIT, MAX_BLOCKS, pollBlocks, renderSlack, SECTION_LIMIT, type SlackBlock, type SlackMessage } from '../../../adapters/slack/render.js';
import { buttonLabels, clip, fromSlack } from '../../../adapters/slack/text.js';
import type { PersonView, PollView, Reply } from '../../../src/reply/model.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every text in a block, with the limit Block Kit sets on it. */
function texts(b: SlackBlock): [string, number][] {
  const out: [string, number][] = [];
  if (b.type === 'section' && b.text) out.push([b.text.text, SECTION_LIMIT]);
  if (b.type === 'header') out.push([b.text.text, HEADER_LIMIT]);
  if (b.type === 'context') for (const e of b.elements) if ('text' in e) out.push([e.text, SECTION_LIMIT]);
  if (b.type === 'actions') for (const e of b.elements) if (e.type === 'button') out.push([e.text.text, BUTTON_LIMIT]);
  return out;
}

function withinLimits(messages: SlackMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(m.text.length).toBeLessThanOrEqual(3000);
    expect(m.text).not.toMatch(LONE_SURROGATE);
    for (const b of m.blocks) {
      for (const [text, limit] of texts(b)) {
        expect(text.length).toBeLessThanOrEqual(limit);
        expect(text).not.toMatch(LONE_SURROGATE);
      }
    }
  }
}

const person = (i: number): PersonView => ({ memberId: i, name: `member${i}`, identities: [`slack:U${String(i).padStart(5, '0')}`] });
const allText = (messages: SlackMessage[]) => messages.flatMap((m) => m.blocks.flatMap((b) => texts(b).map(([t]) => t))).join('\n');

function poll(voters: number, labels = ['yes', 'no', 'abstain']): PollView {
  return {
    id: 7, question: 'Adopt the new requirements? 🎉'.repeat(3), kind: 'general', status: 'open', closesAt: new Date('2027-01-01T00:00:00Z'), secret: false,
    options: labels.map((label, i) => ({ id: String(i), label, votes: i === 0 ? voters : 1, voters: Array.from({ length: i === 0 ? voters : 1 }, (_, k) => person(k + i * 1000)) })),
    turnout: voters + labels.length - 1, electorate: 1000, quorum: 250,
  };
}

describe('Slack messages', () => {
  it('carry every item of an 800-item list, over several messages within the limits', () => {
    const items = Array.from({ length: 800 }, (_, i) => [`svc-${i}: a service with a long description 🚀 & <tags> `.repeat(3)]);
    const reply: Reply = { visibility: 'public', outcome: 'ok', blocks: [{ type: 'heading', text: 'Services '.repeat(30) }, { type: 'list', items }] };
    const messages = renderSlack(reply);
    withinLimits(messages);
    const text = allText(messages);
    for (let i = 0; i < 800; i++) expect(text).toContain(`svc-${i}:`);
  });

  it('show every option of a poll with hundreds of voters, its count and the turnout, names collapsed', () => {
    const blocks = pollBlocks(poll(300));
    withinLimits([{ text: '', blocks }]);
    const text = allText([{ text: '', blocks }]);
    expect(text).toMatch(/\*yes\*: 300 \(<@U00000>, <@U00001>, .* and 288 others\)/);
    expect(text).toContain('*no*: 1 (<@U01000>)');
    expect(text).toContain('*abstain*: 1 (<@U02000>)');
    expect(text).toContain('302 of 1000 voted');
  });

  it('give long, similar options distinct button labels, never cutting a character in half', () => {
    const base = `${'Move the meeting to the community hall on the high street'.padEnd(70, '.')}🎉🎉`;
    const labels = [`${base} in March`, `${base} in April`, `${base} in May`];
    const blocks = pollBlocks(poll(2, labels));
    withinLimits([{ text: '', blocks }]);
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? b.elements.flatMap((e) => (e.type === 'button' ? [e.text.text] : [])) : []));
    expect(buttons).toHaveLength(3);
    expect(new Set(buttons).size).toBe(3);
    expect(buttonLabels(['short', 'also short'])).toEqual(['short', 'also short']);
    expect(clip('ab👍🏽cd', 4)).toBe('ab…');
  });

  it('send a document as its head (what the meeting must decide), not as hundreds of messages', () => {
    const markdown = ['# AGM report 2027', '', 'Intro.', '', '## What the AGM of 1 Mar 2027 must decide or note', '', '- wiki descends', '', '## Services by level', '', ...Array.from({ length: 20_000 }, (_, i) => `- svc-${i}`)].join('\n');
    const messages = renderSlack({ visibility: 'private', outcome: 'ok', blocks: [{ type: 'document', title: 'AGM report 2027', markdown }] });
    withinLimits(messages);
    expect(messages).toHaveLength(1);
    const text = allText(messages);
    expect(text).toContain('wiki descends');
    expect(text).not.toContain('svc-1');
    expect(text).toContain('The whole document follows as a file, agm-report-2027.md.');
  });
});

describe("Slack's text on the way in", () => {
  it.each([
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['a &lt;b&gt; c', 'a <b> c'],
    ['&amp;lt;', '&lt;'],
    ['ask <@U123|ann> now', 'ask <@U123|ann> now'],
    ['ask <@U123>', 'ask <@U123>'],
    ['in <#C123|general>', 'in #general'],
    ['hey <!channel> and <!here>', 'hey @channel and @here'],
    ['see <https://example.org|the docs>', 'see the docs (https://example.org)'],
    ['see <https://example.org>', 'see https://example.org'],
    ['mail <mailto:a@b.org|a@b.org>', 'mail a@b.org'],
  ])('%s is read as %s', (raw, typed) => {
    expect(fromSlack(raw)).toBe(typed);
  });
});
