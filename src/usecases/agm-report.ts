// The AGM report (Markdown): services by level, level changes since the last AGM,
// annual updates given and missing, deficiencies opened, resolved and lapsed,
// descents, and documented deviations.
import { MEETING_TITLES, nextMeetingAfter } from '../domain/meeting.js';
import { LEVELS, KIND_TITLES, VERIFIED_LEVELS } from '../domain/service.js';
import type { Repos } from '../ports.js';
import { formatDate } from '../reply/format.js';

/** Escapes text from chat so that it cannot add headings, links or markup to the report. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#|!~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

const cap = (s: string) => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

export async function buildAgmReport(r: Repos, now: Date, tz: string): Promise<{ title: string; markdown: string }> {
  const meetings = await r.meetings.list();
  const lastAgm = [...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held');
  const nextAgm = nextMeetingAfter(meetings, now, 'agm');
  const since = lastAgm?.at ?? new Date(0);
  const [services, changes, activity] = await Promise.all([
    r.services.listFull(),
    r.services.levelChangesBetween(since, now),
    r.deficiencies.activityBetween(since, now),
  ]);
  const updatesFor = nextAgm ?? lastAgm;
  const updates = updatesFor ? await r.updates.forMeeting(updatesFor.id) : [];
  const d = (x: Date) => formatDate(x, tz);
  const out: string[] = [];
  const title = nextAgm ? `Service maturity report for the AGM of ${d(nextAgm.at)}` : `Service maturity report, ${d(now)}`;
  out.push(`# ${title}`, '');
  out.push(lastAgm ? `Covers ${d(lastAgm.at)} (the last AGM) to ${d(now)}.` : `Covers everything recorded up to ${d(now)} (no AGM has been held yet).`, '');

  out.push('## Services by level', '');
  for (const level of [...LEVELS].reverse()) {
    const at = services.filter((s) => s.level === level);
    if (at.length === 0) continue;
    out.push(`### ${cap(level)} (${at.length})`, '');
    for (const s of at) out.push(`- **${s.name}** (${KIND_TITLES[s.kind]}): ${md(s.summary)}. Maintainers: ${s.maintainers.map((m) => md(m.name)).join(', ')}.`);
    out.push('');
  }

  out.push('## Level changes', '');
  const moves = changes.filter((c) => c.from !== null);
  if (moves.length === 0) out.push('None.');
  for (const c of moves) out.push(`- ${d(c.at)}: **${c.serviceName}** ${c.from} → ${c.to} (${md(c.reason)})`);
  out.push('');

  out.push(updatesFor ? `## Annual updates for the AGM of ${d(updatesFor.at)}` : '## Annual updates', '');
  if (!updatesFor) out.push('No AGM is scheduled.');
  else {
    const given = new Set(updates.map((u) => u.serviceId));
    for (const u of updates) out.push(`- **${u.serviceName}** (${d(u.givenAt)}): ${md(u.text)}`);
    const missing = services.filter((s) => (VERIFIED_LEVELS as readonly string[]).includes(s.level) && !given.has(s.id));
    if (updates.length === 0) out.push('None given yet.');
    out.push('', `Missing: ${missing.length === 0 ? 'none' : missing.map((s) => `**${s.name}** (${s.level})`).join(', ')}.`);
  }
  out.push('');

  out.push('## Deficiencies', '');
  const inRange = (x: Date | null) => x !== null && x.getTime() >= since.getTime() && x.getTime() <= now.getTime();
  const sections: [string, typeof activity][] = [
    ['Opened', activity.filter((x) => inRange(x.reportedAt))],
    ['Resolved', activity.filter((x) => inRange(x.resolvedAt))],
    ['Lapsed at a meeting', activity.filter((x) => inRange(x.lapsedAt))],
  ];
  for (const [name, rows] of sections) {
    out.push(`### ${name} (${rows.length})`, '');
    for (const x of rows) {
      const tail = name === 'Resolved' ? ` Resolved: ${md(x.resolution ?? '')}` : '';
      out.push(`- #${x.id} **${x.serviceName}**${x.requirementKey ? ` (${x.requirementKey})` : ''}, ${x.source}, ${d(x.reportedAt)}: ${md(x.description)}${tail}`);
    }
    if (rows.length === 0) out.push('None.');
    out.push('');
  }

  out.push('## Descents', '');
  const descents = changes.filter((c) => c.from !== null && LEVELS.indexOf(c.to) < LEVELS.indexOf(c.from) && c.to !== 'retired');
  if (descents.length === 0) out.push('None.');
  for (const c of descents) out.push(`- ${d(c.at)}: **${c.serviceName}** ${c.from} → ${c.to}: ${md(c.reason)}`);
  out.push('');

  out.push('## Documented deviations', '');
  const deviations = services.flatMap((s) => s.assessments.filter((a) => a.status === 'deviation').map((a) => ({ s, a })));
  if (deviations.length === 0) out.push('None.');
  for (const { s, a } of deviations) out.push(`- **${s.name}**, ${a.requirementKey}: ${md(a.note)}`);
  out.push('');
  if (nextAgm) out.push(`_Next AGM: ${d(nextAgm.at)}. Last AGM: ${lastAgm ? d(lastAgm.at) : 'none'}._`);
  else out.push(`_No AGM is scheduled. ${MEETING_TITLES.agm}s are scheduled with /coop meeting agm <date>._`);
  return { title, markdown: out.join('\n') };
}
