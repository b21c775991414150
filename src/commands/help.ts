import { z } from 'zod';
import type { Group } from '../context.js';
import { defineCommand } from './define.js';

export function helpCommand(group: Group) {
  return defineCommand({
    group,
    words: ['help'],
    params: [{ name: 'command', optional: true, rest: true }],
    args: z.object({ command: z.string().max(80, 'a command name').optional() }),
    access: 'anyone',
    summary: group === 'service' ? 'List the service commands, or explain one.' : 'List the co-op commands, or explain one.',
    example: group === 'service' ? '/service help propose' : '/coop help member',
    async run(ctx, { command }) {
      return ctx.help(command ? command.trim().split(/\s+/) : []);
    },
  });
}
