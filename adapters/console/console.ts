// The console adapter: one command a line, typed or piped; `as <name>` switches
// who is typing (identity console:<name>, mentioned as @<name>).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../src/app.js';
import type { Group, PlatformInfo } from '../../src/commands/context.js';
import type { Audience, Notifier } from '../../src/ports.js';
import type { Reply } from '../../src/reply/model.js';
import { renderPlain } from '../../src/reply/plain.js';

export const consolePlatform: PlatformInfo = {
  name: 'console',
  commandPrefix: (group: Group) => `/${group}`,
};

const NAME = /^[a-z][a-z0-9_-]{0,31}$/i;

export function renderForConsole(reply: Reply, who: string): string {
  const text = renderPlain(reply, { platform: 'console' });
  if (reply.visibility === 'public') return text;
  const mark = reply.outcome === 'error' ? `(only @${who} sees this) ✗ ` : `(only @${who} sees this) `;
  return `${mark}${text}`;
}

/** Prints every notification with whom it is for. */
export class ConsoleNotifier implements Notifier {
  constructor(private readonly out: Writable) {}
  async notify(audience: Audience, message: Reply): Promise<void> {
    const to =
      audience.kind === 'governance'
        ? 'governance room'
        : audience.kind === 'room'
          ? (audience.room ?? 'console')
          : (audience.identities.find((k) => k.startsWith('console:'))?.replace('console:', '@') ?? `member #${audience.memberId}`);
    this.out.write(`[to ${to}] ${renderPlain(message, { platform: 'console' })}\n`);
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
}

/** Reads commands until end of input. */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const { app, input, output, interactive } = opts;
  let user = opts.user.toLowerCase();
  const write = (text: string) => output.write(`${text}\n`);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const prompt = () => {
    if (interactive) {
      rl.setPrompt(`${user}> `);
      rl.prompt();
    }
  };
  if (interactive) {
    write(`Service maturity bot console. You are @${user}. Type /service help or /coop help; "as <name>" to switch person; Ctrl-D to leave.`);
  }
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      prompt();
      continue;
    }
    if (line === 'exit' || line === 'quit') break;
    const as = /^as\s+@?(\S+)$/.exec(line);
    if (as?.[1] !== undefined) {
      if (NAME.test(as[1])) {
        user = as[1].toLowerCase();
        write(`You are now @${user}.`);
      } else {
        write('✗ A console name is a letter followed by up to 31 letters, digits, _ or -. Example: as alice');
      }
      prompt();
      continue;
    }
    const cmd = /^[/!]?(service|coop)\b\s*([\s\S]*)$/i.exec(line);
    if (!cmd?.[1]) {
      write(`✗ Commands start with /service or /coop (or !service, !coop). Try /service help. To switch person: as <name>.`);
      prompt();
      continue;
    }
    const reply = await app.handle({
      group: cmd[1].toLowerCase() as Group,
      text: cmd[2] ?? '',
      actor: { platform: 'console', externalId: user },
      displayName: user,
      platform: consolePlatform,
    });
    write(renderForConsole(reply, user));
    prompt();
  }
  rl.close();
}
