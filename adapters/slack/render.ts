// Renders core replies as Block Kit. Every piece of text from chat is escaped, so that
// nobody can smuggle a mention, a broadcast (<!channel>) or a link into a reply.
import { documentFileName, documentHead, type Block, type PersonView, type PollView, type Reply, type Span } from '../../src/reply/model.js';
import { commandText, renderPlain, requirementLines } from '../../src/reply/plain.js';
import { formatDateTime } from '../../src/reply/format.js';

import type { Button, KnownBlock } from '@slack/types';
import { buttonLabels, clip, esc } from './text.js';

export type SlackBlock = KnownBlock;

// Block Kit's limits (https://api.slack.com/reference/block-kit/blocks).
export const MAX_BLOCKS = 50;
export const SECTION_LIMIT = 3000;
export const HEADER_LIMIT = 150;
export const BUTTON_LIMIT = 75;
/** The top-level `text` (Slack truncates past 40,000; notifications show far less). */
const TEXT_LIMIT = 3000;
/** Names shown beside an option's count; the rest are counted ("and 180 others"). */
const VOTERS_SHOWN = 12;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

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

/** Splits long text into sections Slack accepts: at a line break, else at a space, never inside an entity or a character. */
function sections(text: string): SlackBlock[] {
  const out: SlackBlock[] = [];
  let rest = text;
  while (rest.length > SECTION_LIMIT) {
    const window = rest.slice(0, SECTION_LIMIT);
    let cut = window.lastIndexOf('\n');
    if (cut <= 0) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = clip(window, SECTION_LIMIT).length - 1;
    const amp = window.lastIndexOf('&', cut);
    if (amp > 0 && !window.slice(amp, cut).includes(';')) cut = amp;
    out.push(section(rest.slice(0, cut)));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0) out.push(section(rest));
  return out;
}

/** "<@U1>, <@U2> and 180 others": a count that stays readable however many voted. */
function voterList(voters: readonly PersonView[]): string {
  const shown = voters.slice(0, VOTERS_SHOWN).map(mention);
  const others = voters.length - shown.length;
  if (others === 0) return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}` : (shown[0] ?? '');
  return `${shown.join(', ')} and ${others} other${others === 1 ? '' : 's'}`;
}

export function pollBlocks(poll: PollView, tz = 'UTC'): SlackBlock[] {
  const closes = formatDateTime(poll.closesAt, tz);
  // Every option with its count, whatever the number of voters: names are collapsed.
  const lines = poll.options.map((o) => {
    const who = o.voters && o.voters.length > 0 ? ` (${voterList(o.voters)})` : '';
    return o.votes === null ? `• *${esc(o.label)}*` : `• *${esc(o.label)}*: ${o.votes}${who}`;
  });
  const blocks: SlackBlock[] = sections(`*Poll #${poll.id}: ${esc(poll.question)}*\n${lines.join('\n')}`);
  const approves = requirementLines(poll);
  if (approves.length > 0) blocks.push(...sections(approves.map((l, i) => (i === 0 ? `_${esc(l)}_` : l.includes('DEVIATION') ? `*${esc(l.trim())}*` : esc(l.trim()))).join('\n')));
  const facts = `${poll.turnout} of ${poll.electorate} voted · quorum ${poll.quorum}${poll.secret ? ` · secret ballot${poll.status === 'open' ? ', counted when it closes' : ''}` : ''}`;
  if (poll.status === 'open') {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${facts} · closes ${esc(closes)}` }] });
    blocks.push({
      type: 'actions',
      block_id: `poll:${poll.id}`,
      elements: buttonLabels(
        poll.options.map((o) => o.label),
        BUTTON_LIMIT,
      ).map((label, i): Button => ({
        type: 'button',
        action_id: `vote:${poll.id}:${i}`,
        text: { type: 'plain_text', text: label },
        // The option by its place: a label can be longer than a button's value may be.
        value: JSON.stringify({ poll: poll.id, option: poll.options[i]?.label ?? '' }),
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
    case 'document': {
      // The head in the message; the whole document follows as a file (the adapter uploads it).
      const head = documentHead(b.markdown)
        .split('\n')
        .filter((l) => !l.startsWith('# '))
        .map((l) => (l.startsWith('#') ? `*${esc(l.replace(/^#+\s*/, ''))}*` : esc(l)))
        .join('\n');
      return [
        { type: 'header', text: { type: 'plain_text', text: clip(b.title, HEADER_LIMIT) } },
        ...sections(head),
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: b.url ? `The whole document: <${esc(b.url)}|${esc(b.title)}>` : `The whole document follows as a file, ${esc(documentFileName(b.title))}.` }],
        },
      ];
    }
  }
}

/**
 * The messages a reply takes on Slack: blocks within Block Kit's limits, split over as
 * many messages of at most 50 blocks as it needs (nothing is dropped), each with the
 * plain `text` Slack shows in notifications and to screen readers, escaped like the blocks.
 */
export function renderSlack(reply: Reply, tz = 'UTC'): SlackMessage[] {
  const all = reply.blocks.flatMap((b) => block(b, tz));
  const prefix = reply.outcome === 'error' ? '⛔ ' : '';
  const text = clip(esc(prefix + renderPlain(reply, { platform: 'slack', timezone: tz })), TEXT_LIMIT);
  const messages: SlackMessage[] = [];
  for (let i = 0; i < all.length || messages.length === 0; i += MAX_BLOCKS) {
    const blocks = all.slice(i, i + MAX_BLOCKS);
    messages.push({ text: messages.length === 0 ? text : `${clip(esc(firstLine(reply)), 200)} (continued, part ${messages.length + 1})`, blocks });
  }
  return messages;
}

function firstLine(reply: Reply): string {
  return renderPlain(reply, { platform: 'slack' }).split('\n')[0] ?? '';
}

export function pollOf(reply: Reply): PollView | undefined {
  for (const b of reply.blocks) if (b.type === 'poll') return b.poll;
  return undefined;
}
