// The AGM report: the board's meeting pack, in Markdown. In this order: what the meeting
// must decide or note; level changes since the previous AGM; deficiencies opened and
// resolved; annual updates given and missing; general polls decided; the services by
// level and their documented deviations; retired services last. The window runs from
// the previous AGM to the next one (or to now when none is scheduled).
import { deviationsToConfirm } from '../domain/assessment.js';
import { describeResult } from '../domain/poll.js';
import { findRequirement, type Catalogue } from '../domain/catalogue.js';
import { MEETING_TITLES, nextMeetingAfter } from '../domain/meeting.js';
import { KIND_TITLES, LADDER, levelBelow, VERIFIED_LEVELS, type Level } from '../domain/service.js';
import type { DeficiencyRecord, MeetingRecord, MemberRecord, Repos } from '../ports.js';
import { formatDateTime } from '../reply/format.js';
import { storedCatalogue } from './bootstrap.js';

/** Escapes text from chat so that it cannot add headings, links or markup to the report. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#|!~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

const cap = (s: string) => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
const isVerified = (l: Level) => (VERIFIED_LEVELS as readonly string[]).includes(l);

/** The window of a report: from the previous AGM to the next one, or to now when none is scheduled. */
export function reportWindow(meetings: readonly MeetingRecord[], now: Date): { from: MeetingRecord | null; to: Date; nextAgm: MeetingRecord | null } {
  const nextAgm = nextMeetingAfter(meetings, now, 'agm');
  const held = meetings.filter((m) => m.kind === 'agm' && m.status === 'held').sort((a, b) => a.at.getTime() - b.at.getTime());
  if (nextAgm) {
    const before = held.filter((m) => m.at.getTime() < nextAgm.at.getTime());
    return { from: before.at(-1) ?? null, to: nextAgm.at, nextAgm };
  }
  // None scheduled: the pack of the AGM just held, from the one before it.
  return { from: held.at(-2) ?? null, to: now, nextAgm: null };
}

