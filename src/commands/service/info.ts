import { z } from 'zod';
import { deviationsToConfirm, requirementStatus } from '../../domain/assessment.js';
import { unknownService } from '../../domain/errors.js';
import { expectationOf } from '../../domain/catalogue.js';
import { KIND_TITLES, nextLevel } from '../../domain/service.js';
import { formatDateTime, personView } from '../../reply/format.js';
import { cmd, fields, heading, joinSpans, list, MESSAGE_ITEMS, mono, para, person, privateReply, type Block } from '../../reply/model.js';
import { serviceName } from '../args.js';
import { defineCommand } from '../define.js';
import { deficiencyLines } from './level.js';

/** A list of services in a field: the first MESSAGE_ITEMS, then how many more (a central service can be used by thousands). */
const names = (list: readonly string[]) =>
  list.length > MESSAGE_ITEMS ? `${list.slice(0, MESSAGE_ITEMS).join(', ')} and ${list.length - MESSAGE_ITEMS} more` : list.join(', ');

export const info = defineCommand({
  group: 'service',
  words: ['info'],
  params: [{ name: 'name' }],
  args: z.object({ name: serviceName }),
  access: 'anyone',
  summary: "A service's whole card, and how it stands against the next level's requirements.",
  example: '/service info wiki',
  async run(ctx, { name }) {
    const tz = ctx.deps.settings.timezone;
    const [found, catalogue] = await Promise.all([ctx.deps.store.read((r) => r.services.card(name)), ctx.deps.catalogue()]);
    if (!found) throw unknownService(name);
    const { service: s, assessments, open } = found;
    const none = '—';
    const blocks: Block[] = [
      heading(`${s.name}: ${s.summary}`),
      fields(
        ['Kind', KIND_TITLES[s.kind]],
        ['Level', `${s.level} since ${formatDateTime(s.levelSince, tz)}`],
        ['Maintainers', s.maintainers.length > 0 ? joinSpans(s.maintainers.map((m) => person(personView(m)))) : s.level === 'retired' ? none : 'none: needs a maintainer'],
        ['Provides', s.provides || none],
        ['Principles', s.principles || none],
        ['Uses', names(s.uses) || none],
        ['Used by', names(s.usedBy) || none],
        ['Proposed', formatDateTime(s.createdAt, tz)],
      ),
      para(expectationOf(catalogue, s.level)),
    ];
    if (s.retiredReason) blocks.push(para(`Retired: ${s.retiredReason}`));
    // The next level's requirements; at live, live's own (they must keep being met).
    const next = nextLevel(s.level) ?? (s.level === 'live' ? 'live' : null);
    if (next) {
      const status = requirementStatus(catalogue, next, assessments);
      blocks.push(heading(`Requirements for ${next}`));
      blocks.push(
        list(
          status.map((req) => {
            const agreed = assessments.find((a) => a.requirementKey === req.key && a.status === 'deviation')?.agreedPollId;
            return [mono(req.key), ` ${req.title}: ${req.status}`, agreed ? ` (agreed in poll #${agreed})` : '', req.note ? ` — ${req.note}` : ''];
          }),
        ),
      );
      if (next === 'beta' && s.maintainers.length < 2) blocks.push(para('Beta also needs at least two maintainers.'));
    }
    const toConfirm = deviationsToConfirm(catalogue, s.level, assessments);
    if (toConfirm.length > 0) {
      blocks.push(heading('Deviations to be confirmed'));
      blocks.push(para('Recorded after its verification, so agreed by nobody yet; on the next meeting’s agenda until the board confirms them:'));
      blocks.push(list(toConfirm.map((d) => [mono(d.requirementKey), ` ${d.title}: ${d.note} — to be confirmed (`, cmd('service', `confirm ${s.name} ${d.requirementKey}`), ')'])));
    }
    if (open.length > 0) {
      blocks.push(heading('Open deficiencies'));
      blocks.push(list(deficiencyLines(open, s.level, tz)));
    }
    return privateReply(...blocks);
  },
});
