import { z } from 'zod';
import { list, para, privateReply, strong } from '../../reply/model.js';
import { watchService, watching as watchedBy } from '../../usecases/watch-service.js';
import { serviceName } from '../args.js';
import { defineCommand } from '../define.js';

export const watch = defineCommand({
  group: 'service',
  words: ['watch'],
  params: [{ name: 'name' }],
  args: z.object({ name: serviceName }),
  access: 'anyone',
  summary: 'Be told by direct message when a service changes: its level, deficiencies, grace, descent, scrutiny, retirement.',
  example: '/service watch wiki',
  async run(ctx, { name }) {
    await watchService(ctx, name, true);
    return privateReply(para('You now watch ', strong(name), ': you will be told by direct message when it changes level, gets or resolves a deficiency, comes under scrutiny or is retired.'));
  },
});

export const unwatch = defineCommand({
  group: 'service',
  words: ['unwatch'],
  params: [{ name: 'name' }],
  args: z.object({ name: serviceName }),
  access: 'anyone',
  summary: 'Stop being told of a service’s changes.',
  example: '/service unwatch wiki',
  async run(ctx, { name }) {
    await watchService(ctx, name, false);
    return privateReply(para('You no longer watch ', strong(name), '.'));
  },
});

export const watching = defineCommand({
  group: 'service',
  words: ['watching'],
  params: [],
  args: z.object({}),
  access: 'anyone',
  summary: 'The services you watch.',
  example: '/service watching',
  async run(ctx) {
    const services = await watchedBy(ctx);
    if (services.length === 0) return privateReply(para('You watch no service.'));
    return privateReply(para(`You watch ${services.length === 1 ? '1 service' : `${services.length} services`}:`), list(services.map((s) => `${s.name} (${s.level})`)));
  },
});
