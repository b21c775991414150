// Renders core replies as Block Kit. Every piece of text from chat is escaped, so that
// nobody can smuggle a mention, a broadcast (<!channel>) or a link into a reply.
import type { Block, PersonView, PollView, Reply, Span } from '../../src/reply/model.js';
import { commandText, renderPlain, requirementLines } from '../../src/reply/plain.js';
import { formatDateTime } from '../../src/reply/format.js';

import type { Button, KnownBlock } from '@slack/types';

export type SlackBlock = KnownBlock;

const SECTION_LIMIT = 2900;
const HEADER_LIMIT = 150;
const BUTTON_LIMIT = 75;

/** Slack's own escaping for mrkdwn and plain text: &, < and >. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function mention(p: PersonView): string {
  const slack = p.identities.find((k) => k.startsWith('slack:'));
  return slack ? `<@${slack.slice('slack:'.length)}>` : esc(p.name);
}

function span(s: Span): string {
  if (typeof s === 'string') return esc(s);
  if ('strong' in s) return `*${esc(s.strong)}*`;
  if ('code' in s) return `\`${esc(s.code).replace(/`/g, "'")}\``;
  if ('command' in s) return `\`${esc(commandText(s.command)).replace(/`/g, "'")}\``;
  return mention(s.person);
}
const spans = (list: Span[]) => list.map(span).join('');

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, SECTION_LIMIT) } });

/** Splits long text into sections Slack accepts. */
function sections(text: string): SlackBlock[] {
  const out: SlackBlock[] = [];
  let rest = text;
  while (rest.length > SECTION_LIMIT) {
    const cut = rest.lastIndexOf('\n', SECTION_LIMIT) > 0 ? rest.lastIndexOf('\n', SECTION_LIMIT) : SECTION_LIMIT;
    out.push(section(rest.slice(0, cut)));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0) out.push(section(rest));
  return out;
}

export function pollBlocks(poll: PollView, tz = 'UTC'): SlackBlock[] {
  const closes = formatDateTime(poll.closesAt, tz);
  const lines = poll.options.map((o) => {
    const who = o.voters && o.voters.length > 0 ? ` (${o.voters.map(mention).join(', ')})` : '';
    return o.votes === null ? `• *${esc(o.label)}*` : `• *${esc(o.label)}*: ${o.votes}${who}`;
  });
  const blocks: SlackBlock[] = [section(`*Poll #${poll.id}: ${esc(poll.question)}*\n${lines.join('\n')}`)];
  const approves = requirementLines(poll);
  if (approves.length > 0) blocks.push(...sections(approves.map((l, i) => (i === 0 ? `_${esc(l)}_` : l.includes('DEVIATION') ? `*${esc(l.trim())}*` : esc(l.trim()))).join('\n')));
  const facts = `${poll.turnout} of ${poll.electorate} voted · quorum ${poll.quorum}${poll.secret ? ` · secret ballot${poll.status === 'open' ? ', counted when it closes' : ''}` : ''}`;
  if (poll.status === 'open') {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${facts} · closes ${esc(closes)}` }] });
    blocks.push({
      type: 'actions',
      block_id: `poll:${poll.id}`,
      elements: poll.options.map((o, i): Button => ({
        type: 'button',
        action_id: `vote:${poll.id}:${i}`,
        text: { type: 'plain_text', text: clip(o.label, BUTTON_LIMIT) },
        value: JSON.stringify({ poll: poll.id, option: o.label }),
      })),
    });
  } else {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${facts} · ${poll.status}${poll.outcome ? `: ${esc(poll.outcome)}` : ''}` }] });
  }
  return blocks;
}

function block(b: Block, tz: string): SlackBlock[] {
  switch (b.type) {
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(b.text, HEADER_LIMIT) } }];
    case 'paragraph':
      return sections(spans(b.spans));
    case 'fields':
      return sections(b.fields.map((f) => `*${esc(f.label)}:* ${spans(f.value)}`).join('\n'));
    case 'list':
      return sections(b.items.map((i) => `• ${spans(i)}`).join('\n'));
    case 'code':
      return sections(`\`\`\`${esc(b.text)}\`\`\``);
    case 'poll':
      return pollBlocks(b.poll, tz);
    case 'document':
      return [{ type: 'header', text: { type: 'plain_text', text: clip(b.title, HEADER_LIMIT) } }, ...sections(`\`\`\`${esc(b.markdown)}\`\`\``)];
  }
}

/** Blocks and the plain `text` Slack shows in notifications and to screen readers. */
export function renderSlack(reply: Reply, tz = 'UTC'): { text: string; blocks: SlackBlock[] } {
  const blocks = reply.blocks.flatMap((b) => block(b, tz)).slice(0, 50);
  const prefix = reply.outcome === 'error' ? '⛔ ' : '';
  return { text: clip(prefix + renderPlain(reply, { platform: 'slack', timezone: tz }), 3000), blocks };
}

export function pollOf(reply: Reply): PollView | undefined {
  for (const b of reply.blocks) if (b.type === 'poll') return b.poll;
  return undefined;
}
