// Stored rows into the ports' records: every stored string parsed (zod), never cast.
import { z } from 'zod';
import { sqlBool, sqlDate, sqlInt, type SqlRow } from '../sql.js';
import { ASSESSMENT_STATUSES, type Assessment } from '../../domain/assessment.js';
import { MEETING_KINDS } from '../../domain/meeting.js';
import { LEVELS, SERVICE_KINDS, VERIFIED_LEVELS } from '../../domain/service.js';
import type { AnnualUpdateRecord, DeficiencyDue, DeficiencyRecord, LadderService, LevelMove, MeetingRecord, MemberRecord, PollRecord, RequestRecord, ServiceRecord, ServiceSummary, StoredCatalogue } from '../../ports.js';

// Stored strings are parsed, never cast.
export const level = z.enum(LEVELS);
export const kind = z.enum(SERVICE_KINDS);
export const assessmentStatus = z.enum(ASSESSMENT_STATUSES);
export const catalogueStatus = z.enum(['proposed', 'pending', 'current', 'superseded', 'rejected', 'withdrawn']);
export const detail = z.record(z.string(), z.unknown());
export const pollKind = z.enum(['general', 'verification', 'requirements']);
export const pollStatus = z.enum(['open', 'closed', 'cancelled']);
export const requestStatus = z.enum(['open', 'approved', 'rejected', 'withdrawn', 'cancelled']);
export const verifiedLevel = z.enum(VERIFIED_LEVELS);
export const options = z.array(z.string()).min(2);
export const pollResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no-quorum'), turnout: z.number(), quorum: z.number() }),
  z.object({ kind: z.literal('passed'), yes: z.number(), no: z.number() }),
  z.object({ kind: z.literal('rejected'), yes: z.number(), no: z.number() }),
  z.object({ kind: z.literal('chosen'), option: z.string(), votes: z.number() }),
  z.object({ kind: z.literal('tie'), options: z.array(z.string()), votes: z.number() }),
]);
export const pollOutcome = z.object({
  result: pollResult,
  counts: z.record(z.string(), z.number()),
  turnout: z.number(),
  electorate: z.number(),
  reason: z.enum(['deadline', 'all-voted', 'board', 'cancelled']),
});

export type PollRow = {
  id: number; kind: string; question: string; options: string; createdBy: number; createdAt: Date; closesAt: Date; closedAt: Date | null;
  status: string; secret: boolean; quorum: number; electorate: number; outcome: string | null; originPlatform: string; originRoom: string | null;
};
const pollRow = z.object({
  id: sqlInt, kind: z.string(), question: z.string(), options: z.string(), createdBy: sqlInt, createdAt: sqlDate, closesAt: sqlDate, closedAt: sqlDate.nullable(),
  status: z.string(), secret: sqlBool, quorum: sqlInt, electorate: sqlInt, outcome: z.string().nullable(), originPlatform: z.string(), originRoom: z.string().nullable(),
});
const mineRow = z.object({ isElector: sqlBool, myOption: z.string().nullable() });
/** `p.*` with `"isElector"` and `"myOption"` of one member (polls.ts). */
export const pollWithMineOf = (row: SqlRow) => ({ poll: pollOf(row), ...mineRow.parse(row) });
const pollTallyRow = z.object({ pollId: sqlInt, option: z.string(), n: sqlInt });
export const pollTallyOf = (row: SqlRow) => pollTallyRow.parse(row);
/** A poll from a hand-written `SELECT *`. */
export const pollOf = (row: SqlRow): PollRecord => toPoll(pollRow.parse(row));
const attemptRow = z.object({ at: sqlDate });
export const attemptOf = (row: SqlRow): Date => attemptRow.parse(row).at;
const countAndOldestRow = z.object({ n: sqlInt, oldest: sqlDate.nullable() });
/** `COUNT(*) AS "n", MIN(…) AS "oldest"`. */
export const countAndOldest = (row: SqlRow | undefined) => {
  const r = countAndOldestRow.parse(row ?? { n: 0, oldest: null });
  return { count: r.n, oldest: r.oldest };
};
const annualUpdateRow = z.object({ serviceId: sqlInt, serviceName: z.string(), meetingId: sqlInt, text: z.string(), givenBy: sqlInt, givenAt: sqlDate });
export const annualUpdateOf = (row: SqlRow): AnnualUpdateRecord => annualUpdateRow.parse(row);
const levelMoveRow = z.object({
  id: sqlInt, serviceName: z.string(), fromLevel: level, toLevel: level, at: sqlDate, reason: z.string(), pollId: sqlInt.nullable(), meetingId: sqlInt.nullable(),
});
export const levelMoveOf = (row: SqlRow): LevelMove => {
  const { fromLevel, toLevel, ...rest } = levelMoveRow.parse(row);
  return { ...rest, from: fromLevel, to: toLevel };
};
const activityCountsRow = z.object({ opened: sqlInt, resolved: sqlInt, lapsed: sqlInt });
/** How many deficiencies were opened, resolved and lapsed in a window. */
export const activityCountsOf = (row: SqlRow | undefined) => activityCountsRow.parse(row ?? { opened: 0, resolved: 0, lapsed: 0 });
const countRow = z.object({ n: sqlInt });
/** `SELECT COUNT(*) AS "n"`. */
export const countOf = (rows: readonly SqlRow[]): number => countRow.parse(rows[0]).n;

