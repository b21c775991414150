import { z } from 'zod';
import { para, publicReply, strong } from '../../reply/model.js';
import { pluralWas } from '../../reply/format.js';
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
    const done = await retireService(ctx, { name, reason });
    const blocks = [para(strong(name), ` is retired (it was ${done.from}): ${reason}`)];
    if (done.cancelledPoll) blocks.push(para(`Its verification poll #${done.cancelledPoll.id} is cancelled.`));
    if (done.closed.length > 0) blocks.push(para(`${pluralWas(done.closed.length, 'open deficiency', 'open deficiencies')} closed: ${done.closed.map((id) => `#${id}`).join(', ')}.`));
    if (done.scrutiny.length > 0) {
      blocks.push(para(`Under scrutiny, with a deficiency each (their maintainers have been told): ${done.scrutiny.map((s) => `${s.name} (#${s.deficiency.id})`).join(', ')}.`));
    }
    return publicReply(...blocks);
  },
});
