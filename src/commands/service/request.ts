import { z } from 'zod';
import { para, publicReply, strong } from '../../reply/model.js';
import { formatDateTime } from '../../reply/format.js';
import { requestVerification } from '../../usecases/request-verification.js';
import { withdrawRequest } from '../../usecases/withdraw-request.js';
import { serviceName, verifiedLevel } from '../args.js';
import { defineCommand } from '../define.js';

export const request = defineCommand({
  group: 'service',
  words: ['request'],
  params: [{ name: 'name' }, { name: 'level', label: 'alpha|beta|live' }, { name: 'evidence', optional: true, rest: true }],
  args: z.object({ name: serviceName, level: verifiedLevel, evidence: z.string().trim().max(1000, 'evidence of at most 1000 characters').default('') }),
  access: 'maintainer',
  serviceArg: 'name',
  summary: 'Ask the co-op to verify the next level; the bot checks what it can first, then opens a poll.',
  example: '/service request wiki beta Running since March, see the runbook in the wiki',
  async run(ctx, { name, level, evidence }) {
    const { poll } = await requestVerification(ctx, { name, target: level, evidence });
    return publicReply(
      para(strong(name), ` asked the co-op to verify it at ${level}. Poll #${poll.id} is open in the governance room until ${formatDateTime(poll.closesAt, ctx.deps.settings.timezone)}.`),
    );
  },
});

export const withdraw = defineCommand({
  group: 'service',
  words: ['withdraw'],
  params: [{ name: 'name' }],
  args: z.object({ name: serviceName }),
  access: 'maintainer',
  serviceArg: 'name',
  summary: 'Withdraw the open verification request (its poll is cancelled; the level stays).',
  example: '/service withdraw wiki',
  async run(ctx, { name }) {
    const req = await withdrawRequest(ctx, name);
    return publicReply(para(strong(name), ` withdrew its request for ${req.targetLevel}; poll #${req.pollId} is cancelled.`));
  },
});