export function toPoll(row: PollRow): PollRecord {
  return {
    id: row.id,
    kind: pollKind.parse(row.kind),
    question: row.question,
    options: options.parse(JSON.parse(row.options)),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    closesAt: row.closesAt,
    closedAt: row.closedAt,
    status: pollStatus.parse(row.status),
    secret: row.secret,
    quorum: row.quorum,
    electorate: row.electorate,
    outcome: row.outcome === null ? null : pollOutcome.parse(JSON.parse(row.outcome)),
    originPlatform: row.originPlatform,
    originRoom: row.originRoom,
  };
}

export type RequestRow = {
  id: number; serviceId: number; fromLevel: string; targetLevel: string; evidence: string; status: string; requestedBy: number;
  requestedAt: Date; closedAt: Date | null; pollId: number | null; requirements: string; service: { name: string };
};
export const requirementSnapshot = z.array(
  z.object({ key: z.string(), title: z.string(), status: z.enum(['met', 'unmet', 'deviation', 'not assessed']), note: z.string() }),
);
export function toRequest(row: RequestRow): RequestRecord {
  return {
    id: row.id,
    serviceId: row.serviceId,
    serviceName: row.service.name,
    fromLevel: level.parse(row.fromLevel),
    targetLevel: verifiedLevel.parse(row.targetLevel),
    evidence: row.evidence,
    status: requestStatus.parse(row.status),
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    closedAt: row.closedAt,
    pollId: row.pollId,
    requirements: requirementSnapshot.parse(JSON.parse(row.requirements)),
  };
}
export const requestInclude = { service: { select: { name: true } } } as const;

export const meetingKind = z.enum(MEETING_KINDS);
export const meetingStatus = z.enum(['scheduled', 'held', 'cancelled']);
export type MeetingRow = { id: number; kind: string; at: Date; status: string; createdAt: Date; reckonedAt: Date | null };
const meetingRow = z.object({ id: sqlInt, kind: z.string(), at: sqlDate, status: z.string(), createdAt: sqlDate, reckonedAt: sqlDate.nullable() });
export const meetingOf = (row: SqlRow): MeetingRecord => toMeeting(meetingRow.parse(row));
export function toMeeting(row: MeetingRow): MeetingRecord {
  return { id: row.id, kind: meetingKind.parse(row.kind), at: row.at, status: meetingStatus.parse(row.status), createdAt: row.createdAt, reckonedAt: row.reckonedAt };
}

