// The platform-neutral reply. Executors build it; adapters render it
// (Block Kit on Slack, HTML with a plain body on Matrix, text on the console).
// Text is always plain: renderers escape it for their format.

/** A person as the reply names them; renderers pick the identity of their platform. */
export interface PersonView {
  memberId: number;
  name: string;
  /** `platform:externalId` keys. */
  identities: string[];
}

/** The two command groups: `/service …` and `/coop …` (`!service`, `!coop` on Matrix). */
export type Group = 'service' | 'coop';

/**
 * A command a person can copy, without its prefix: `{ group: 'service', text: 'resolve 3 <how>' }`.
 * Each platform writes its own prefix when it renders (`/service`, `!service`).
 */
export interface CommandRef {
  group: Group;
  text: string;
}

export type Span = string | { strong: string } | { code: string } | { person: PersonView } | { command: CommandRef };

export interface PollOptionView {
  id: string;
  label: string;
  /** null while a secret ballot is open: only the turnout is shown, so the order of votes reveals nothing. */
  votes: number | null;
  voters?: PersonView[];
}

export interface PollView {
  id: number;
  question: string;
  kind: 'general' | 'verification' | 'requirements';
  status: 'open' | 'closed' | 'cancelled';
  closesAt: Date;
  secret: boolean;
  options: PollOptionView[];
  turnout: number;
  electorate: number;
  quorum: number;
  outcome?: string;
  /** A verification poll: the target level's requirements as assessed when it opened. A yes agrees the deviations among them. */
  requirements?: { key: string; title: string; status: string; note: string }[];
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; spans: Span[] }
  | { type: 'fields'; fields: { label: string; value: Span[] }[] }
  | { type: 'list'; items: Span[][] }
  | { type: 'code'; text: string }
  | { type: 'poll'; poll: PollView }
  /**
   * A document in Markdown (the AGM report): `markdown` is its head, which messages show.
   * The whole is at `url` (the web pages), or, with `whole`, adapters write it section by
   * section into a file and send that (`App.documentSections`).
   */
  | { type: 'document'; title: string; markdown: string; url?: string; whole?: DocumentSource };

/** A whole document, made when it is delivered: the AGM report as of a moment. */
export interface DocumentSource {
  kind: 'agm-report';
  /** ISO time the report is as of (the command's). */
  asOf: string;
}

export interface Reply {
  /** private: only the person who typed sees it (Slack ephemeral); public: the room sees it. */
  visibility: 'private' | 'public';
  /**
   * error: nothing was changed and the person should fix their input.
   * duplicate: this inbound event was handled before (a redelivery); send nothing.
   */
  outcome: 'ok' | 'error' | 'duplicate';
  blocks: Block[];
  /** Must never be shown to anyone else (a one-time link code): platforms without private replies send it in a direct message. */
  secret?: boolean;
}

export const heading = (text: string): Block => ({ type: 'heading', text });
export const para = (...spans: Span[]): Block => ({ type: 'paragraph', spans });
export const fields = (...entries: [string, Span | Span[]][]): Block => ({
  type: 'fields',
  fields: entries.map(([label, value]) => ({ label, value: Array.isArray(value) ? value : [value] })),
});
export const list = (items: (Span | Span[])[]): Block => ({ type: 'list', items: items.map((i) => (Array.isArray(i) ? i : [i])) });
export const code = (text: string): Block => ({ type: 'code', text });
export const strong = (text: string): Span => ({ strong: text });
export const mono = (text: string): Span => ({ code: text });
export const person = (p: PersonView): Span => ({ person: p });
/** A whole command to copy: `cmd('service', 'resolve 3 <how>')`. */
export const cmd = (group: Group, text: string): Span => ({ command: { group, text } });

export const privateReply = (...blocks: Block[]): Reply => ({ visibility: 'private', outcome: 'ok', blocks });
export const publicReply = (...blocks: Block[]): Reply => ({ visibility: 'public', outcome: 'ok', blocks });
export const errorReply = (...blocks: Block[]): Reply => ({ visibility: 'private', outcome: 'error', blocks });

/** Joins spans with a separator, for lists of people or names. */
export function joinSpans(items: Span[], sep = ', '): Span[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [sep, item]));
}

/**
 * The head of a Markdown document: its title, introduction and first `##` section (for the
 * AGM report, what the meeting must decide), for a chat message that carries the whole
 * document as a file or a link.
 */
export function documentHead(markdown: string): string {
  const lines = markdown.split('\n');
  let sections = 0;
  const head: string[] = [];
  for (const line of lines) {
    if (line.startsWith('## ') && ++sections === 2) break;
    head.push(line);
  }
  return head.join('\n').trim();
}

/** A file name for a document: its title in lowercase words, as Markdown. */
export function documentFileName(title: string): string {
  return `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'document'}.md`;
}

/** Items a co-op-wide message lists at most; the rest are counted, with where to see them all. */
export const MESSAGE_ITEMS = 20;

/**
 * A list that does not grow with the co-op: at most `limit` items, then "And N more."
 * with where to find them all (every chat message a whole co-op could fill uses it).
 * `total` is how many there are, when only the first were selected.
 */
export function cappedList(items: (string | Span[])[], more: Span[], limit = MESSAGE_ITEMS, total = items.length): Block[] {
  const shown = list(items.slice(0, limit).map((i) => (typeof i === 'string' ? [i] : i)));
  return total > limit ? [shown, para(`And ${total - limit} more. `, ...more)] : [shown];
}
