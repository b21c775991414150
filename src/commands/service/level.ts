import { z } from 'zod';
import { unknownService } from '../../domain/errors.js';
import { expectationOf } from '../../domain/catalogue.js';
import type { Level } from '../../domain/service.js';
import { deadlineText } from '../../reply/deadline.js';
import { formatDateTime } from '../../reply/format.js';
import { list, para, privateReply, strong, type Block, type Span } from '../../reply/model.js';
import type { DeficiencySummary } from '../../ports.js';
import { serviceName } from '../args.js';
import { defineCommand } from '../define.js';

export function deficiencyLines(open: DeficiencySummary[], level: Level, tz: string): Span[][] {
  return open.map((d) => [
    `#${d.id}`,
    d.requirementKey ? ` (${d.requirementKey})` : '',
    `: ${d.description} — `,
    deadlineText(d, level, tz, { consequence: false }),
    d.graceReason ? ` (grace set by the board: ${d.graceReason})` : '',
  ]);
}

export const level = defineCommand({
  group: 'service',
  words: ['level'],
  params: [{ name: 'name' }],
  args: z.object({ name: serviceName }),
  access: 'anyone',
  summary: 'What level a service is at, since when, what that means for you, and any deficiencies.',
  example: '/service level wiki',
  async run(ctx, { name }) {
    const tz = ctx.deps.settings.timezone;
    const [found, catalogue] = await Promise.all([ctx.deps.store.read((r) => r.services.standing(name)), ctx.deps.catalogue()]);
    if (!found) throw unknownService(name);
    const { service, open } = found;
    const blocks: Block[] = [
      para(strong(service.name), ' is ', strong(service.level), ` since ${formatDateTime(service.levelSince, tz)}.`),
      para('What you can expect: ', expectationOf(catalogue, service.level)),
    ];
    if (service.level === 'retired' && service.retiredReason) blocks.push(para(`Why it was retired: ${service.retiredReason}`));
    if (open.length === 0) {
      if (service.level !== 'retired') blocks.push(para('No open deficiencies.'));
    } else {
      blocks.push(
        para(`Open deficiencies (${open.length})${service.level === 'proposed' ? '' : '; if one is not fixed in time, the service descends one level'}:`),
      );
      blocks.push(list(deficiencyLines(open, service.level, tz)));
    }
    return privateReply(...blocks);
  },
});
