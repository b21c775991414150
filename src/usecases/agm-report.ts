// The AGM report: the board's meeting pack, in Markdown. In this order: what the meeting
// must decide or note; level changes since the previous AGM; deficiencies opened and
// resolved; annual updates given and missing; general polls decided; the services by
// level and their documented deviations; retired services last. The window runs from
// the previous AGM to the next one (or to now when none is scheduled).
import { deviationsToConfirm } from '../domain/assessment.js';
import { describeResult } from '../domain/poll.js';
import { findRequirement, keysHeldAt, type Catalogue } from '../domain/catalogue.js';
import { MEETING_TITLES, nextMeetingAfter } from '../domain/meeting.js';
import { KIND_TITLES, LADDER, levelBelow, type Level } from '../domain/service.js';
import type { DeficiencyActivity, DeficiencyRecord, MeetingRecord, MemberRecord, Repos, ServiceSummary, StoredCatalogue } from '../ports.js';
import type { Assessment } from '../domain/assessment.js';
import { formatDateTime } from '../reply/format.js';
import { storedCatalogue } from './bootstrap.js';
import { nextTurn } from '../pace.js';

/** Escapes text from chat so that it cannot add headings, links or markup to the report. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#|!~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

const cap = (s: string) => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

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

/** How section 1 writes its items' parts. */
interface DecideLines {
  d: (x: Date) => string;
  person: (id: number | null) => string;
  requirement: (key: string | null) => string;
  deficiencyLine: (x: DeficiencyRecord) => string;
}
type Descent = { name: string; level: Level; deficiencies: readonly DeficiencyRecord[] };

// Section 1, what the meeting must decide or note, in this order: descents, new
// requirements, maintainers needed, deviations to confirm, open deficiencies on proposed
// services. Each part is read a page at a time and written as lines of whole items.
const decideHeading = (nextMeeting: MeetingRecord | null, d: (x: Date) => string) =>
  nextMeeting ? `## What the ${MEETING_TITLES[nextMeeting.kind]} of ${d(nextMeeting.at)} must decide or note` : '## What the next general meeting must decide or note';
const descentLines = (services: readonly Descent[], h: DecideLines) =>
  services.flatMap((s) => [
    `- **${s.name}** descends from ${s.level} to ${levelBelow(s.level) ?? s.level} at this meeting unless fixed:`,
    ...s.deficiencies.map((x) => `  - ${h.deficiencyLine(x)} (reported ${h.d(x.reportedAt)} by ${h.person(x.reportedBy)})`),
  ]);
const pendingLines = (pending: StoredCatalogue | null) =>
  pending ? [`- New requirements take effect at this meeting: ${md(pending.name)}, version ${md(pending.version)}. Services then have until the following AGM to meet them.`] : [];
const unmaintainedLines = (services: readonly ServiceSummary[]) => services.map((s) => `- **${s.name}** (${s.level}) needs a maintainer: nobody maintains it.`);
const proposedLines = (open: readonly DeficiencyRecord[], h: DecideLines) => open.map((x) => `- ${h.deficiencyLine(x)} is open on a proposed service (nothing to descend; open until resolved).`);

/** Deviations to confirm (recorded after their verification), one item each. */
function deviationLines(catalogue: Catalogue | null, services: readonly { name: string; level: Level; assessments: readonly Assessment[] }[], requirement: (key: string | null) => string): string[] {
  if (!catalogue) return [];
  return services.flatMap((s) =>
    deviationsToConfirm(catalogue, s.level, s.assessments).map((dev) => `- **${s.name}**: a deviation from ${requirement(dev.requirementKey)} to confirm (recorded after its verification): ${md(dev.note)}`),
  );
}

const NOTHING_TO_DECIDE = 'Nothing: no service descends, no requirement changes, every service has a maintainer.';
const isItem = (line: string) => line.startsWith('- ');

/** Section 1's first `limit` items (whole items: a descent keeps its deficiencies), then how many more and where. */
function decideHead(heading: string[], decide: readonly string[], total: number, limit: number, more: string): string[] {
  if (total === 0) return [...heading, NOTHING_TO_DECIDE, ''];
  if (total <= limit) return [...heading, ...decide, ''];
  const kept: string[] = [];
  let n = 0;
  for (const line of decide) {
    if (isItem(line) && ++n > limit) break;
    kept.push(line);
  }
  return [...heading, ...kept, `- … and ${total - limit} more: ${more}.`, ''];
}

interface ReportHelpers {
  d: (x: Date) => string;
  person: (id: number | null) => string;
  requirement: (key: string | null) => string;
  deficiencyLine: (x: DeficiencyRecord) => string;
}

