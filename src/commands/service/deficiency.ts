import { z } from 'zod';
import { para, person, publicReply, strong } from '../../reply/model.js';
import { formatDateTime, personView, possessive } from '../../reply/format.js';
import { reportDeficiency } from '../../usecases/report-deficiency.js';
import { deadlineText } from '../../reply/deadline.js';
import { resolveDeficiency } from '../../usecases/resolve-deficiency.js';
import { giveUpdate } from '../../usecases/give-update.js';
import { numberedId, requirementKey, serviceName, text } from '../args.js';
import { defineCommand } from '../define.js';

const looksLikeKey = (t: string) => /^(alpha|beta|live)\.[a-z0-9-]+$/.test(t);

export const report = defineCommand({
  group: 'service',
  words: ['report'],
  params: [{ name: 'name' }, { name: 'key', label: '<requirement-key>', optional: true, accepts: looksLikeKey }, { name: 'description', rest: true }],
  args: z.object({ name: serviceName, key: requirementKey.optional(), description: text('a description of the problem', 1000) }),
  access: 'member',
  summary: 'Report a deficiency: it must be fixed by the next general meeting, or the service descends a level.',
  example: '/service report wiki live.backup-restore No restore has been tested this year',
  async run(ctx, args) {
    const d = await reportDeficiency(ctx, { name: args.name, requirementKey: args.key ?? null, description: args.description, source: 'report' });
    return publicReply(
      para(`Deficiency #${d.id} reported against `, strong(args.name), `${d.requirementKey ? ` (${d.requirementKey})` : ''}: ${d.description}`),
      para(`It is ${deadlineText(d, d.level, ctx.deps.settings.timezone)}. Its maintainers have been told.`),
    );
  },
});

export const change = defineCommand({
  group: 'service',
  words: ['change'],
  params: [{ name: 'name' }, { name: 'description', rest: true }],
  args: z.object({ name: serviceName, description: text('what changed', 1000) }),
  access: 'maintainer',
  serviceArg: 'name',
  summary: 'Tell the co-op that a live service no longer meets its live requirements (opens a deficiency, tells the board).',
  example: '/service change mail Our second maintainer has left; monitoring is unattended',
  async run(ctx, args) {
    const d = await reportDeficiency(ctx, { name: args.name, requirementKey: null, description: args.description, source: 'change' });
    return publicReply(
      para(`Thank you. Deficiency #${d.id} is open on `, strong(args.name), `: ${d.description}`),
      para(`It is ${deadlineText(d, d.level, ctx.deps.settings.timezone)}. The board has been told.`),
    );
  },
});

export const resolve = defineCommand({
  group: 'service',
  words: ['resolve'],
  params: [{ name: 'id', label: '<deficiency-id>' }, { name: 'note', rest: true }],
  args: z.object({ id: numberedId('deficiency'), note: text('a note on how it was fixed', 1000) }),
  access: 'anyone',
  who: "the service's maintainers and the board",
  summary: 'Resolve a deficiency, saying how.',
  example: '/service resolve 4 Restore tested on 2 May, see the runbook',
  async run(ctx, args) {
    const d = await resolveDeficiency(ctx, { id: args.id, note: args.note });
    const by = ctx.actor.member;
    return publicReply(para(`Deficiency #${d.id} on `, strong(d.serviceName), ' resolved by ', by ? person(personView(by)) : 'a member', `: ${args.note}`));
  },
});

export const update = defineCommand({
  group: 'service',
  words: ['update'],
  params: [{ name: 'name' }, { name: 'text', rest: true }],
  args: z.object({ name: serviceName, text: text('the update', 2000) }),
  access: 'maintainer',
  serviceArg: 'name',
  summary: "Give the annual update for the coming AGM: does the service still meet its level's requirements?",
  example: '/service update wiki Still meets beta: two maintainers, backups nightly, 40 active users',
  async run(ctx, args) {
    const { meeting, replaced, resolved } = await giveUpdate(ctx, args);
    const blocks = [
      para(strong(possessive(args.name)), ` annual update for the AGM of ${formatDateTime(meeting.at, ctx.deps.settings.timezone)} is ${replaced ? 'replaced' : 'recorded'}: ${args.text}`),
    ];
    if (resolved.length > 0) {
      blocks.push(para(`It was given late, so it resolves ${resolved.map((id) => `deficiency #${id}`).join(' and ')} (no annual update); the service will not descend for it.`));
    }
    return publicReply(...blocks);
  },
});
