import { z } from 'zod';
import { mono, para, publicReply, strong } from '../../reply/model.js';
import { confirmDeviation } from '../../usecases/confirm-deviation.js';
import { requirementKey, serviceName } from '../args.js';
import { defineCommand } from '../define.js';

export const confirm = defineCommand({
  group: 'service',
  words: ['confirm'],
  params: [{ name: 'name' }, { name: 'key', label: '<requirement-key>' }],
  args: z.object({ name: serviceName, key: requirementKey }),
  access: 'board',
  summary: 'Agree a deviation recorded after the service was verified (it is on the next meeting’s agenda until then).',
  example: '/service confirm wiki live.monitoring',
  async run(ctx, { name, key }) {
    const done = await confirmDeviation(ctx, { name, key });
    return publicReply(para('The board agrees ', strong(name), '’s deviation from ', mono(key), ` (${done.title}): ${done.note}`));
  },
});
