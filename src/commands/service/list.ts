import { z } from 'zod';
import { isKind, isLevel, KIND_TITLES, LEVELS, SERVICE_KINDS } from '../../domain/service.js';
import { heading, list, para, privateReply, strong, type Block, cmd } from '../../reply/model.js';
import { defineCommand } from '../define.js';

export const listServices = defineCommand({
  group: 'service',
  words: ['list'],
  params: [{ name: 'filter', label: 'kind|level', optional: true }],
  args: z.object({
    filter: z
      .string()
      .refine((v) => isKind(v) || isLevel(v), `a kind (${SERVICE_KINDS.join(', ')}) or a level (${LEVELS.join(', ')})`)
      .optional(),
  }),
  access: 'anyone',
  summary: 'List services, optionally of one kind or at one level (retired ones only when asked).',
  example: '/service list infrastructure',
  async run(ctx, { filter }) {
    const services = await ctx.deps.store.read((r) =>
      r.services.list(filter === undefined ? {} : isKind(filter) ? { kind: filter } : isLevel(filter) ? { level: filter } : {}),
    );
    const shown = filter === 'retired' ? services : services.filter((s) => s.level !== 'retired');
    if (shown.length === 0) {
      return privateReply(para(filter ? `No ${filter} services.` : 'No services yet. Propose one with ', ...(filter ? [] : [cmd('service', 'propose <name> <kind> <summary…>'), '.'])));
    }
    const blocks: Block[] = [];
    for (const level of [...LEVELS].reverse()) {
      const at = shown.filter((s) => s.level === level);
      if (at.length === 0) continue;
      blocks.push(heading(`${level[0]?.toUpperCase()}${level.slice(1)} (${at.length})`));
      blocks.push(list(at.map((s) => [strong(s.name), ` — ${KIND_TITLES[s.kind]}: ${s.summary}`])));
    }
    return privateReply(...blocks);
  },
});