function reportHelpers(catalogue: Catalogue | null, people: readonly MemberRecord[], tz: string): ReportHelpers {
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
  return { d, person, requirement, deficiencyLine };
}

const reportTitle = (nextAgm: MeetingRecord | null, now: Date, d: (x: Date) => string) =>
  nextAgm ? `Service maturity report for the AGM of ${d(nextAgm.at)}` : `Service maturity report, ${d(now)}`;

/**
 * The report's head for a chat message: its title, what it covers, the co-op's counts
 * and what the meeting must decide (at most `limit` items). Bounded by what it shows:
 * it reads the open deficiencies, the unmaintained services and the deviations waiting
 * to be confirmed, never every service.
 */
export async function buildReportHead(r: Repos, now: Date, tz: string, opts: { limit: number; more: string }): Promise<{ title: string; markdown: string }> {
  const meetings = await r.meetings.list();
  const { from, nextAgm } = reportWindow(meetings, now);
  const nextMeeting = nextMeetingAfter(meetings, now);
  const first = { limit: opts.limit + 1, count: true };
  const [openCount, current, pending, unmaintained, byLevel, descending, proposed] = await Promise.all([
    r.deficiencies.countOpen(),
    r.catalogues.withStatus('current'),
    r.catalogues.withStatus('pending'),
    r.services.unmaintained(first),
    r.services.countByLevel(),
    nextMeeting ? r.deficiencies.descendingAt(nextMeeting.id, first) : { total: 0, services: [] },
    r.deficiencies.openOnProposed(first),
  ]);
  const catalogue: Catalogue | null = current ? storedCatalogue(current) : null;
  const deviating = catalogue ? await r.services.withUnagreedDeviations(keysHeldAt(catalogue), first) : { total: 0, services: [] };
  const shown = [...descending.services.flatMap((s) => s.deficiencies), ...proposed.items];
  const people = await r.members.byIds([...new Set(shown.map((x) => x.reportedBy).filter((id): id is number => id !== null))]);
  const h = reportHelpers(catalogue, people, tz);
  const title = reportTitle(nextAgm, now, h.d);
  const counts = [...LADDER].reverse().map((l) => `${byLevel[l] ?? 0} ${l}`);
  const decide = [
    ...descentLines(descending.services, h),
    ...pendingLines(pending),
    ...unmaintainedLines(unmaintained.items),
    ...deviationLines(catalogue, deviating.services, h.requirement),
    ...proposedLines(proposed.items, h),
  ];
  const total = (descending.total ?? 0) + (pending ? 1 : 0) + (unmaintained.total ?? 0) + (deviating.total ?? 0) + (proposed.total ?? 0);
  const out = [
    `# ${title}`,
    '',
    from ? `Covers ${h.d(from.at)} (the previous AGM) to ${nextAgm ? h.d(nextAgm.at) : h.d(now)}.` : `Covers everything recorded up to ${h.d(now)}.`,
    '',
    `Services: ${counts.join(', ')}, ${byLevel.retired ?? 0} retired; ${openCount} open deficienc${openCount === 1 ? 'y' : 'ies'}.`,
    '',
    ...decideHead([decideHeading(nextMeeting, h.d), ''], decide, total, opts.limit, opts.more),
  ];
  return { title, markdown: out.join('\n') };
}

/** A read of the store; the report reads in several, so no transaction is held across it. */
export type StoreRead = <T>(fn: (r: Repos) => Promise<T>) => Promise<T>;

/** Services read and written per page of the report's long sections. */
export const REPORT_PAGE = 250;

/**
 * The whole AGM report, section by section (the long sections a page of services at a
 * time), for writing to a file or a response as it is made: never one string of the whole
 * co-op. Every chunk ends at the end of a Markdown block, so each can be rendered alone.
 */