export async function buildAgmReport(r: Repos, now: Date, tz: string): Promise<{ title: string; markdown: string }> {
  const meetings = await r.meetings.list();
  const { from, to, nextAgm } = reportWindow(meetings, now);
  const since = from?.at ?? new Date(0);
  const until = to.getTime() < now.getTime() ? now : to;
  const nextMeeting = nextMeetingAfter(meetings, now);
  const [services, changes, activity, people, generalPolls, current, pending, unmaintained] = await Promise.all([
    r.services.listFull({ assessments: 'deviations' }),
    r.services.levelChangesBetween(since, until),
    r.deficiencies.activityBetween(since, until),
    r.members.list({}),
    r.polls.endedBetween('general', since, until),
    r.catalogues.withStatus('current'),
    r.catalogues.withStatus('pending'),
    r.services.unmaintained(),
  ]);
  const open = await r.deficiencies.listOpen();
  const updatesFor = nextAgm ?? [...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held') ?? null;
  const updates = updatesFor ? await r.updates.forMeeting(updatesFor.id) : [];
  const catalogue: Catalogue | null = current ? storedCatalogue(current) : null;
  const d = (x: Date) => formatDateTime(x, tz);
  const who = new Map<number, MemberRecord>(people.map((m) => [m.id, m]));
  const person = (id: number | null) => (id === null ? 'the bot' : `@${md(who.get(id)?.name ?? `member ${id}`)}`);
  const requirement = (key: string | null) => {
    if (key === null) return '';
    const found = catalogue ? findRequirement(catalogue, key) : undefined;
    return found ? `${md(found.title)} (${key})` : key;
  };
  const deficiencyLine = (x: DeficiencyRecord) =>
    `#${x.id} **${x.serviceName}**${x.requirementKey ? `, ${requirement(x.requirementKey)}` : ''}: ${md(x.description)}`;

  const out: string[] = [];
  const title = nextAgm ? `Service maturity report for the AGM of ${d(nextAgm.at)}` : `Service maturity report, ${d(now)}`;
  out.push(`# ${title}`, '');
  out.push(
    from
      ? `Covers ${d(from.at)} (the previous AGM) to ${nextAgm ? `${d(nextAgm.at)} (this AGM); written ${d(now)}` : d(now)}.`
      : `Covers everything recorded up to ${d(now)} (no earlier AGM has been held).`,
    '',
  );

  // 1. What this meeting must decide or note.
  out.push(nextMeeting ? `## What the ${MEETING_TITLES[nextMeeting.kind]} of ${d(nextMeeting.at)} must decide or note` : '## What the next general meeting must decide or note', '');
  const byService = new Map<string, DeficiencyRecord[]>();
  for (const x of open) {
    if (!nextMeeting || x.graceMeetingId !== nextMeeting.id || x.serviceLevel === 'proposed') continue;
    byService.set(x.serviceName, [...(byService.get(x.serviceName) ?? []), x]);
  }
  const levels = new Map(services.map((s) => [s.name, s.level]));
  const decide: string[] = [];
  for (const [name, list] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
    const level = levels.get(name) ?? 'proposed';
    decide.push(`- **${name}** descends from ${level} to ${levelBelow(level) ?? level} at this meeting unless fixed:`);
    for (const x of list) decide.push(`  - ${deficiencyLine(x)} (reported ${d(x.reportedAt)} by ${person(x.reportedBy)})`);
  }
  if (pending) decide.push(`- New requirements take effect at this meeting: ${md(pending.name)}, version ${md(pending.version)}. Services then have until the following AGM to meet them.`);
  for (const s of unmaintained) decide.push(`- **${s.name}** (${s.level}) needs a maintainer: nobody maintains it.`);
  if (catalogue) {
    for (const s of services) {
      for (const dev of deviationsToConfirm(catalogue, s.level, s.assessments)) {
        decide.push(`- **${s.name}**: a deviation from ${requirement(dev.requirementKey)} to confirm (recorded after its verification): ${md(dev.note)}`);
      }
    }
  }
  const stillOpen = open.filter((x) => x.serviceLevel === 'proposed');
  for (const x of stillOpen) decide.push(`- ${deficiencyLine(x)} is open on a proposed service (nothing to descend; open until resolved).`);
  out.push(...(decide.length > 0 ? decide : ['Nothing: no service descends, no requirement changes, every service has a maintainer.']), '');

  // 2. Level changes since the previous AGM.
  out.push('## Level changes', '');
  const moves = changes.filter((c) => c.from !== null && c.to !== 'retired');
  if (moves.length === 0) out.push('None.');
  for (const c of moves) {
    const down = LADDER.indexOf(c.to as (typeof LADDER)[number]) < LADDER.indexOf(c.from as (typeof LADDER)[number]);
    out.push(`- ${d(c.at)}: **${c.serviceName}** ${c.from} → ${c.to}${c.pollId !== null ? `, poll #${c.pollId}` : ''}${down ? ' (descent)' : ''}: ${md(c.reason)}`);
  }
  out.push('');

  // 3. Deficiencies opened and resolved.
  out.push('## Deficiencies', '');
  const inRange = (x: Date | null) => x !== null && x.getTime() >= since.getTime() && x.getTime() <= until.getTime();
  const opened = activity.filter((x) => inRange(x.reportedAt));
  const resolved = activity.filter((x) => inRange(x.resolvedAt));
  const lapsed = activity.filter((x) => inRange(x.lapsedAt));
  out.push(`### Opened (${opened.length})`, '');
  for (const x of opened) out.push(`- ${deficiencyLine(x)} — ${x.source}, reported ${d(x.reportedAt)} by ${person(x.reportedBy)}`);
  if (opened.length === 0) out.push('None.');
  out.push('', `### Resolved (${resolved.length})`, '');
  for (const x of resolved) out.push(`- ${deficiencyLine(x)} — resolved ${d(x.resolvedAt as Date)} by ${person(x.resolvedBy)}: ${md(x.resolution ?? '')}`);
  if (resolved.length === 0) out.push('None.');
  out.push('', `### Lapsed at a meeting (${lapsed.length})`, '');
  for (const x of lapsed) out.push(`- ${deficiencyLine(x)} — its grace ended ${d(x.lapsedAt as Date)}`);
  if (lapsed.length === 0) out.push('None.');
  out.push('');

  // 4. Annual updates.
  out.push(updatesFor ? `## Annual updates for the AGM of ${d(updatesFor.at)}` : '## Annual updates', '');
  if (!updatesFor) out.push('No AGM is scheduled.');
  else {
    const given = new Set(updates.map((u) => u.serviceId));
    for (const u of updates) out.push(`- **${u.serviceName}**, ${d(u.givenAt)} by ${person(u.givenBy)}: ${md(u.text)}`);
    if (updates.length === 0) out.push('None given yet.');
    const missing = services.filter((s) => isVerified(s.level) && !given.has(s.id));
    out.push('', `Missing: ${missing.length === 0 ? 'none' : missing.map((s) => `**${s.name}** (${s.level})`).join(', ')}.`);
  }
  out.push('');

  // 5. General polls decided.
  out.push('## General polls decided', '');
  if (generalPolls.length === 0) out.push('None.');
  for (const p of generalPolls) {
    const result = p.outcome ? (p.outcome.reason === 'cancelled' ? 'cancelled' : describeResult(p.outcome.result)) : p.status;
    out.push(`- Poll #${p.id}, ${d(p.closedAt ?? p.closesAt)}: ${md(p.question)} — ${md(result)} (${p.outcome?.turnout ?? 0} of ${p.electorate} voted)`);
  }
  out.push('');

  // 6. The services, by level, with their documented deviations.
  out.push('## Services by level', '');
  for (const level of [...LADDER].reverse()) {
    const at = services.filter((s) => s.level === level);
    if (at.length === 0) continue;
    out.push(`### ${cap(level)} (${at.length})`, '');
    for (const s of at) {
      const maintainers = s.maintainers.length > 0 ? s.maintainers.map((m) => `@${md(m.name)}`).join(', ') : 'none (needs a maintainer)';
      out.push(`- **${s.name}** (${KIND_TITLES[s.kind]}): ${md(s.summary)}. Maintainers: ${maintainers}.`);
      for (const a of s.assessments.filter((x) => x.status === 'deviation')) out.push(`  - Deviation from ${requirement(a.requirementKey)}: ${md(a.note)}`);
    }
    out.push('');
  }

  // 7. Retired services, last.
  const retired = services.filter((s) => s.level === 'retired');
  out.push(`## Retired services (${retired.length})`, '');
  if (retired.length === 0) out.push('None.');
  for (const s of retired) out.push(`- **${s.name}**, retired ${s.retiredAt ? d(s.retiredAt) : ''}: ${md(s.retiredReason ?? '')}`);
  out.push('');
  return { title, markdown: out.join('\n') };
}