export const deficiencySource = z.enum(['report', 'change', 'missed-update', 'requirements', 'scrutiny']);
export type DeficiencyRow = {
  id: number; serviceId: number; requirementKey: string | null; description: string; source: string; reportedBy: number | null; reportedAt: Date;
  graceMeetingId: number | null; graceReason: string | null; resolvedAt: Date | null; resolvedBy: number | null; resolution: string | null; lapsedAt: Date | null;
  service: { name: string; level: string }; graceMeeting: { at: Date } | null;
};
const deficiencyRow = z.object({
  id: sqlInt, serviceId: sqlInt, requirementKey: z.string().nullable(), description: z.string(), source: z.string(), reportedBy: sqlInt.nullable(), reportedAt: sqlDate,
  graceMeetingId: sqlInt.nullable(), graceReason: z.string().nullable(), resolvedAt: sqlDate.nullable(), resolvedBy: sqlInt.nullable(), resolution: z.string().nullable(),
  lapsedAt: sqlDate.nullable(), serviceName: z.string(), serviceLevel: z.string(), graceAt: sqlDate.nullable(),
});
const deficiencyDueRow = z.object({ id: sqlInt, serviceId: sqlInt, serviceName: z.string(), serviceLevel: level, description: z.string() });
/** An open deficiency as its reminder names it. */
export const deficiencyDueOf = (row: SqlRow): DeficiencyDue => deficiencyDueRow.parse(row);
const dueRow = z.object({ id: sqlInt, serviceId: sqlInt, requirementKey: z.string().nullable() });
export const dueOf = (row: SqlRow) => dueRow.parse(row);
const summaryRow = z.object({ id: sqlInt, description: z.string(), requirementKey: z.string().nullable(), reportedAt: sqlDate, graceUntil: sqlDate.nullable(), graceReason: z.string().nullable() });
/** What /service level shows of an open deficiency. */
export const summaryOf = (row: SqlRow) => summaryRow.parse(row);
const standingRow = z.object({
  id: sqlInt, name: z.string(), kind: z.string(), summary: z.string(), level: z.string(), levelSince: sqlDate, retiredReason: z.string().nullable(), deficiencyId: sqlInt.nullable(),
});
/** A service's summary with one of its open deficiencies, if it has any (services.ts). */
export const standingOf = (row: SqlRow) => {
  const { retiredReason, deficiencyId, ...service } = standingRow.parse(row);
  return { service: { ...toSummary(service), retiredReason }, open: deficiencyId === null ? null : summaryOf({ ...row, id: deficiencyId }) };
};
const openedRow = z.object({ id: sqlInt, serviceId: sqlInt, source: z.string() });
export const openedOf = (row: SqlRow) => openedRow.parse(row);
const keyRow = z.object({ key: z.string() });
export const keyOf = (row: SqlRow) => keyRow.parse(row).key;
/** A deficiency from a hand-written join with its service and grace meeting. */
export function deficiencyOf(raw: SqlRow): DeficiencyRecord {
  const r = deficiencyRow.parse(raw);
  return toDeficiency({ ...r, service: { name: r.serviceName, level: r.serviceLevel }, graceMeeting: r.graceAt === null ? null : { at: r.graceAt } });
}

export function toDeficiency(row: DeficiencyRow): DeficiencyRecord {
  return {
    id: row.id,
    serviceId: row.serviceId,
    serviceName: row.service.name,
    serviceLevel: level.parse(row.service.level),
    requirementKey: row.requirementKey,
    description: row.description,
    source: deficiencySource.parse(row.source),
    reportedBy: row.reportedBy,
    reportedAt: row.reportedAt,
    graceMeetingId: row.graceMeetingId,
    graceUntil: row.graceMeeting?.at ?? null,
    graceReason: row.graceReason,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
    lapsedAt: row.lapsedAt,
  };
}

export const memberInclude = { identities: { select: { platform: true, externalId: true } } } as const;

export type MemberRow = {
  id: number;
  name: string;
  isMember: boolean;
  isBoard: boolean;
  identities: { platform: string; externalId: string }[];
};

const memberIdentityRow = z.object({
  id: sqlInt, name: z.string(), isMember: sqlBool, isBoard: sqlBool, platform: z.string().nullable(), externalId: z.string().nullable(),
});
/** Members from the rows of members joined with their identities (one row per identity, or one with none), in the rows' order. */
export function membersOf(rows: readonly SqlRow[]): MemberRecord[] {
  const out = new Map<number, MemberRecord>();
  for (const raw of rows) {
    const r = memberIdentityRow.parse(raw);
    let m = out.get(r.id);
    if (!m) out.set(r.id, (m = { id: r.id, name: r.name, isMember: r.isMember, isBoard: r.isBoard, identities: [] }));
    if (r.platform !== null && r.externalId !== null) m.identities.push(`${r.platform}:${r.externalId}`);
  }
  return [...out.values()];
}
export const memberOf = (rows: readonly SqlRow[]): MemberRecord | null => membersOf(rows)[0] ?? null;

