import { z } from 'zod';
import { UserError } from '../../domain/errors.js';
import { para, publicReply, strong, cmd } from '../../reply/model.js';
import { setServiceText, setServiceUses } from '../../usecases/edit-service.js';
import { oneOf, serviceList, serviceName, text } from '../args.js';
import { defineCommand } from '../define.js';

const LIMITS = { summary: 200, provides: 1000, principles: 1000, uses: 1000 } as const;

export const set = defineCommand({
  group: 'service',
  words: ['set'],
  params: [{ name: 'name' }, { name: 'field', label: 'summary|provides|principles|uses' }, { name: 'value', rest: true }],
  args: z
    .object({ name: serviceName, field: oneOf(['summary', 'provides', 'principles', 'uses']), value: text('a value', 1000) })
    .superRefine((a, ctx) => {
      if (a.value.length > LIMITS[a.field]) ctx.addIssue({ code: 'custom', path: ['value'], message: `a ${a.field} of at most ${LIMITS[a.field]} characters` });
    }),
  access: 'maintainer-or-board',
  serviceArg: 'name',
  summary: "Change part of a service's card; `uses` takes service names separated by commas (or none).",
  example: '/service set wiki uses postgres, backups',
  async run(ctx, { name, field, value }) {
    const acting = { store: ctx.deps.store, actor: ctx.actor, now: ctx.now, name };
    if (field === 'uses') {
      const uses = serviceList.safeParse(value);
      if (!uses.success) throw new UserError(`Expected ${uses.error.issues[0]?.message ?? 'service names separated by commas'}.`);
      const { before, after } = await setServiceUses({ ...acting, uses: uses.data });
      return publicReply(
        para(strong(name), ' now uses ', after.length > 0 ? after.join(', ') : 'no other service', before.length > 0 ? ` (was: ${before.join(', ')}).` : '.'),
      );
    }
    await setServiceText({ ...acting, field, value });
    return publicReply(para(strong(name), `'s ${field} is now: ${value}`), para('See the card with ', cmd('service', `info ${name}`), '.'));
  },
});
