// The console adapter: one command a line, typed or piped; `as <name>` switches
// who is typing (identity console:<name>, mentioned as @<name>).
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../src/app.js';
import type { Group, PlatformInfo } from '../../src/context.js';
import type { Audience, Notifier } from '../../src/ports.js';
import { mkdir } from 'node:fs/promises';
import { writeDocument } from '../../src/documents.js';
import path from 'node:path';
import { documentFileName, documentHead, para, type Block, type Reply } from '../../src/reply/model.js';
import { renderPlain } from '../../src/reply/plain.js';
import { nextTurn } from '../../src/pace.js';

export const consolePlatform: PlatformInfo = {
  name: 'console',
  commandPrefix: (group: Group) => `/${group}`,
};

const NAME = /^[a-z][a-z0-9_-]{0,31}$/i;

/**
 * The terminal's escaper: a control or direction character (from data stored before the
 * input gate, or anywhere else) is shown as a visible escape, never sent to the terminal.
 */
export function forTerminal(text: string): string {
  return text.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, (c) =>
    c === '\t' ? ' ' : `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
}

export function renderForConsole(reply: Reply, who: string): string {
  const text = forTerminal(renderPlain(reply, { platform: 'console' }));
  if (reply.visibility === 'public') return text;
  const mark = reply.outcome === 'error' ? `(only @${who} sees this) ✗ ` : `(only @${who} sees this) `;
  return `${mark}${text}`;
}

/** Prints every notification with whom it is for. */
export class ConsoleNotifier implements Notifier {
  readonly platform = 'console';
  constructor(private readonly out: Writable) {}
  async notify(audience: Audience, message: Reply): Promise<void> {
    const to =
      audience.kind === 'governance'
        ? 'governance room'
        : audience.kind === 'room'
          ? (audience.room ?? 'console')
          : (audience.identities.find((k) => k.startsWith('console:'))?.replace('console:', '@') ?? `member #${audience.memberId}`);
    this.out.write(`[to ${forTerminal(to)}] ${forTerminal(renderPlain(message, { platform: 'console' }))}\n`);
  }
}

export interface ConsoleOptions {
  app: App;
  input: Readable;
  output: Writable;
  /** Who is typing at the start. */
  user: string;
  /** Show a prompt (when a person is typing at a terminal). */
  interactive: boolean;
  /** Where whole documents (the AGM report) are written: beside the database. */
  filesDir?: string;
}

/** Handles console lines one at a time; returns what to print (null: nothing). */
export class ConsoleSession {
  constructor(
    private readonly app: App,
    public user: string,
    /** Where whole documents (the AGM report) are written; printed whole when unset. */
    private readonly filesDir?: string,
  ) {
    this.user = user.toLowerCase();
  }

  /**
   * A document goes whole into a file beside the database (only the bot's user can read
   * it); the screen shows its head (what the meeting must decide) and where the file is.
   */
  async #deliverDocuments(reply: Reply): Promise<Reply> {
    const dir = this.filesDir;
    if (!reply.blocks.some((b) => b.type === 'document')) return reply;
    const blocks: Block[] = [];
    for (const b of reply.blocks) {
      if (b.type !== 'document') blocks.push(b);
      else if (b.url) blocks.push({ type: 'code', text: documentHead(b.markdown) }, para(`The whole document: ${b.url}`));
      else if (!b.whole || !dir) blocks.push({ type: 'code', text: documentHead(b.markdown) });
      else {
        // Made section by section into the file, never whole in memory.
        const stamp = this.app.deps.clock.now().toISOString().replace(/[:.]/g, '-').slice(0, 19);
        const file = path.join(dir, documentFileName(`${b.title} ${stamp}`));
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeDocument(this.app.documentSections(b.whole), file);
        blocks.push({ type: 'code', text: documentHead(b.markdown) }, para(`The whole document is in ${file}`));
      }
    }
    return { ...reply, blocks };
  }

  async line(raw: string): Promise<string | null> {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return null;
    const as = /^as\s+@?(\S+)$/.exec(line);
    if (as?.[1] !== undefined) {
      if (!NAME.test(as[1])) return '✗ A console name is a letter followed by up to 31 letters, digits, _ or -. Example: as alice';
      this.user = as[1].toLowerCase();
      return `You are now @${this.user}.`;
    }
    const cmd = /^[/!]?(service|coop)\b\s*([\s\S]*)$/i.exec(line);
    const group = cmd?.[1]?.toLowerCase();
    if (group !== 'service' && group !== 'coop') {
      return '✗ Commands start with /service or /coop (or !service, !coop). Try /service help. To switch person: as <name>.';
    }
    const reply = await this.app.handle({
      group,
      text: cmd?.[2] ?? '',
      actor: { platform: 'console', externalId: this.user },
      displayName: this.user,
      platform: consolePlatform,
    });
    return renderForConsole(await this.#deliverDocuments(reply), this.user);
  }
}

/** How long the console may keep the event loop before it lets timers, sockets and pages in. */
export const CONSOLE_SLICE_MS = 20;


/**
 * Reads commands until end of input (or `exit`). Returns how many lines it read.
 * Piped input arrives in large chunks whose lines would otherwise be handled in one
 * unbroken chain of promises: every CONSOLE_SLICE_MS it waits one turn of the event loop,
 * so the minute tick, web requests and chat acks go on during a long batch; and it waits
 * for the output to drain, so a slow reader does not make the bot buffer every answer.
 */
export async function runConsole(opts: ConsoleOptions): Promise<{ lines: number }> {
  const { app, input, output, interactive } = opts;
  const session = new ConsoleSession(app, opts.user, opts.filesDir);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt(`${session.user}> `);
    rl.prompt();
  };
  if (interactive) {
    output.write(`Service maturity bot console. You are @${session.user}. Type /service help or /coop help; "as <name>" to switch person; Ctrl-D to leave. The log is in bot.log beside the database.\n`);
  }
  prompt();
  let lines = 0;
  let sliceStart = Date.now();
  for await (const raw of rl) {
    lines++;
    if (/^\s*(exit|quit)\s*$/.test(raw)) break;
    const printed = await session.line(raw);
    if (printed !== null && !output.write(`${printed}\n`)) await once(output, 'drain');
    prompt();
    if (Date.now() - sliceStart >= CONSOLE_SLICE_MS) {
      await nextTurn();
      sliceStart = Date.now();
    }
  }
  rl.close();
  return { lines };
}