const serviceRow = z.object({
  id: sqlInt, name: z.string(), kind: z.string(), summary: z.string(), provides: z.string(), principles: z.string(), level: z.string(),
  levelSince: sqlDate, createdAt: sqlDate, retiredAt: sqlDate.nullable(), retiredReason: z.string().nullable(),
});
export const serviceOf = (row: SqlRow) => serviceRow.parse(row);
/** A service's whole record from its row and what links to it (the names sorted). */
export function serviceRecordOf(row: z.infer<typeof serviceRow>, links: { maintainers: MemberRecord[]; uses: string[]; usedBy: string[] }): ServiceRecord {
  return {
    ...toSummary(row),
    provides: row.provides,
    principles: row.principles,
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
    retiredReason: row.retiredReason,
    maintainers: links.maintainers,
    uses: [...links.uses].sort(),
    usedBy: [...links.usedBy].sort(),
  };
}
const serviceSummaryRow = z.object({ id: sqlInt, name: z.string(), kind: z.string(), summary: z.string(), level: z.string(), levelSince: sqlDate });
export const serviceSummaryOf = (row: SqlRow): ServiceSummary => toSummary(serviceSummaryRow.parse(row));
const idRow = z.object({ id: sqlInt });
export const idOf = (row: SqlRow) => idRow.parse(row).id;
const idNameRow = z.object({ id: sqlInt, name: z.string() });
export const idName = (row: SqlRow) => idNameRow.parse(row);
const nameRow = z.object({ name: z.string() });
/** The `name` column of each row. */
export const namesOf = (rows: readonly SqlRow[]): string[] => rows.map((row) => nameRow.parse(row).name);
const pairRow = z.object({ a: sqlInt, b: sqlInt });
/** A space-separated list the engine aggregated (null when empty). */
const spaced = z
  .string()
  .nullable()
  .transform((s) => (s === null || s === '' ? [] : s.split(' ')));
const ladderRow = z.object({
  id: sqlInt,
  name: z.string(),
  level,
  maintainers: spaced.pipe(z.array(z.coerce.number<string>().int())),
  met: spaced.pipe(z.array(z.string().min(1))),
  uses: spaced.pipe(z.array(z.coerce.number<string>().int())),
});
/** A row of dialect.ts's `ladderRows`. */
export const ladderOf = (row: SqlRow): LadderService => {
  const r = ladderRow.parse(row);
  return { id: r.id, name: r.name, level: r.level, maintainerIds: r.maintainers, met: r.met, usesIds: r.uses };
};
/** Two ids (a service and a member, or two services). */
export const pairOf = (row: SqlRow) => pairRow.parse(row);
const assessmentRow = z.object({
  serviceId: sqlInt, requirementKey: z.string(), status: z.string(), note: z.string(), assessedAt: sqlDate, agreedPollId: sqlInt.nullable(), confirmedAt: sqlDate.nullable(),
});
export const assessmentOf = (row: SqlRow) => assessmentRow.parse(row);

export function toMember(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    name: row.name,
    isMember: row.isMember,
    isBoard: row.isBoard,
    identities: row.identities.map((i) => `${i.platform}:${i.externalId}`),
  };
}

export type AssessmentRow = { requirementKey: string; status: string; note: string; assessedAt: Date; agreedPollId: number | null; confirmedAt: Date | null };
export function toAssessment(a: AssessmentRow): Assessment {
  return { requirementKey: a.requirementKey, status: assessmentStatus.parse(a.status), note: a.note, assessedAt: a.assessedAt, agreedPollId: a.agreedPollId, confirmedAt: a.confirmedAt };
}

type SummaryRow = { id: number; name: string; kind: string; summary: string; level: string; levelSince: Date };
export function toSummary(row: SummaryRow): ServiceSummary {
  return { id: row.id, name: row.name, kind: kind.parse(row.kind), summary: row.summary, level: level.parse(row.level), levelSince: row.levelSince };
}

export type CatalogueRow = { id: number; name: string; version: string; hash: string; content: string; status: string; recordedAt: Date; effectiveAt: Date | null; pollId: number | null };
export function toCatalogue(row: CatalogueRow): StoredCatalogue {
  return { ...row, status: catalogueStatus.parse(row.status) };
}

/** Rows written by one multi-row INSERT at most: its parameters stay within SQLite's limit. */
export const ROWS_PER_INSERT = 100;
