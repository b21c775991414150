import { z } from 'zod';
import { KIND_TITLES, nextLevel } from '../../domain/service.js';
import { mono, para, person, publicReply, strong } from '../../reply/model.js';
import { personView } from '../../reply/format.js';
import { proposeService } from '../../usecases/propose-service.js';
import { kind, serviceName, text } from '../args.js';
import { defineCommand } from '../define.js';

export const propose = defineCommand({
  group: 'service',
  words: ['propose'],
  params: [{ name: 'name' }, { name: 'kind' }, { name: 'summary', rest: true }],
  args: z.object({ name: serviceName, kind, summary: text('a one-line summary', 200) }),
  access: 'member',
  summary: 'Propose a new service; you become its first maintainer.',
  example: '/service propose wiki user A wiki for the co-op\'s shared knowledge',
  async run(ctx, args) {
    const service = await proposeService({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, ...args });
    const by = service.maintainers[0];
    const prefix = ctx.platform.commandPrefix('service');
    return publicReply(
      para('New service ', strong(service.name), ` (${KIND_TITLES[service.kind]}) proposed by `, by ? person(personView(by)) : 'a member', ': ', service.summary),
      para(`It starts at proposed. Next: ${nextLevel('proposed')}; see what that needs with `, mono(`${prefix} info ${service.name}`), '.'),
    );
  },
});
