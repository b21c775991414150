// Builds dispatch and help from the command declarations, in one pass.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ForbiddenError, UserError, unknownService } from '../domain/errors.js';
import { maintains } from '../domain/service.js';
import { cleanText } from '../domain/text.js';
import { senderWithinRate } from '../usecases/limits.js';
import type { IdentityRef } from '../domain/identity.js';
import { code, errorReply, heading, list, mono, para, privateReply, type Reply, type Span, cmd } from '../reply/model.js';
import type { CommandContext, CoreDeps, Group, PlatformInfo } from '../context.js';
import type { CommandOutcome } from '../metrics.js';
import type { Store } from '../ports.js';
import { ACCESS_TEXT, paramLabel, usageOf, type CommandSpec } from './define.js';
import { pointAt, tokenize, type Token } from './grammar.js';

export interface CommandInput {
  group: Group;
  /** The text after `/service` or `!coop`. */
  text: string;
  actor: IdentityRef;
  displayName?: string;
  room?: string;
  platform: PlatformInfo;
  /**
   * An inbound event's key (a Matrix event id). It is claimed in the same transaction
   * as the command's first change, so that a redelivered event changes nothing twice.
   */
  idempotencyKey?: string;
}

class AlreadyHandled extends Error {}

/** A store whose first write also claims `key`, atomically with the change. */
function claimingStore(store: Store, key: string, now: Date): Store {
  let claimed = false;
  return {
    read: (fn) => store.read(fn),
    append: (fn) => store.append(fn),
    write: (fn) =>
      store.write(async (r) => {
        if (!claimed && !(await r.events.claim(key, now))) throw new AlreadyHandled();
        const result = await fn(r);
        claimed = true;
        return result;
      }),
  };
}

export class CommandTable {
  readonly #byGroup = new Map<Group, CommandSpec[]>();

  constructor(readonly specs: readonly CommandSpec[]) {
    const seen = new Set<string>();
    for (const spec of specs) {
      const key = `${spec.group} ${spec.words.join(' ')}`;
      if (seen.has(key)) throw new Error(`Two commands are declared as "${key}"`);
      seen.add(key);
      if ((spec.access === 'maintainer' || spec.access === 'maintainer-or-board') && !spec.serviceArg) {
        throw new Error(`"${key}" needs serviceArg for maintainer access`);
      }
      this.#byGroup.set(spec.group, [...(this.#byGroup.get(spec.group) ?? []), spec]);
    }
  }

  commands(group: Group): CommandSpec[] {
    return this.#byGroup.get(group) ?? [];
  }

  /** The command whose words match the start of `tokens`, preferring the longest. */
  find(group: Group, tokens: readonly Token[]): CommandSpec | undefined {
    let best: CommandSpec | undefined;
    for (const spec of this.commands(group)) {
      const matches = spec.words.every((w, i) => tokens[i]?.value.toLowerCase() === w && !tokens[i]?.quoted);
      if (matches && (!best || spec.words.length > best.words.length)) best = spec;
    }
    return best;
  }

  async handle(raw: CommandInput, deps: CoreDeps): Promise<Reply> {
    const started = performance.now();
    const handled = await this.#handle(raw, deps);
    deps.metrics.command(handled.command, raw.platform.name, handled.outcome, (performance.now() - started) / 1000);
    return handled.reply;
  }

