// Renders core replies for Matrix: HTML (escaped) with a plain-text body, and polls as
// MSC3381 events (what Element shows), each with a plain-text fallback.
import { documentFileName, documentHead, type Block, type Group, type PersonView, type PollView, type Reply, type Span } from '../../src/reply/model.js';
import { escapeHtml } from '../../src/reply/escape.js';
import { commandText as writtenCommand, pollSummary, renderPlain, requirementLines, type PlainOptions } from '../../src/reply/plain.js';

export const POLL_START = 'org.matrix.msc3381.poll.start';
export const POLL_RESPONSE = 'org.matrix.msc3381.poll.response';

/**
 * The answers a poll response chose, in either form: the unstable MSC3381 one Element
 * sends today (`org.matrix.msc3381.poll.response: { answers }`) or the stable one
 * (`m.selections`). An empty list withdraws the vote.
 */
export function pollSelections(content: Record<string, unknown>): unknown[] {
  const stable = content['m.selections'];
  if (Array.isArray(stable)) return stable;
  const unstable = content[POLL_RESPONSE];
  if (typeof unstable === 'object' && unstable !== null && 'answers' in unstable && Array.isArray(unstable.answers)) return unstable.answers;
  return [];
}
export const POLL_END = 'org.matrix.msc3381.poll.end';
const TEXT = 'org.matrix.msc1767.text';


function pill(p: PersonView): string {
  const mxid = p.identities.find((k) => k.startsWith('matrix:'))?.slice('matrix:'.length);
  return mxid ? `<a href="https://matrix.to/#/${escapeHtml(mxid)}">${escapeHtml(p.name)}</a>` : escapeHtml(p.name);
}

/** How Matrix replies are written: the configured command prefix and the co-op's time zone. */
export interface MatrixStyle {
  /** MATRIX_PREFIX: `!` makes `!service`, `!coop`. */
  prefix: string;
  timezone: string;
}

const plainOptions = (style: MatrixStyle): PlainOptions => ({ platform: 'matrix', prefix: (g: Group) => `${style.prefix}${g}`, timezone: style.timezone });

function span(s: Span, style: MatrixStyle): string {
  if (typeof s === 'string') return escapeHtml(s);
  if ('strong' in s) return `<strong>${escapeHtml(s.strong)}</strong>`;
  if ('code' in s) return `<code>${escapeHtml(s.code)}</code>`;
  if ('command' in s) return `<code>${escapeHtml(writtenCommand(s.command, plainOptions(style).prefix))}</code>`;
  return pill(s.person);
}

function pollHtml(poll: PollView, style: MatrixStyle): string {
  return `<pre>${escapeHtml(pollSummary(poll, plainOptions(style)).join('\n'))}</pre>`;
}

function block(b: Block, style: MatrixStyle): string {
  const spans = (list: Span[]) => list.map((x) => span(x, style)).join('');
  switch (b.type) {
    case 'heading':
      return `<h4>${escapeHtml(b.text)}</h4>`;
    case 'paragraph':
      return `<p>${spans(b.spans)}</p>`;
    case 'fields':
      return `<p>${b.fields.map((f) => `<strong>${escapeHtml(f.label)}:</strong> ${spans(f.value)}`).join('<br>')}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${spans(i)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
    case 'poll':
      return pollHtml(b.poll, style);
    case 'document':
      return `<h3>${escapeHtml(b.title)}</h3><pre><code class="language-markdown">${escapeHtml(documentHead(b.markdown))}</code></pre><p><em>${
        b.url ? `The whole document: <a href="${escapeHtml(b.url)}">${escapeHtml(b.url)}</a>` : `The whole document follows as a file, ${escapeHtml(documentFileName(b.title))}.`
      }</em></p>`;
  }
}

/**
 * An m.room.message content: a notice with HTML and a plain body; a reply if
 * `inReplyTo`. A poll in it is left out when it is sent as a poll event of its own.
 */
export function renderMessage(reply: Reply, style: MatrixStyle, opts: { inReplyTo?: string; omitPoll?: boolean } = {}): Record<string, unknown> {
  const inReplyTo = opts.inReplyTo;
  // A poll sent as its own event still has its requirements said in the message: what a yes approves.
  const blocks = reply.blocks.flatMap((b): Block[] =>
    b.type !== 'poll' || !opts.omitPoll ? [b] : requirementLines(b.poll).length > 0 ? [{ type: 'list', items: requirementLines(b.poll).map((l): Span[] => (l.includes('DEVIATION') ? [{ strong: l.trim() }] : [l.trim()])) }] : [],
  );
  const mark = reply.outcome === 'error' ? '❌ ' : '';
  const content: Record<string, unknown> = {
    msgtype: 'm.notice',
    body: mark + renderPlain({ ...reply, blocks }, plainOptions(style)),
    format: 'org.matrix.custom.html',
    formatted_body: (mark ? `<p>${mark}</p>` : '') + blocks.map((b) => block(b, style)).join(''),
  };
  if (inReplyTo) content['m.relates_to'] = { 'm.in_reply_to': { event_id: inReplyTo } };
  return content;
}

export const answerId = (index: number) => `o${index}`;

/** The poll as an MSC3381 start event, with a fallback telling how to vote by command. */
export function pollStart(poll: PollView, prefix: string): Record<string, unknown> {
  const fallback = [
    `Poll #${poll.id}: ${poll.question}`,
    ...poll.options.map((o, i) => `${i + 1}. ${o.label}`),
    `Vote in your client, or type: ${prefix}coop vote ${poll.id} <option>`,
  ].join('\n');
  return {
    [POLL_START]: {
      question: { [TEXT]: poll.question, body: poll.question },
      kind: poll.secret ? 'org.matrix.msc3381.poll.undisclosed' : 'org.matrix.msc3381.poll.disclosed',
      max_selections: 1,
      answers: poll.options.map((o, i) => ({ id: answerId(i), [TEXT]: o.label, body: o.label })),
    },
    [TEXT]: fallback,
    body: fallback,
    msgtype: 'm.text',
  };
}

export function pollEnd(poll: PollView, startEventId: string, style: MatrixStyle): Record<string, unknown> {
  const text = `Poll #${poll.id} has ${poll.status === 'cancelled' ? 'been cancelled' : 'closed'}: ${poll.outcome ?? ''}\n${pollSummary(poll, plainOptions(style)).join('\n')}`;
  return {
    'm.relates_to': { rel_type: 'm.reference', event_id: startEventId },
    [POLL_END]: {},
    [TEXT]: text,
    body: text,
  };
}

export function pollOfReply(reply: Reply): PollView | undefined {
  for (const b of reply.blocks) if (b.type === 'poll') return b.poll;
  return undefined;
}

/** Command text from a message: pills (links to matrix.to) become the user ids they name. */
export function commandText(content: Record<string, unknown>): string {
  const body = typeof content.body === 'string' ? content.body : '';
  const html = content.format === 'org.matrix.custom.html' && typeof content.formatted_body === 'string' ? content.formatted_body : null;
  if (!html) return body;
  return html
    .replace(/<mx-reply>[\s\S]*?<\/mx-reply>/g, '')
    .replace(/<a\s[^>]*href="https:\/\/matrix\.to\/#\/(@[^"?]+)[^"]*"[^>]*>[\s\S]*?<\/a>/g, (_m, id: string) => decodeURIComponent(id))
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