export async function* agmReportSections(read: StoreRead, now: Date, tz: string): AsyncGenerator<string> {
  // What the first section and the cover need, a read at a time with a turn for the rest
  // of the bot between them (at 50,000 services each takes tens of milliseconds).
  const reads = async <T>(f: (r: Repos) => Promise<T>): Promise<T> => {
    const value = await read(f);
    await nextTurn();
    return value;
  };
  const loaded = {
    meetings: await reads((r) => r.meetings.list()),
    current: await reads((r) => r.catalogues.withStatus('current')),
    pending: await reads((r) => r.catalogues.withStatus('pending')),
    people: await reads((r) => r.members.list({})),
    byLevel: await reads((r) => r.services.countByLevel()),
  };
  const { meetings, pending, byLevel } = loaded;
  const { from, to, nextAgm } = reportWindow(meetings, now);
  const since = from?.at ?? new Date(0);
  const until = to.getTime() < now.getTime() ? now : to;
  const nextMeeting = nextMeetingAfter(meetings, now);
  const catalogue: Catalogue | null = loaded.current ? storedCatalogue(loaded.current) : null;
  const h = reportHelpers(catalogue, loaded.people, tz);
  const { d, person, requirement, deficiencyLine } = h;
  const title = reportTitle(nextAgm, now, d);
  yield lines([
    `# ${title}`,
    '',
    from
      ? `Covers ${d(from.at)} (the previous AGM) to ${nextAgm ? `${d(nextAgm.at)} (this AGM); written ${d(now)}` : d(now)}.`
      : `Covers everything recorded up to ${d(now)} (no earlier AGM has been held).`,
  ]);

  // 1. What this meeting must decide or note: each part a page at a time.
  yield lines([decideHeading(nextMeeting, d)]);
  let items = 0;
  const written = (found: string[]) => {
    items += found.filter(isItem).length;
    return lines(found);
  };
  if (nextMeeting) {
    for await (const page of byName((after) => read(async (r) => (await r.deficiencies.descendingAt(nextMeeting.id, { limit: REPORT_PAGE, after, count: false })).services), (x) => x.name)) {
      yield written(descentLines(page, h));
    }
  }
  if (pending) yield written(pendingLines(pending));
  for await (const page of byName((after) => read(async (r) => (await r.services.unmaintained({ limit: REPORT_PAGE, after, count: false })).items), (x) => x.name)) {
    yield written(unmaintainedLines(page));
  }
  if (catalogue) {
    const keysByLevel = keysHeldAt(catalogue);
    for await (const page of byName((after) => read(async (r) => (await r.services.withUnagreedDeviations(keysByLevel, { limit: REPORT_PAGE, after, count: false })).services), (x) => x.name)) {
      const found = deviationLines(catalogue, page, requirement);
      if (found.length > 0) yield written(found);
    }
  }
  for await (const page of byId((after) => read(async (r) => (await r.deficiencies.openOnProposed({ limit: REPORT_PAGE, afterId: after, count: false })).items), (x) => x.id)) {
    yield written(proposedLines(page, h));
  }
  if (items === 0) yield lines([NOTHING_TO_DECIDE]);

  // 2. Level changes since the previous AGM (retirements are in the last section), a page at a time.
  yield '## Level changes\n\n';
  let moved = false;
  for await (const page of pages((after: { at: Date; id: number } | undefined) => read(async (r) => (await r.services.levelChanges({ from: since, to: until, retirements: false }, { limit: REPORT_PAGE, after, count: false })).items), (c) => ({ at: c.at, id: c.id }))) {
    moved = true;
    yield lines(page.map((c) => {
      const down = LADDER.indexOf(c.to as (typeof LADDER)[number]) < LADDER.indexOf(c.from as (typeof LADDER)[number]);
      return `- ${d(c.at)}: **${c.serviceName}** ${c.from} → ${c.to}${c.pollId !== null ? `, poll #${c.pollId}` : ''}${down ? ' (descent)' : ''}: ${md(c.reason)}`;
    }));
  }
  if (!moved) yield lines(['None.']);

  // 3. Deficiencies opened, resolved and lapsed in the window: counted, then each list a page at a time.
  const counts = await read((r) => r.deficiencies.activityCounts(since, until));
  const activity: { kind: DeficiencyActivity; title: string; line: (x: DeficiencyRecord) => string }[] = [
    { kind: 'opened', title: 'Opened', line: (x) => `- ${deficiencyLine(x)} — ${x.source}, reported ${d(x.reportedAt)} by ${person(x.reportedBy)}` },
    { kind: 'resolved', title: 'Resolved', line: (x) => `- ${deficiencyLine(x)} — resolved ${d(x.resolvedAt as Date)} by ${person(x.resolvedBy)}: ${md(x.resolution ?? '')}` },
    { kind: 'lapsed', title: 'Lapsed at a meeting', line: (x) => `- ${deficiencyLine(x)} — its grace ended ${d(x.lapsedAt as Date)}` },
  ];
  yield '## Deficiencies\n\n';
  for (const { kind, title, line } of activity) {
    yield `### ${title} (${counts[kind]})\n\n`;
    if (counts[kind] === 0) yield lines(['None.']);
    for await (const page of byId((after) => read((r) => r.deficiencies.activityPage(kind, since, until, after ?? 0, REPORT_PAGE)), (x) => x.id)) {
      yield lines(page.map(line));
    }
  }

  // 4. Annual updates: those given, then the verified services without one, a page at a time.
  const updatesFor = nextAgm ?? [...meetings].reverse().find((m) => m.kind === 'agm' && m.status === 'held') ?? null;
  if (!updatesFor) yield lines(['## Annual updates', '', 'No AGM is scheduled.']);
  else {
    yield `## Annual updates for the AGM of ${d(updatesFor.at)}\n\n`;
    let given = false;
    for await (const page of byName((after) => read((r) => r.updates.forMeeting(updatesFor.id, REPORT_PAGE, after)), (x) => x.serviceName)) {
      yield lines(page.map((u) => `- **${u.serviceName}**, ${d(u.givenAt)} by ${person(u.givenBy)}: ${md(u.text)}`));
      given = true;
    }
    if (!given) yield lines(['None given yet.']);
    let missing = 0;
    let headed = false;
    for await (const page of byName(async (after) => {
      const found = await read((r) => r.services.missingUpdates(updatesFor.id, REPORT_PAGE, after));
      missing ||= found.total ?? 0;
      return found.items;
    }, (x) => x.name)) {
      yield `${headed ? '' : `Missing (${missing}):\n\n`}${lines(page.map((x) => `- **${x.name}** (${x.level})`))}`;
      headed = true;
    }
    if (!headed) yield lines(['Missing: none.']);
  }

  // 5. General polls decided.
  const generalPolls = await read((r) => r.polls.endedBetween('general', since, until));
  yield lines(['## General polls decided', ''], generalPolls.length === 0 ? ['None.'] : generalPolls.map((p) => {
    const result = p.outcome ? (p.outcome.reason === 'cancelled' ? 'cancelled' : describeResult(p.outcome.result)) : p.status;
    return `- Poll #${p.id}, ${d(p.closedAt ?? p.closesAt)}: ${md(p.question)} — ${md(result)} (${p.outcome?.turnout ?? 0} of ${p.electorate} voted)`;
  }));

  // 6. The services, by level, with their documented deviations; 7. retired services, last.
  yield '## Services by level\n\n';
  for (const level of [...LADDER].reverse()) {
    if ((byLevel[level] ?? 0) === 0) continue;
    yield `### ${cap(level)} (${byLevel[level] ?? 0})\n\n`;
    for await (const page of byName((after) => read((r) => r.services.reportPage(level, after ?? null, REPORT_PAGE)), (x) => x.name)) {
      yield lines(page.flatMap((s) => [
        `- **${s.name}** (${KIND_TITLES[s.kind]}): ${md(s.summary)}. Maintainers: ${s.maintainers.length > 0 ? s.maintainers.map((m) => `@${md(m)}`).join(', ') : 'none (needs a maintainer)'}.`,
        ...s.deviations.map((a) => `  - Deviation from ${requirement(a.requirementKey)}: ${md(a.note)}`),
      ]));
    }
  }
  yield `## Retired services (${byLevel.retired ?? 0})\n\n`;
  if ((byLevel.retired ?? 0) === 0) yield lines(['None.']);
  for await (const page of byName((after) => read((r) => r.services.reportPage('retired', after ?? null, REPORT_PAGE)), (x) => x.name)) {
    yield lines(page.map((s) => `- **${s.name}**, retired ${s.retiredAt ? d(s.retiredAt) : ''}: ${md(s.retiredReason ?? '')}`));
  }
}

/** Lines of Markdown ending a block (a blank line after). */
function lines(...parts: string[][]): string {
  return `${parts.flat().join('\n')}\n\n`;
}

/** Pages of REPORT_PAGE items in a key's order (a name, an id), each read after the last key of the one before. */
async function* pages<T, K>(page: (after: K | undefined) => Promise<T[]>, keyOf: (item: T) => K): AsyncGenerator<T[]> {
  let after: K | undefined;
  for (;;) {
    const items = await page(after);
    if (items.length > 0) yield items;
    const last = items.at(-1);
    if (items.length < REPORT_PAGE || last === undefined) return;
    after = keyOf(last);
  }
}
function byName<T>(page: (after: string | undefined) => Promise<T[]>, nameOf: (item: T) => string): AsyncGenerator<T[]> {
  return pages(page, nameOf);
}
function byId<T>(page: (after: number | undefined) => Promise<T[]>, idOf: (item: T) => number): AsyncGenerator<T[]> {
  return pages(page, idOf);
}
