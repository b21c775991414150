import { z } from 'zod';
import { mono, para, publicReply, strong } from '../../reply/model.js';
import { assessRequirement } from '../../usecases/assess-requirement.js';
import { storedCatalogue } from '../../usecases/bootstrap.js';
import { assessment, requirementKey, serviceName } from '../args.js';
import { defineCommand } from '../define.js';

export const assess = defineCommand({
  group: 'service',
  words: ['assess'],
  params: [{ name: 'name' }, { name: 'key', label: '<requirement-key>' }, { name: 'status', label: 'met|unmet|deviation' }, { name: 'note', optional: true, rest: true }],
  args: z.object({ name: serviceName, key: requirementKey, status: assessment, note: z.string().trim().max(1000, 'a note of at most 1000 characters').default('') }),
  access: 'maintainer',
  serviceArg: 'name',
  summary: 'Record whether a requirement is met, unmet, or a documented deviation (a deviation needs its reason).',
  example: '/service assess wiki live.monitoring deviation Uptime is watched by the hosting provider',
  async run(ctx, { name, key, status, note }) {
    const { requirement, before } = await assessRequirement({
      store: ctx.deps.store,
      catalogue: await ctx.deps.catalogue(),
      // The requirements the co-op approved for the next meeting can be assessed ahead of time.
      pending: await ctx.deps.store.read(async (r) => {
        const p = await r.catalogues.withStatus('pending');
        return p ? storedCatalogue(p) : null;
      }),
      actor: ctx.actor,
      now: ctx.now,
      name,
      key,
      status,
      note,
    });
    return publicReply(
      para(strong(name), ': ', mono(key), ` (${requirement.title}) is now `, strong(status), before && before !== status ? ` (was ${before})` : '', note ? ` — ${note}` : '', '.'),
    );
  },
});
