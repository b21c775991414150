// What a general meeting will decide or note (its agenda), and what happened at it (its
// minutes), as facts; src/reply/agenda.ts words them.
import { deviationsToConfirm } from '../domain/assessment.js';
import { keysHeldAt, type Catalogue } from '../domain/catalogue.js';
import { nextMeetingAfter } from '../domain/meeting.js';
import type { Level } from '../domain/service.js';
import type { DeficiencyRecord, LevelMove, MeetingRecord, PollRecord, Repos, ServiceSummary, StoredCatalogue } from '../ports.js';
import { storedCatalogue } from './bootstrap.js';

/** The first items of a list that can grow with the co-op, and how many there are in all. */
export interface Counted<T> {
  total: number;
  items: T[];
}

export interface Agenda {
  meeting: MeetingRecord;
  /** Services that descend at this meeting unless their deficiencies are fixed. */
  descend: Counted<{ service: string; level: Level; deficiencies: DeficiencyRecord[] }>;
  /** Services at alpha or above without their annual update (AGMs). */
  missingUpdates: Counted<ServiceSummary>;
  /** A requirement catalogue taking effect at this meeting. */
  catalogue: StoredCatalogue | null;
  /** Deviations waiting for the board (counted as the database has them: not agreed, not confirmed). */
  deviations: Counted<{ service: string; key: string; title: string; note: string }>;
  unmaintained: Counted<ServiceSummary>;
  /** Open polls that close before the meeting. */
  polls: PollRecord[];
}

/**
 * The agenda of a scheduled meeting (`meetingId`, or the next one); null if there is none.
 * Each list holds its first `limit` items, counted and selected in the database: the
 * agenda is a chat message, and the whole of every list is in the AGM report.
 */
export async function buildAgenda(r: Repos, now: Date, catalogue: Catalogue, meetingId: number | undefined, limit: number): Promise<Agenda | null> {
  const meetings = await r.meetings.list();
  const meeting = meetingId === undefined ? nextMeetingAfter(meetings, now) : (meetings.find((m) => m.id === meetingId) ?? null);
  if (!meeting) return null;
  const next = nextMeetingAfter(meetings, now);
  const first = { limit, count: true };
  const [descending, missing, deviating, pending, unmaintained, polls] = await Promise.all([
    r.deficiencies.descendingAt(meeting.id, first),
    meeting.kind === 'agm' ? r.services.missingUpdates(meeting.id, limit) : { total: 0, items: [] },
    r.services.withUnagreedDeviations(keysHeldAt(catalogue), first),
    r.catalogues.withStatus('pending'),
    r.services.unmaintained(first),
    r.polls.listOpen(),
  ]);
  return {
    meeting,
    descend: { total: descending.total ?? 0, items: descending.services.map((s) => ({ service: s.name, level: s.level, deficiencies: s.deficiencies })) },
    missingUpdates: { total: missing.total ?? 0, items: missing.items },
    catalogue: next?.id === meeting.id ? pending : null,
    deviations: {
      total: deviating.total ?? 0,
      items: deviating.services
        .flatMap((s) => deviationsToConfirm(catalogue, s.level, s.assessments).map((d) => ({ service: s.name, key: d.requirementKey, title: d.title, note: d.note })))
        .slice(0, limit),
    },
    unmaintained: { total: unmaintained.total ?? 0, items: unmaintained.items },
    polls: polls.filter((p) => p.closesAt.getTime() <= meeting.at.getTime()),
  };
}

export interface Minutes {
  meeting: MeetingRecord;
  previous: MeetingRecord | null;
  descents: Counted<LevelMove>;
  /** Deficiencies the reckoning opened: scrutiny, missed updates, requirements not met. */
  opened: Counted<DeficiencyRecord>;
  catalogue: { name: string; version: string; adoptedHere: boolean } | null;
  /** Level changes since the previous meeting, other than this meeting's descents. */
  changes: Counted<LevelMove>;
  polls: PollRecord[];
}

/** What happened at a held meeting (`meetingId`, or the last one), each list its first `limit` items and counted. */
export async function buildMinutes(r: Repos, meetingId: number | undefined, limit: number): Promise<Minutes | null> {
  const meetings = (await r.meetings.list()).filter((m) => m.status === 'held');
  const meeting = meetingId === undefined ? (meetings.at(-1) ?? null) : (meetings.find((m) => m.id === meetingId) ?? null);
  if (!meeting) return null;
  const previous = meetings.filter((m) => m.at.getTime() < meeting.at.getTime()).at(-1) ?? null;
  const since = previous?.at ?? new Date(0);
  const first = { limit, count: true };
  const [descents, changes, opened, current, polls] = await Promise.all([
    r.services.levelChanges({ from: since, to: meeting.at, meetingId: meeting.id, retirements: true }, first),
    r.services.levelChanges({ from: since, to: meeting.at, exceptMeetingId: meeting.id, retirements: true }, first),
    r.deficiencies.openedByReckoning(meeting.at, first),
    r.catalogues.withStatus('current'),
    r.polls.endedBetween('general', since, meeting.at),
  ]);
  const counted = <T>(x: { total: number | null; items: T[] }): Counted<T> => ({ total: x.total ?? x.items.length, items: x.items });
  return {
    meeting,
    previous,
    descents: counted(descents),
    opened: counted(opened),
    catalogue: current ? { name: current.name, version: current.version, adoptedHere: current.effectiveAt?.getTime() === meeting.at.getTime() } : null,
    changes: counted(changes),
    polls,
  };
}

export { storedCatalogue };
