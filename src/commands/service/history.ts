import { z } from 'zod';
import type { AuditRecord } from '../../ports.js';
import { formatDateTime } from '../../reply/format.js';
import { cmd, heading, list, para, privateReply, type Span } from '../../reply/model.js';
import { serviceHistory } from '../../usecases/service-history.js';
import { serviceName } from '../args.js';
import { defineCommand } from '../define.js';

export const HISTORY_PAGE = 20;
/** `--all` still stops somewhere: a reply never grows with the whole audit trail. */
export const HISTORY_ALL = 500;

const CLOSE_REASONS: Record<string, string> = { deadline: 'its deadline passed', 'all-voted': 'every elector voted', board: 'by the board' };

const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** What an audit entry says, in words. */
export function describeEntry(e: AuditRecord): string {
  const d = e.detail;
  switch (e.action) {
    case 'service.proposed':
      return `proposed (${s(d.kind)}): ${s(d.summary)}`;
    case 'service.summary-set':
    case 'service.provides-set':
    case 'service.principles-set':
      return `${e.action.slice('service.'.length, -'-set'.length)} set to: ${s(d.after)}`;
    case 'service.uses-set':
      return `now uses ${Array.isArray(d.after) && d.after.length > 0 ? d.after.join(', ') : 'nothing'}`;
    case 'service.maintainer-added':
      return `@${s(d.name)} became a maintainer`;
    case 'service.maintainer-removed':
      return `@${s(d.name)} stopped maintaining it${d.because ? ` (${s(d.because)})` : ''}`;
    case 'service.assessed':
    case 'assessment.recorded':
      return `${s(d.requirementKey ?? d.key)} assessed ${s(d.status)}${d.note ? `: ${s(d.note)}` : ''}`;
    case 'verification.requested':
      return `asked the co-op to verify it at ${s(d.target)} (poll #${s(d.pollId)})${d.evidence ? `: ${s(d.evidence)}` : ''}`;
    case 'verification.withdrawn':
      return `withdrew its request to be verified at ${s(d.target)}`;
    case 'poll.opened':
      return `poll #${e.subjectId} opened: ${s(d.question)}`;
    case 'poll.closed':
      return `poll #${e.subjectId} closed (${CLOSE_REASONS[s(d.reason)] ?? s(d.reason)}): ${d.result && typeof d.result === 'object' && 'kind' in d.result ? s((d.result as { kind: unknown }).kind) : ''}`;
    case 'poll.cancelled':
      return `poll #${e.subjectId} cancelled: ${s(d.because)}`;
    case 'service.level-changed':
      return `became ${s(d.to)} (was ${s(d.from)}), verified in poll #${s(d.pollId)}`;
    case 'service.descended':
      return `descended from ${s(d.from)} to ${s(d.to)} at a general meeting (deficiencies ${Array.isArray(d.deficiencies) ? d.deficiencies.map((x) => `#${s(x)}`).join(', ') : ''})`;
    case 'service.retired':
      return `retired (it was ${s(d.from)}): ${s(d.reason)}`;
    case 'service.annual-update':
      return `annual update${d.replaced ? ' (replaced)' : ''}: ${s(d.text)}`;
    case 'service.watched':
    case 'service.unwatched':
      return e.action === 'service.watched' ? 'someone started watching it' : 'someone stopped watching it';
    case 'deficiency.reported':
    case 'deficiency.change-reported':
      return `deficiency #${e.subjectId} ${e.action === 'deficiency.change-reported' ? 'reported by a maintainer (change)' : 'reported'}${d.requirementKey ? ` (${s(d.requirementKey)})` : ''}: ${s(d.description)}`;
    case 'deficiency.opened':
      return `deficiency #${e.subjectId} opened (${s(d.source)})${d.description ? `: ${s(d.description)}` : ''}`;
    case 'deficiency.resolved':
      return `deficiency #${e.subjectId} resolved: ${s(d.note)}`;
    case 'deficiency.closed':
      return `deficiency #${e.subjectId} closed: ${s(d.because)}`;
    case 'deficiency.lapsed':
      return `deficiency #${e.subjectId}: its grace ended at a general meeting`;
    case 'deficiency.grace-set':
      return `deficiency #${e.subjectId} given until meeting #${s(d.meetingId)} by the board: ${s(d.reason)}`;
    case 'deviation.confirmed':
      return `deviation from ${s(d.requirementKey)} confirmed by the board`;
    default:
      return e.action;
  }
}

export const history = defineCommand({
  group: 'service',
  words: ['history'],
  params: [{ name: 'name' }, { name: 'all', label: '[--all]', optional: true }],
  args: z.object({ name: serviceName, all: z.literal('--all', { error: '--all, or nothing' }).optional() }),
  access: 'anyone',
  summary: "A service's life from the audit trail, newest first: who did what, when, from where.",
  example: '/service history wiki --all',
  async run(ctx, { name, all }) {
    const limit = all ? HISTORY_ALL : HISTORY_PAGE;
    const page = await serviceHistory(ctx, { name, offset: 0, limit });
    const tz = ctx.deps.settings.timezone;
    const shown = page.entries.length;
    const blocks = [
      heading(`History of ${page.name}`),
      list(
        page.entries.map((e): Span[] => [
          `${formatDateTime(e.at, tz)}: ${describeEntry(e)} — `,
          e.who ? `@${e.who}` : e.actor.startsWith('system:') ? 'the bot' : e.actor,
          e.platform !== 'system' ? ` (${e.platform})` : '',
        ]),
      ),
      para(`Showing 1–${shown} of ${page.total}.`, ...(page.total > shown && !all ? [' The whole history: ', cmd('service', `history ${page.name} --all`), '.'] : [])),
    ];
    return privateReply(...blocks);
  },
});
