import { z } from 'zod';
import { MEETING_TITLES, nextMeetingAfter } from '../../domain/meeting.js';
import { formatDateTime } from '../../reply/format.js';
import { cappedList, cmd, heading, list, MESSAGE_ITEMS, para, privateReply, type Block, type Span } from '../../reply/model.js';
import { buildReportHead } from '../../usecases/agm-report.js';
import { deadlineText } from '../../reply/deadline.js';
import { closeDuePolls } from '../../usecases/close-poll.js';
import { nextJobs } from '../../scheduler/next-jobs.js';
import { defineCommand } from '../define.js';

/** `/coop status` stays within one screen: each list shows its first few, and says where the rest are. */
export const STATUS_ITEMS = 10;

function capped(items: string[], more: Span[]): Block[] {
  return items.length === 0 ? [para('None.')] : cappedList(items, more, STATUS_ITEMS);
}

export const status = defineCommand({
  group: 'coop',
  words: ['status'],
  params: [],
  args: z.object({}),
  access: 'anyone',
  summary: 'Where the co-op stands: next meeting, open polls, missing annual updates, deficiencies in grace, scheduled work.',
  example: '/coop status',
  async run(ctx) {
    const tz = ctx.deps.settings.timezone;
    const now = ctx.now;
    // A poll whose deadline has passed is closed, even if the minute tick has not come yet.
    await closeDuePolls(ctx.deps);
    const data = await ctx.deps.store.read(async (r) => {
      const meetings = await r.meetings.list();
      const next = nextMeetingAfter(meetings, now);
      const agm = nextMeetingAfter(meetings, now, 'agm');
      // Counted and selected in the database: the screen shows ten of each.
      const [polls, open, openCount, missing, unmaintained] = await Promise.all([
        r.polls.listOpen(),
        r.deficiencies.listOpen(STATUS_ITEMS),
        r.deficiencies.countOpen(),
        agm ? r.services.missingUpdates(agm.id, STATUS_ITEMS) : Promise.resolve({ total: 0, items: [] }),
        r.services.unmaintained({ limit: STATUS_ITEMS, count: true }),
      ]);
      const turnouts = await Promise.all(polls.map((p) => r.polls.countVotes(p.id)));
      const jobs = await nextJobs(r, now, ctx.deps.settings);
      return { next, agm, polls, turnouts, open, openCount, missing, jobs, unmaintained };
    });
    const blocks: Block[] = [
      data.next
        ? para(`Next general meeting: ${MEETING_TITLES[data.next.kind]} on ${formatDateTime(data.next.at, tz)}.`)
        : para('No general meeting is scheduled. The board schedules one with ', cmd('coop', 'meeting agm <YYYY-MM-DD>'), '.'),
      heading(`Open polls (${data.polls.length})`),
      ...capped(data.polls.map((p, i) => `#${p.id} ${p.question}: ${data.turnouts[i]} of ${p.electorate} voted, closes ${formatDateTime(p.closesAt, tz)}`), ['All of them: ', cmd('coop', 'polls'), '.']),
      heading(data.agm ? `Annual updates missing for the AGM of ${formatDateTime(data.agm.at, tz)} (${(data.missing.total ?? 0)})` : 'Annual updates'),
      ...(data.agm
        ? (data.missing.total ?? 0) > 0
          ? cappedList(data.missing.items.map((s) => `${s.name} (${s.level})`), ['All of them: ', cmd('coop', 'report'), '; what else the AGM decides: ', cmd('coop', 'agenda'), '.'], STATUS_ITEMS, (data.missing.total ?? 0))
          : [para('None: every service has given its update.')]
        : [para('No AGM is scheduled.')]),
      heading(`Deficiencies in grace (${data.openCount})`),
      ...(data.openCount === 0
        ? [para('None.')]
        : cappedList(
            data.open.map((d) => `#${d.id} ${d.serviceName}: ${d.description} — ${deadlineText(d, d.serviceLevel, tz, { consequence: false })}`),
            ['All of them: ', cmd('coop', 'report'), '.'],
            STATUS_ITEMS,
            data.openCount,
          )),
      ...((data.unmaintained.total ?? 0) > 0
        ? [
            heading(`Services that need a maintainer (${data.unmaintained.total ?? 0})`),
            ...cappedList(data.unmaintained.items.map((s) => `${s.name} (${s.level}): needs a maintainer`), ['All of them: ', cmd('coop', 'report'), '.'], STATUS_ITEMS, data.unmaintained.total ?? 0),
            para('The board adds one with ', cmd('service', `maintainer ${data.unmaintained.items[0]?.name ?? '<name>'} add <user>`), '.'),
          ]
        : []),
      heading('Scheduled work'),
      list(data.jobs.map((j) => `${j.job}: ${j.at ? formatDateTime(j.at, tz) : '—'} (${j.what})`)),
    ];
    return privateReply(...blocks);
  },
});

export const report = defineCommand({
  group: 'coop',
  words: ['report'],
  params: [],
  args: z.object({}),
  access: 'anyone',
  summary: 'The AGM report, in Markdown.',
  example: '/coop report',
  async run(ctx) {
    const tz = ctx.deps.settings.timezone;
    const base = ctx.deps.settings.publicUrl;
    // The message carries the head (what the meeting must decide, at most MESSAGE_ITEMS
    // items, and the counts), read by itself; the whole is on the web pages when they are
    // public, or else made section by section into the file the adapter sends.
    const url = base ? `${base.replace(/\/+$/, '')}/report` : undefined;
    const head = await ctx.deps.store.read((r) => buildReportHead(r, ctx.now, tz, { limit: MESSAGE_ITEMS, more: url ? `the whole report, ${url}` : 'the whole report, in the file that follows' }));
    return privateReply({ type: 'document', title: head.title, markdown: head.markdown, ...(url ? { url } : { whole: { kind: 'agm-report', asOf: ctx.now.toISOString() } }) });
  },
});
