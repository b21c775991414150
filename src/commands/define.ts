// Commands are data: words, parameters, an argument schema, who may run them,
// a summary and an example. Dispatch and help are both built from this table.
import type { z } from 'zod';
import type { Reply } from '../reply/model.js';
import type { CommandContext, Group } from '../context.js';

/**
 * anyone; member: on the roster; board; maintainer: of the service named by
 * `serviceArg`; maintainer-or-board: either.
 */
export type Access = 'anyone' | 'member' | 'board' | 'maintainer' | 'maintainer-or-board';

export const ACCESS_TEXT: Record<Access, string> = {
  anyone: 'anyone',
  member: 'co-op members',
  board: 'the board',
  maintainer: "the service's maintainers",
  'maintainer-or-board': "the service's maintainers and the board",
};

export interface ParamSpec {
  name: string;
  /** Shown in usage instead of `<name>`, e.g. `add|remove`. */
  label?: string;
  optional?: boolean;
  /** Takes the rest of the line. */
  rest?: boolean;
  /** For an optional parameter followed by others: does this token belong to it? */
  accepts?: (token: string) => boolean;
}

export interface CommandSpec<S extends z.ZodType = z.ZodType> {
  group: Group;
  words: readonly string[];
  params: readonly ParamSpec[];
  args: S;
  access: Access;
  /** The argument that names the service, for maintainer access. */
  serviceArg?: string;
  /** Who may run it, in help, when the executor checks access itself. */
  who?: string;
  summary: string;
  example: string;
  run(ctx: CommandContext, args: z.output<S>): Promise<Reply>;
}

/** Declares a command; the generic ties `run`'s arguments to the schema. */
export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): CommandSpec {
  return spec as unknown as CommandSpec;
}

/** How a parameter is shown: `<name>`, `<summary…>`, `add|remove`, `[note…]`. */
export function paramLabel(p: ParamSpec): string {
  const bare = p.label ?? `${p.name}${p.rest ? '…' : ''}`;
  if (p.optional) return bare.startsWith('[') ? bare : `[${bare.replace(/^<(.*)>$/, '$1')}]`;
  return p.label ? bare : `<${bare}>`;
}

export function usageOf(spec: Pick<CommandSpec, 'words' | 'params'>, prefix: string): string {
  return [prefix, ...spec.words, ...spec.params.map(paramLabel)].join(' ');
}
