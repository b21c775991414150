import { z } from 'zod';
import { personView } from '../../reply/format.js';
import { para, person as personSpan, publicReply, strong } from '../../reply/model.js';
import { addMaintainer, removeMaintainer } from '../../usecases/change-maintainers.js';
import { oneOf, person, serviceName } from '../args.js';
import { defineCommand } from '../define.js';

export const maintainer = defineCommand({
  group: 'service',
  words: ['maintainer'],
  params: [{ name: 'name' }, { name: 'action', label: 'add|remove' }, { name: 'user', label: '<user>' }],
  args: z.object({ name: serviceName, action: oneOf(['add', 'remove']), user: person }),
  access: 'maintainer-or-board',
  serviceArg: 'name',
  summary: 'Add or remove a maintainer (a service always keeps at least one).',
  example: '/service maintainer wiki add @bob',
  async run(ctx, { name, action, user }) {
    const opts = { store: ctx.deps.store, actor: ctx.actor, now: ctx.now, name, person: user };
    if (action === 'add') {
      const m = await addMaintainer(opts);
      return publicReply(para(personSpan(personView(m)), ' now maintains ', strong(name), '.'));
    }
    const m = await removeMaintainer(opts);
    return publicReply(para(personSpan(personView(m)), ' no longer maintains ', strong(name), '.'));
  },
});
