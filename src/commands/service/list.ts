import { z } from 'zod';
import { isKind, isLevel, KIND_TITLES, LEVELS, SERVICE_KINDS } from '../../domain/service.js';
import { cmd, heading, list, para, privateReply, strong } from '../../reply/model.js';
import { defineCommand } from '../define.js';
import { LIST_PAGE, pageNumber } from '../args.js';

export const listServices = defineCommand({
  group: 'service',
  words: ['list'],
  params: [
    { name: 'filter', label: '[kind|level]', optional: true, accepts: (t) => !/^\d+$/.test(t) },
    { name: 'page', label: '[page]', optional: true },
  ],
  args: z.object({
    filter: z
      .string()
      .refine((v) => isKind(v) || isLevel(v), `a kind (${SERVICE_KINDS.join(', ')}) or a level (${LEVELS.join(', ')})`)
      .optional(),
    page: pageNumber.optional(),
  }),
  access: 'anyone',
  summary: 'List services by name, 40 at a time, optionally of one kind or at one level (retired ones only when asked).',
  example: '/service list infrastructure 2',
  async run(ctx, { filter, page = 1 }) {
    const where = filter === undefined ? {} : isKind(filter) ? { kind: filter } : isLevel(filter) ? { level: filter } : {};
    const { total, items } = await ctx.deps.store.read((r) => r.services.page(where, { offset: (page - 1) * LIST_PAGE, limit: LIST_PAGE }));
    if (total === 0) {
      return privateReply(para(filter ? `No ${filter} services.` : 'No services yet. Propose one with ', ...(filter ? [] : [cmd('service', 'propose <name> <kind> <summary…>'), '.'])));
    }
    const pages = Math.ceil(total / LIST_PAGE);
    if (items.length === 0) return privateReply(para(`There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of ${filter ?? ''} services; page ${page} is past the end.`.replace('  ', ' ')));
    const first = (page - 1) * LIST_PAGE + 1;
    const what = filter ? `${filter[0]?.toUpperCase()}${filter.slice(1)} services` : 'Services';
    return privateReply(
      heading(`${what} ${first}–${first + items.length - 1} of ${total}`),
      list(items.map((s) => [strong(s.name), ` (${s.level}) — ${KIND_TITLES[s.kind]}: ${s.summary}`])),
      ...(page < pages ? [para(`Page ${page} of ${pages}. Next: `, cmd('service', `list ${filter ? `${filter} ` : ''}${page + 1}`), '.')] : []),
    );
  },
});
