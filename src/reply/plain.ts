// Renders a reply as plain text: the console's output and the fallback body
// on platforms with rich formatting.
import { formatDateTime } from './format.js';
import { documentFileName, documentHead, type Block, type CommandRef, type Group, type PersonView, type PollView, type Reply, type Span } from './model.js';

export interface PlainOptions {
  /** The platform whose mentions to prefer when naming people. */
  platform?: string;
  /** How a command of a group starts on this platform (default `/service`, `/coop`). */
  prefix?: (group: Group) => string;
  /** The co-op's time zone, for poll deadlines. */
  timezone?: string;
}

export const slashPrefix = (group: Group): string => `/${group}`;

/** A command as a person copies it on a platform: `/service resolve 3 <how>`. */
export function commandText(c: CommandRef, prefix: (group: Group) => string = slashPrefix): string {
  return `${prefix(c.group)} ${c.text}`.trimEnd();
}

export function personLabel(p: PersonView, platform?: string): string {
  const own = platform ? p.identities.find((k) => k.startsWith(`${platform}:`)) : undefined;
  if (own && platform === 'console') return `@${own.slice('console:'.length)}`;
  if (own && platform === 'matrix') return own.slice('matrix:'.length);
  return `@${p.name}`;
}

export function spanText(span: Span, o: PlainOptions = {}): string {
  if (typeof span === 'string') return span;
  if ('strong' in span) return span.strong;
  if ('code' in span) return `\`${span.code}\``;
  if ('command' in span) return `\`${commandText(span.command, o.prefix)}\``;
  return personLabel(span.person, o.platform);
}

const spansText = (spans: Span[], o: PlainOptions) => spans.map((s) => spanText(s, o)).join('');

/** What a yes to a verification poll approves, one line a requirement; deviations stand out. */
export function requirementLines(poll: Pick<PollView, 'requirements'>): string[] {
  if (!poll.requirements || poll.requirements.length === 0) return [];
  return [
    'What a yes approves (the requirements as assessed when the poll opened):',
    ...poll.requirements.map((r) =>
      r.status === 'deviation'
        ? `  ⚠ ${r.key} ${r.title}: DEVIATION, agreed by a yes — ${r.note}`
        : `  ${r.status === 'met' ? '✓' : '✗'} ${r.key} ${r.title}: ${r.status}${r.note ? ` — ${r.note}` : ''}`,
    ),
  ];
}

export function pollSummary(poll: PollView, o: PlainOptions = {}): string[] {
  const lines = [`Poll #${poll.id}: ${poll.question}`, ...requirementLines(poll).map((l) => `  ${l}`)];
  for (const opt of poll.options) {
    const names = opt.voters && opt.voters.length > 0 ? ` (${opt.voters.map((v) => personLabel(v, o.platform)).join(', ')})` : '';
    lines.push(opt.votes === null ? `  ${opt.label}` : `  ${opt.label}: ${opt.votes}${names}`);
  }
  lines.push(`  ${poll.turnout} of ${poll.electorate} voted; quorum ${poll.quorum}${poll.secret ? `; secret ballot${poll.status === 'open' ? ', counted when it closes' : ''}` : ''}`);
  if (poll.status === 'open') lines.push(`  closes ${formatDateTime(poll.closesAt, o.timezone ?? 'UTC')}`);
  else lines.push(`  ${poll.status}${poll.outcome ? `: ${poll.outcome}` : ''}`);
  return lines;
}

function blockText(block: Block, o: PlainOptions): string {
  switch (block.type) {
    case 'heading':
      return block.text;
    case 'paragraph':
      return spansText(block.spans, o);
    case 'fields': {
      const width = Math.max(...block.fields.map((f) => f.label.length));
      return block.fields.map((f) => `${`${f.label}:`.padEnd(width + 2)}${spansText(f.value, o)}`).join('\n');
    }
    case 'list':
      return block.items.map((i) => `  - ${spansText(i, o)}`).join('\n');
    case 'code':
      return block.text
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
    case 'poll':
      return pollSummary(block.poll, o).join('\n');
    case 'document':
      // A message carries the head; adapters deliver the whole as a file (or a page).
      return `${documentHead(block.markdown)}\n\n${block.url ? `(The whole document: ${block.url})` : `(The whole document follows as a file, ${documentFileName(block.title)}.)`}`;
  }
}

export function renderPlain(reply: Reply, o: PlainOptions = {}): string {
  return reply.blocks.map((b) => blockText(b, o)).join('\n');
}
