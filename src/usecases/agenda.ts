// What a general meeting will decide or note (its agenda), and what happened at it (its
// minutes), as facts; src/reply/agenda.ts words them.
import { deviationsToConfirm } from '../domain/assessment.js';
import type { Catalogue } from '../domain/catalogue.js';
import { nextMeetingAfter } from '../domain/meeting.js';
import { VERIFIED_LEVELS } from '../domain/service.js';
import type { DeficiencyRecord, LevelChangeRecord, MeetingRecord, PollRecord, Repos, ServiceSummary, StoredCatalogue } from '../ports.js';
import { storedCatalogue } from './bootstrap.js';

export interface Agenda {
  meeting: MeetingRecord;
  /** Services that descend at this meeting unless their deficiencies are fixed. */
  descend: { service: string; level: string; deficiencies: DeficiencyRecord[] }[];
  /** Services at alpha or above without their annual update (AGMs). */
  missingUpdates: ServiceSummary[];
  /** A requirement catalogue taking effect at this meeting. */
  catalogue: StoredCatalogue | null;
  deviations: { service: string; key: string; title: string; note: string }[];
  unmaintained: ServiceSummary[];
  /** Open polls that close before the meeting. */
  polls: PollRecord[];
}

/** The agenda of a scheduled meeting (`meetingId`, or the next one); null if there is none. */
export async function buildAgenda(r: Repos, now: Date, catalogue: Catalogue, meetingId?: number): Promise<Agenda | null> {
  const meetings = await r.meetings.list();
  const meeting = meetingId === undefined ? nextMeetingAfter(meetings, now) : (meetings.find((m) => m.id === meetingId) ?? null);
  if (!meeting) return null;
  const next = nextMeetingAfter(meetings, now);
  const [open, services, given, pending, unmaintained, polls] = await Promise.all([
    r.deficiencies.listOpen(),
    r.services.listFull({ assessments: 'deviations' }),
    meeting.kind === 'agm' ? r.updates.givenFor(meeting.id) : Promise.resolve(new Set<number>()),
    r.catalogues.withStatus('pending'),
    r.services.unmaintained(),
    r.polls.listOpen(),
  ]);
  const byService = new Map<string, DeficiencyRecord[]>();
  for (const d of open) {
    if (d.graceMeetingId !== meeting.id || d.serviceLevel === 'proposed') continue;
    byService.set(d.serviceName, [...(byService.get(d.serviceName) ?? []), d]);
  }
  const level = new Map(services.map((s) => [s.name, s.level]));
  return {
    meeting,
    descend: [...byService].sort(([a], [b]) => a.localeCompare(b)).map(([service, deficiencies]) => ({ service, level: level.get(service) ?? '', deficiencies })),
    missingUpdates: meeting.kind === 'agm' ? services.filter((s) => (VERIFIED_LEVELS as readonly string[]).includes(s.level) && !given.has(s.id)) : [],
    catalogue: next?.id === meeting.id ? pending : null,
    deviations: services.flatMap((s) =>
      deviationsToConfirm(catalogue, s.level, s.assessments).map((d) => ({ service: s.name, key: d.requirementKey, title: d.title, note: d.note })),
    ),
    unmaintained,
    polls: polls.filter((p) => p.closesAt.getTime() <= meeting.at.getTime()),
  };
}

export interface Minutes {
  meeting: MeetingRecord;
  previous: MeetingRecord | null;
  descents: (LevelChangeRecord & { serviceName: string })[];
  /** Deficiencies the reckoning opened: scrutiny, missed updates, requirements not met. */
  opened: DeficiencyRecord[];
  catalogue: { name: string; version: string; adoptedHere: boolean } | null;
  /** Level changes since the previous meeting, other than this meeting's descents. */
  changes: (LevelChangeRecord & { serviceName: string })[];
  polls: PollRecord[];
}

/** The minutes of a held meeting (`meetingId`, or the last one held); null if there is none. */
export async function buildMinutes(r: Repos, meetingId?: number): Promise<Minutes | null> {
  const meetings = (await r.meetings.list()).filter((m) => m.status === 'held');
  const meeting = meetingId === undefined ? (meetings.at(-1) ?? null) : (meetings.find((m) => m.id === meetingId) ?? null);
  if (!meeting) return null;
  const previous = meetings.filter((m) => m.at.getTime() < meeting.at.getTime()).at(-1) ?? null;
  const since = previous?.at ?? new Date(0);
  const [changes, activity, current, polls] = await Promise.all([
    r.services.levelChangesBetween(since, meeting.at),
    r.deficiencies.activityBetween(meeting.at, meeting.at),
    r.catalogues.withStatus('current'),
    r.polls.endedBetween('general', since, meeting.at),
  ]);
  const descents = changes.filter((c) => c.meetingId === meeting.id);
  return {
    meeting,
    previous,
    descents,
    opened: activity.filter((d) => d.reportedAt.getTime() === meeting.at.getTime() && d.reportedBy === null),
    catalogue: current ? { name: current.name, version: current.version, adoptedHere: current.effectiveAt?.getTime() === meeting.at.getTime() } : null,
    changes: changes.filter((c) => c.meetingId !== meeting.id && c.from !== null),
    polls,
  };
}

export { storedCatalogue };
