import { z } from 'zod';
import { para, publicReply, strong } from '../../reply/model.js';
import { retireService } from '../../usecases/retire-service.js';
import { serviceName, text } from '../args.js';
import { defineCommand } from '../define.js';

export const retire = defineCommand({
  group: 'service',
  words: ['retire'],
  params: [{ name: 'name' }, { name: 'reason', rest: true }],
  args: z.object({ name: serviceName, reason: text('the reason', 1000) }),
  access: 'maintainer-or-board',
  serviceArg: 'name',
  summary: 'Retire a service; its record stays readable.',
  example: '/service retire pastebin Nobody has used it for a year',
  async run(ctx, { name, reason }) {
    const { from, usedBy } = await retireService({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, name, reason });
    const blocks = [para(strong(name), ` is retired (it was ${from}): ${reason}`)];
    if (usedBy.length > 0) blocks.push(para(`Services built on it should find another base: ${usedBy.join(', ')}.`));
    return publicReply(...blocks);
  },
});