  async #handle(raw: CommandInput, deps: CoreDeps): Promise<{ reply: Reply; command: string; outcome: CommandOutcome }> {
    // The one gate: everything a person typed is cleaned here, before any command sees it.
    const input: CommandInput = {
      ...raw,
      text: cleanText(raw.text, { multiline: true }),
      ...(raw.displayName !== undefined ? { displayName: cleanText(raw.displayName).trim().slice(0, 80) } : {}),
    };
    const prefix = input.platform.commandPrefix(input.group);
    // The command's name as metrics label it: only declared words, never what a person typed.
    let command = `${input.group} unknown`;
    try {
      const tokens = tokenize(input.text);
      if (tokens.length === 0) return { reply: this.help(input.group, [], input.platform), command: `${input.group} help`, outcome: 'ok' };
      const spec = this.find(input.group, tokens);
      if (!spec) {
        const word = tokens[0]?.value ?? '';
        throw new UserError(`There is no command \`${prefix} ${word.slice(0, 40)}\`. For a list of commands, try \`${prefix} help\`.`);
      }
      command = `${input.group} ${spec.words.join(' ')}`;
      const args = bindArgs(spec, input.text, tokens, prefix);
      const now = deps.clock.now();
      const member = await senderWithinRate(deps, input.actor, now);
      const ctx: CommandContext = {
        actor: { identity: input.actor, member, displayName: input.displayName },
        platform: input.platform,
        room: input.room,
        now,
        deps: input.idempotencyKey ? { ...deps, store: claimingStore(deps.store, input.idempotencyKey, now) } : deps,
        help: (words) => this.help(input.group, words, input.platform),
      };
      await checkAccess(spec, ctx, args, prefix);
      return { reply: await spec.run(ctx, args), command, outcome: 'ok' };
    } catch (e) {
      if (e instanceof UserError) return { reply: userErrorReply(e), command, outcome: 'refused' };
      if (e instanceof AlreadyHandled) return { reply: { visibility: 'private', outcome: 'duplicate', blocks: [] }, command, outcome: 'duplicate' };
      const ref = randomUUID().slice(0, 8);
      deps.logger.error('command failed', { ref, command, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      return {
        reply: errorReply(para(`Sorry, the bot hit a problem of its own handling that (reference ${ref}); nothing was changed. Please try again, or tell the board if it keeps happening.`)),
        command,
        outcome: 'failed',
      };
    }
  }

  /** `help` for a group, or for one command (`help propose`, `help meeting move`). */
  help(group: Group, words: readonly string[], platform: PlatformInfo): Reply {
    const prefix = platform.commandPrefix(group);
    const wanted = words.map((w) => w.toLowerCase());
    if (wanted.length > 0) {
      const specs = this.commands(group).filter((s) => wanted.every((w, i) => s.words[i] === w));
      if (specs.length === 0) {
        throw new UserError(`There is no command \`${prefix} ${wanted.join(' ').slice(0, 40)}\`. For a list of commands, try \`${prefix} help\`.`);
      }
      return privateReply(
        ...specs.flatMap((s) => [
          code(usageOf(s, prefix)),
          para(s.summary),
          para('Who: ', s.who ?? ACCESS_TEXT[s.access], '. Example: ', mono(s.example.replace(/^\S+/, prefix))),
        ]),
      );
    }
    const other: Group = group === 'service' ? 'coop' : 'service';
    return privateReply(
      heading(`${prefix} commands`),
      list(this.commands(group).map((s): Span[] => [mono(usageOf(s, prefix)), ` — ${s.summary}`])),
      para('Details of one command: ', cmd(group, 'help <command>'), `. ${other === 'coop' ? 'Co-op' : 'Service'} commands: `, cmd(other, 'help'), '.'),
    );
  }
}

function bindArgs(spec: CommandSpec, text: string, tokens: readonly Token[], prefix: string): unknown {
  const usage = usageOf(spec, prefix);
  const values: Record<string, string> = {};
  const at: Record<string, number> = {};
  let ti = spec.words.length;
  for (const p of spec.params) {
    const tok = tokens[ti];
    if (!tok) {
      if (!p.optional) {
        const shown = paramLabel(p);
        throw new UserError(`Missing ${shown}.`, { usage, pointer: pointAt(`${prefix} ${text.trimEnd()} `, prefix.length + text.trimEnd().length + 2, `expected ${shown} here`) });
      }
      continue;
    }
    if (p.rest) {
      const last = tokens[tokens.length - 1] as Token;
      values[p.name] = tokens.length - ti === 1 && tok.quoted ? tok.value : text.slice(tok.start, last.end);
      at[p.name] = tok.start;
      ti = tokens.length;
      break;
    }
    if (p.optional && p.accepts && !p.accepts(tok.value)) continue;
    values[p.name] = tok.value;
    at[p.name] = tok.start;
    ti++;
  }
  const extra = tokens[ti];
  if (extra) {
    throw new UserError(`Unexpected \`${extra.value.slice(0, 40)}\` after the command.`, { usage, pointer: pointAt(`${prefix} ${text}`, prefix.length + 1 + extra.start, 'nothing expected here') });
  }
  const parsed = spec.args.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const name = String(issue.path[0] ?? '');
  const param = spec.params.find((p) => p.name === name);
  const shown = param ? paramLabel(param) : `<${name}>`;
  const raw = values[name];
  const offset = at[name];
  if (raw === undefined || offset === undefined) {
    throw new UserError(`Missing ${shown}: expected ${issue.message}.`, { usage });
  }
  throw new UserError(`\`${raw.slice(0, 60)}${raw.length > 60 ? '…' : ''}\` is not right for ${shown}: expected ${issue.message}.`, {
    usage,
    pointer: pointAt(`${prefix} ${text}`, prefix.length + 1 + offset, `expected ${shown} here`),
  });
}

async function checkAccess(spec: CommandSpec, ctx: CommandContext, args: unknown, prefix: string): Promise<void> {
  const m = ctx.actor.member;
  const joinHint = ['Ask the board to add you with ', cmd('coop', 'member add <user>'), '.'];
  switch (spec.access) {
    case 'anyone':
      return;
    case 'member':
      if (!m?.isMember) throw new ForbiddenError(['Only co-op members can use ', mono(`${prefix} ${spec.words.join(' ')}`), '. ', ...joinHint]);
      return;
    case 'board':
      if (!m?.isBoard) throw new ForbiddenError(`Only the board can use \`${prefix} ${spec.words.join(' ')}\`.`);
      return;
    case 'maintainer':
    case 'maintainer-or-board': {
      const name = String((args as Record<string, unknown>)[spec.serviceArg as string]);
      const service = await ctx.deps.store.read((r) => r.services.byName(name));
      if (!service) throw unknownService(name);
      if (maintains(m, service.maintainers)) return;
      if (spec.access === 'maintainer-or-board' && m?.isBoard) return;
      const who = spec.access === 'maintainer' ? `maintainers of ${name}` : `maintainers of ${name} or the board`;
      throw new ForbiddenError(`Only ${who} can use \`${prefix} ${spec.words.join(' ')}\` on it.`);
    }
  }
}

function userErrorReply(e: UserError): Reply {
  const blocks = [para(...e.spans)];
  if (e.detail.items) blocks.push(list(e.detail.items));
  if (e.detail.pointer) blocks.push(code(e.detail.pointer));
  if (e.detail.usage) blocks.push(para('Usage: ', mono(e.detail.usage)));
  return errorReply(...blocks);
}
