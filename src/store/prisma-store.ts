// The Store port on Prisma. Write transactions are serialised in-process and start
// by touching the WriteLock row, so SQLite's write lock is taken (waiting up to the
// busy timeout) at the start of the transaction instead of at COMMIT. A COMMIT that
// cannot hit SQLITE_BUSY keeps us clear of prisma/orm#29933 (see ENVIRONMENT.md).
import { z } from 'zod';
import type { Assessment } from '../domain/assessment.js';
import { ASSESSMENT_STATUSES } from '../domain/assessment.js';
import { MEETING_KINDS } from '../domain/meeting.js';
import { LEVELS, SERVICE_KINDS, VERIFIED_LEVELS } from '../domain/service.js';
import type {
  AuditEntry,
  AuditRecord,
  DeficiencyRecord,
  MeetingRecord,
  MemberRecord,
  PollRecord,
  Repos,
  RequestRecord,
  ServiceRecord,
  ServiceSummary,
  StoredCatalogue,
  Store,
} from '../ports.js';
import type { Prisma } from '../../prisma/generated/client.js';
import type { Db, Tx } from './database.js';
import { Mutex } from './mutex.js';

// Lookups use findFirst, not findUnique: Prisma batches concurrent findUnique calls
// into one `IN (…)` query, which overflows SQLite's parameter limit when a thousand
// people vote at once ("The query parameter limit supported by your database is exceeded").

// Stored strings are parsed, never cast.
const level = z.enum(LEVELS);
const kind = z.enum(SERVICE_KINDS);
const assessmentStatus = z.enum(ASSESSMENT_STATUSES);
const catalogueStatus = z.enum(['proposed', 'pending', 'current', 'superseded', 'rejected', 'withdrawn']);
const detail = z.record(z.string(), z.unknown());
const pollKind = z.enum(['general', 'verification', 'requirements']);
const pollStatus = z.enum(['open', 'closed', 'cancelled']);
const requestStatus = z.enum(['open', 'approved', 'rejected', 'withdrawn', 'cancelled']);
const verifiedLevel = z.enum(VERIFIED_LEVELS);
const options = z.array(z.string()).min(2);
const pollResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no-quorum'), turnout: z.number(), quorum: z.number() }),
  z.object({ kind: z.literal('passed'), yes: z.number(), no: z.number() }),
  z.object({ kind: z.literal('rejected'), yes: z.number(), no: z.number() }),
  z.object({ kind: z.literal('chosen'), option: z.string(), votes: z.number() }),
  z.object({ kind: z.literal('tie'), options: z.array(z.string()), votes: z.number() }),
]);
const pollOutcome = z.object({
  result: pollResult,
  counts: z.record(z.string(), z.number()),
  turnout: z.number(),
  electorate: z.number(),
  reason: z.enum(['deadline', 'all-voted', 'board', 'cancelled']),
});

type PollRow = {
  id: number; kind: string; question: string; options: string; createdBy: number; createdAt: Date; closesAt: Date; closedAt: Date | null;
  status: string; secret: boolean; quorum: number; electorate: number; outcome: string | null; originPlatform: string; originRoom: string | null;
};
function toPoll(row: PollRow): PollRecord {
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

type RequestRow = {
  id: number; serviceId: number; fromLevel: string; targetLevel: string; evidence: string; status: string; requestedBy: number;
  requestedAt: Date; closedAt: Date | null; pollId: number | null; requirements: string; service: { name: string };
};
const requirementSnapshot = z.array(
  z.object({ key: z.string(), title: z.string(), status: z.enum(['met', 'unmet', 'deviation', 'not assessed']), note: z.string() }),
);
function toRequest(row: RequestRow): RequestRecord {
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
const requestInclude = { service: { select: { name: true } } } as const;

const meetingKind = z.enum(MEETING_KINDS);
const meetingStatus = z.enum(['scheduled', 'held', 'cancelled']);
type MeetingRow = { id: number; kind: string; at: Date; status: string; createdAt: Date; reckonedAt: Date | null };
function toMeeting(row: MeetingRow): MeetingRecord {
  return { id: row.id, kind: meetingKind.parse(row.kind), at: row.at, status: meetingStatus.parse(row.status), createdAt: row.createdAt, reckonedAt: row.reckonedAt };
}

const deficiencySource = z.enum(['report', 'change', 'missed-update', 'requirements', 'scrutiny']);
const deficiencyInclude = { service: { select: { name: true, level: true } }, graceMeeting: { select: { at: true } } } as const;
type DeficiencyRow = {
  id: number; serviceId: number; requirementKey: string | null; description: string; source: string; reportedBy: number | null; reportedAt: Date;
  graceMeetingId: number | null; graceReason: string | null; resolvedAt: Date | null; resolvedBy: number | null; resolution: string | null; lapsedAt: Date | null;
  service: { name: string; level: string }; graceMeeting: { at: Date } | null;
};
function toDeficiency(row: DeficiencyRow): DeficiencyRecord {
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

const memberInclude = { identities: { select: { platform: true, externalId: true } } } as const;

type MemberRow = {
  id: number;
  name: string;
  isMember: boolean;
  isBoard: boolean;
  identities: { platform: string; externalId: string }[];
};

function toMember(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    name: row.name,
    isMember: row.isMember,
    isBoard: row.isBoard,
    identities: row.identities.map((i) => `${i.platform}:${i.externalId}`),
  };
}

type SummaryRow = { id: number; name: string; kind: string; summary: string; level: string; levelSince: Date };
function toSummary(row: SummaryRow): ServiceSummary {
  return { id: row.id, name: row.name, kind: kind.parse(row.kind), summary: row.summary, level: level.parse(row.level), levelSince: row.levelSince };
}

function repos(tx: Tx): Repos {
  // Lists never use relation includes: Prisma loads an include with one `IN (…)` list of
  // parent ids, which SQLite refuses beyond its parameter limit (about a thousand rows).
  // Lists join in code, from flat queries, or filter through relations (subqueries).
  const identitiesOf = async (where: Prisma.IdentityWhereInput): Promise<Map<number, string[]>> => {
    const rows = await tx.identity.findMany({ where, select: { memberId: true, platform: true, externalId: true }, orderBy: { id: 'asc' } });
    const byMember = new Map<number, string[]>();
    for (const r of rows) byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), `${r.platform}:${r.externalId}`]);
    return byMember;
  };
  const membersWhere = async (where: Prisma.MemberWhereInput): Promise<MemberRecord[]> => {
    const [rows, ids] = await Promise.all([
      tx.member.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
      identitiesOf({ member: where }),
    ]);
    return rows.map((m) => ({ id: m.id, name: m.name, isMember: m.isMember, isBoard: m.isBoard, identities: ids.get(m.id) ?? [] }));
  };
  const serviceNames = async (): Promise<Map<number, string>> =>
    new Map((await tx.service.findMany({ select: { id: true, name: true } })).map((r) => [r.id, r.name]));
  const deficienciesWhere = async (where: Prisma.DeficiencyWhereInput): Promise<DeficiencyRecord[]> => {
    const [rows, services, meetings] = await Promise.all([
      tx.deficiency.findMany({ where, orderBy: { id: 'asc' } }),
      tx.service.findMany({ where: { deficiencies: { some: where } }, select: { id: true, name: true, level: true } }),
      tx.meeting.findMany({ select: { id: true, at: true } }),
    ]);
    const names = new Map(services.map((s) => [s.id, { name: s.name, level: s.level }]));
    const at = new Map(meetings.map((m) => [m.id, m.at]));
    return rows.map((r) =>
      toDeficiency({ ...r, service: names.get(r.serviceId) ?? { name: '?', level: 'proposed' }, graceMeeting: r.graceMeetingId === null ? null : { at: at.get(r.graceMeetingId) ?? new Date(0) } }),
    );
  };
  return {
    members: {
      async byIdentity(ref) {
        const identity = await tx.identity.findFirst({
          where: { platform: ref.platform, externalId: ref.externalId },
          include: { member: { include: memberInclude } },
        });
        return identity ? toMember(identity.member) : null;
      },
      async byId(id) {
        const row = await tx.member.findFirst({ where: { id }, include: memberInclude });
        return row ? toMember(row) : null;
      },
      async create(input) {
        const row = await tx.member.create({
          data: {
            name: input.name,
            isMember: input.isMember,
            isBoard: input.isBoard,
            joinedAt: input.at,
            identities: { create: { platform: input.identity.platform, externalId: input.identity.externalId, linkedAt: input.at } },
          },
          include: memberInclude,
        });
        return toMember(row);
      },
      async update(id, patch) {
        await tx.member.update({ where: { id }, data: patch });
      },
      list: (filter) =>
        membersWhere({
          ...(filter.roster !== undefined ? { isMember: filter.roster } : {}),
          ...(filter.board !== undefined ? { isBoard: filter.board } : {}),
        }),
      countAll: () => tx.member.count(),
      async namedById(platform, limit) {
        // A join Prisma cannot express as a filter (a column compared with another table's).
        const rows = await tx.$queryRaw<{ memberId: number | bigint; externalId: string }[]>`
          SELECT m."id" AS "memberId", i."externalId" AS "externalId" FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId"
          WHERE i."platform" = ${platform} AND m."name" = i."externalId" ORDER BY m."id" LIMIT ${limit}`;
        return rows.map((r) => ({ memberId: Number(r.memberId), externalId: r.externalId }));
      },
      countRoster: () => tx.member.count({ where: { isMember: true } }),
      async addIdentity(memberId, ref, at) {
        await tx.identity.create({ data: { memberId, platform: ref.platform, externalId: ref.externalId, linkedAt: at } });
      },
      async removeIdentity(ref) {
        await tx.identity.deleteMany({ where: { platform: ref.platform, externalId: ref.externalId } });
      },
      async hasHistory(memberId) {
        const m = await tx.member.findFirst({
          where: { id: memberId },
          select: { isMember: true, isBoard: true, _count: { select: { maintains: true, votes: true, electorates: true } } },
        });
        if (!m) return false;
        return m.isMember || m.isBoard || m._count.maintains + m._count.votes + m._count.electorates > 0;
      },
    },

    services: {
      async byName(name) {
        const row = await tx.service.findFirst({
          where: { name },
          include: {
            maintainers: { include: { member: { include: memberInclude } }, orderBy: { addedAt: 'asc' } },
            uses: { include: { uses: { select: { name: true } } } },
            usedBy: { include: { service: { select: { name: true } } } },
          },
        });
        if (!row) return null;
        const record: ServiceRecord = {
          ...toSummary(row),
          provides: row.provides,
          principles: row.principles,
          createdAt: row.createdAt,
          retiredAt: row.retiredAt,
          retiredReason: row.retiredReason,
          maintainers: row.maintainers.map((m) => toMember(m.member)),
          uses: row.uses.map((u) => u.uses.name).sort(),
          usedBy: row.usedBy.map((u) => u.service.name).sort(),
        };
        return record;
      },
      async missingUpdates(meetingId, limit) {
        const where: Prisma.ServiceWhereInput = { level: { in: [...VERIFIED_LEVELS] }, updates: { none: { meetingId } } };
        const [total, rows] = await Promise.all([
          tx.service.count({ where }),
          tx.service.findMany({ where, select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true }, orderBy: { name: 'asc' }, take: limit }),
        ]);
        return { total, items: rows.map(toSummary) };
      },
      async countByLevel() {
        const rows = await tx.service.groupBy({ by: ['level'], _count: { _all: true } });
        return Object.fromEntries(rows.map((r) => [level.parse(r.level), r._count._all]));
      },
      async list(filter) {
        const rows = await tx.service.findMany({
          where: { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.level ? { level: filter.level } : {}) },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      async page(filter, page) {
        const where = {
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.level ? { level: filter.level } : { level: { not: 'retired' } }),
        };
        const [total, rows] = await Promise.all([
          tx.service.count({ where }),
          tx.service.findMany({
            where,
            select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
            orderBy: { name: 'asc' },
            skip: page.offset,
            take: page.limit,
          }),
        ]);
        return { total, items: rows.map(toSummary) };
      },
      async create(input) {
        const row = await tx.service.create({
          data: {
            name: input.name,
            kind: input.kind,
            summary: input.summary,
            level: 'proposed',
            levelSince: input.at,
            createdAt: input.at,
            maintainers: { create: { memberId: input.maintainerId, addedAt: input.at } },
            levelChanges: { create: { fromLevel: null, toLevel: 'proposed', at: input.at, reason: 'proposed' } },
          },
        });
        const created = await this.byName(row.name);
        if (!created) throw new Error('service vanished after create');
        return created;
      },
      async update(id, patch) {
        await tx.service.update({ where: { id }, data: patch });
      },
      async addMaintainer(serviceId, memberId, at) {
        await tx.serviceMaintainer.create({ data: { serviceId, memberId, addedAt: at } });
      },
      async removeMaintainer(serviceId, memberId) {
        await tx.serviceMaintainer.delete({ where: { serviceId_memberId: { serviceId, memberId } } });
      },
      async setUses(serviceId, usesIds) {
        await tx.serviceUse.deleteMany({ where: { serviceId } });
        if (usesIds.length > 0) await tx.serviceUse.createMany({ data: usesIds.map((usesId) => ({ serviceId, usesId })) });
      },
      async maintainedBy(memberId) {
        const rows = await tx.service.findMany({
          where: { level: { not: 'retired' }, maintainers: { some: { memberId } } },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      async unmaintained() {
        const rows = await tx.service.findMany({
          where: { level: { not: 'retired' }, maintainers: { none: {} } },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      async usesGraph() {
        const [services, edges] = await Promise.all([
          tx.service.findMany({ select: { id: true, name: true } }),
          tx.serviceUse.findMany(),
        ]);
        const names = new Map(services.map((s) => [s.id, s.name]));
        const graph = new Map<string, string[]>(services.map((s) => [s.name, []]));
        for (const e of edges) {
          const from = names.get(e.serviceId);
          const to = names.get(e.usesId);
          if (from && to) graph.get(from)?.push(to);
        }
        return graph;
      },
      async recordLevelChange(serviceId, c) {
        await tx.levelChange.create({
          data: { serviceId, fromLevel: c.from, toLevel: c.to, at: c.at, reason: c.reason, pollId: c.pollId, meetingId: c.meetingId ?? null },
        });
      },
      async levelChangesBetween(from, to) {
        const [rows, names] = await Promise.all([
          tx.levelChange.findMany({ where: { at: { gte: from, lte: to } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
          serviceNames(),
        ]);
        return rows.map((r) => ({
          serviceName: names.get(r.serviceId) ?? '?',
          from: r.fromLevel === null ? null : level.parse(r.fromLevel),
          to: level.parse(r.toLevel),
          at: r.at,
          reason: r.reason,
          pollId: r.pollId,
          meetingId: r.meetingId,
        }));
      },
      async listFull(opts = {}) {
        // Assessments are most of a large co-op's rows: only those asked for are loaded.
        const wanted = opts.assessments ?? 'all';
        const [rows, maintainers, members, uses, assessments] = await Promise.all([
          tx.service.findMany({ orderBy: { name: 'asc' } }),
          tx.serviceMaintainer.findMany({ orderBy: [{ addedAt: 'asc' }, { memberId: 'asc' }] }),
          membersWhere({ maintains: { some: {} } }),
          tx.serviceUse.findMany(),
          wanted === 'none' ? [] : tx.assessment.findMany({ where: wanted === 'deviations' ? { status: 'deviation' } : {}, orderBy: { requirementKey: 'asc' } }),
        ]);
        const names = new Map(rows.map((r) => [r.id, r.name]));
        const memberById = new Map(members.map((m) => [m.id, m]));
        const group = <T, K>(items: T[], key: (t: T) => K) => {
          const out = new Map<K, T[]>();
          for (const i of items) {
            const k = key(i);
            const list = out.get(k);
            if (list) list.push(i);
            else out.set(k, [i]);
          }
          return out;
        };
        const maintainersOf = group(maintainers, (m) => m.serviceId);
        const usesOf = group(uses, (u) => u.serviceId);
        const usedByOf = group(uses, (u) => u.usesId);
        const assessmentsOf = group(assessments, (a) => a.serviceId);
        return rows.map((row) => ({
          ...toSummary(row),
          provides: row.provides,
          principles: row.principles,
          createdAt: row.createdAt,
          retiredAt: row.retiredAt,
          retiredReason: row.retiredReason,
          maintainers: (maintainersOf.get(row.id) ?? []).map((m) => memberById.get(m.memberId)).filter((m): m is MemberRecord => m !== undefined),
          uses: (usesOf.get(row.id) ?? []).map((u) => names.get(u.usesId) ?? '?').sort(),
          usedBy: (usedByOf.get(row.id) ?? []).map((u) => names.get(u.serviceId) ?? '?').sort(),
          assessments: (assessmentsOf.get(row.id) ?? []).map(
            (a): Assessment => ({
              requirementKey: a.requirementKey, status: assessmentStatus.parse(a.status), note: a.note, assessedAt: a.assessedAt, agreedPollId: a.agreedPollId, confirmedAt: a.confirmedAt,
            }),
          ),
        }));
      },
      async levelHistory(serviceId) {
        const rows = await tx.levelChange.findMany({ where: { serviceId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
        return rows.map((r) => ({
          from: r.fromLevel === null ? null : level.parse(r.fromLevel),
          to: level.parse(r.toLevel),
          at: r.at,
          reason: r.reason,
          pollId: r.pollId,
        }));
      },
    },

    assessments: {
      async forService(serviceId) {
        const rows = await tx.assessment.findMany({ where: { serviceId }, orderBy: { requirementKey: 'asc' } });
        return rows.map(
          (r): Assessment => ({
            requirementKey: r.requirementKey, status: assessmentStatus.parse(r.status), note: r.note, assessedAt: r.assessedAt, agreedPollId: r.agreedPollId, confirmedAt: r.confirmedAt,
          }),
        );
      },
      async agree(serviceId, requirementKey, note, pollId) {
        await tx.assessment.updateMany({ where: { serviceId, requirementKey, status: 'deviation', note }, data: { agreedPollId: pollId } });
      },
      async confirm(serviceId, requirementKey, at, by) {
        await tx.assessment.updateMany({ where: { serviceId, requirementKey }, data: { confirmedAt: at, confirmedBy: by } });
      },
      async upsert(serviceId, a) {
        // A new assessment is a new statement: an earlier agreement or confirmation does not carry over.
        const data = { status: a.status, note: a.note, assessedAt: a.at, assessedBy: a.by, agreedPollId: null, confirmedAt: null, confirmedBy: null };
        await tx.assessment.upsert({
          where: { serviceId_requirementKey: { serviceId, requirementKey: a.requirementKey } },
          create: { serviceId, requirementKey: a.requirementKey, ...data },
          update: data,
        });
      },
    },

    deficiencies: {
      async byId(id) {
        const row = await tx.deficiency.findFirst({ where: { id }, include: deficiencyInclude });
        return row ? toDeficiency(row) : null;
      },
      async create(input) {
        const row = await tx.deficiency.create({ data: input, include: deficiencyInclude });
        return toDeficiency(row);
      },
      listOpen: () => deficienciesWhere({ resolvedAt: null, lapsedAt: null }),
      countOpen: () => tx.deficiency.count({ where: { resolvedAt: null, lapsedAt: null } }),
      activityBetween(from, to) {
        const range = { gte: from, lte: to };
        return deficienciesWhere({ OR: [{ reportedAt: range }, { resolvedAt: range }, { lapsedAt: range }] });
      },
      async reportedBy(memberId, since) {
        const where = { reportedBy: memberId, source: { in: ['report', 'change'] }, reportedAt: { gt: since } };
        const [count, oldest] = await Promise.all([tx.deficiency.count({ where }), tx.deficiency.findFirst({ where, orderBy: { reportedAt: 'asc' }, select: { reportedAt: true } })]);
        return { count, oldest: oldest?.reportedAt ?? null };
      },
      async idsFor(serviceId) {
        return (await tx.deficiency.findMany({ where: { serviceId }, select: { id: true } })).map((r) => r.id);
      },
      async setGrace(id, meetingId, reason) {
        await tx.deficiency.update({ where: { id }, data: { graceMeetingId: meetingId, ...(reason !== undefined ? { graceReason: reason } : {}) } });
      },
      async resolve(id, input) {
        await tx.deficiency.update({ where: { id }, data: { resolvedAt: input.at, resolvedBy: input.by, resolution: input.note } });
      },
      async lapse(id, at) {
        await tx.deficiency.update({ where: { id }, data: { lapsedAt: at } });
      },
      async openFor(serviceId) {
        const rows = await tx.deficiency.findMany({
          where: { serviceId, resolvedAt: null, lapsedAt: null },
          include: { graceMeeting: { select: { at: true } } },
          orderBy: { id: 'asc' },
        });
        return rows.map((r) => ({
          id: r.id,
          description: r.description,
          requirementKey: r.requirementKey,
          reportedAt: r.reportedAt,
          graceUntil: r.graceMeeting?.at ?? null,
          graceReason: r.graceReason,
        }));
      },
    },

    attempts: {
      async record(key, at) {
        await tx.attempt.create({ data: { key, at } });
      },
      async since(key, since) {
        const where = { key, at: { gt: since } };
        const [count, oldest] = await Promise.all([tx.attempt.count({ where }), tx.attempt.findFirst({ where, orderBy: { at: 'asc' }, select: { at: true } })]);
        return { count, oldest: oldest?.at ?? null };
      },
      async prune(before) {
        return (await tx.attempt.deleteMany({ where: { at: { lt: before } } })).count;
      },
    },

    watches: {
      async add(memberId, serviceId, at) {
        const found = await tx.watch.findFirst({ where: { memberId, serviceId } });
        if (found) return false;
        await tx.watch.create({ data: { memberId, serviceId, createdAt: at } });
        return true;
      },
      async remove(memberId, serviceId) {
        return (await tx.watch.deleteMany({ where: { memberId, serviceId } })).count > 0;
      },
      async forMember(memberId) {
        const rows = await tx.service.findMany({
          where: { watchers: { some: { memberId } } },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
      },
      watchersOf: (serviceIds) => membersWhere({ watches: { some: { serviceId: { in: serviceIds } } } }),
    },

    catalogues: {
      async withStatus(status) {
        const row = await tx.catalogue.findFirst({ where: { status }, orderBy: { id: 'desc' } });
        return row ? toCatalogue(row) : null;
      },
      async record(input) {
        const row = await tx.catalogue.create({
          data: {
            name: input.name,
            version: input.version,
            hash: input.hash,
            content: input.content,
            status: input.status,
            recordedAt: input.at,
            effectiveAt: input.status === 'current' ? input.at : null,
          },
        });
        return toCatalogue(row);
      },
      async byHash(hash) {
        const row = await tx.catalogue.findFirst({ where: { hash }, orderBy: { id: 'desc' } });
        return row ? toCatalogue(row) : null;
      },
      async byPoll(pollId) {
        const row = await tx.catalogue.findFirst({ where: { pollId } });
        return row ? toCatalogue(row) : null;
      },
      async setPoll(id, pollId) {
        await tx.catalogue.update({ where: { id }, data: { pollId } });
      },
      async firstRecordedAt() {
        return (await tx.catalogue.findFirst({ orderBy: { id: 'asc' }, select: { recordedAt: true } }))?.recordedAt ?? null;
      },
      async setStatus(id, status, effectiveAt, meetingId) {
        await tx.catalogue.update({ where: { id }, data: { status, ...(effectiveAt ? { effectiveAt } : {}), ...(meetingId ? { meetingId } : {}) } });
      },
    },

    meetings: {
      async create(input) {
        return toMeeting(await tx.meeting.create({ data: { ...input, status: 'scheduled' } }));
      },
      async byId(id) {
        const row = await tx.meeting.findFirst({ where: { id } });
        return row ? toMeeting(row) : null;
      },
      async list() {
        return (await tx.meeting.findMany({ orderBy: [{ at: 'asc' }, { id: 'asc' }] })).map(toMeeting);
      },
      async update(id, patch) {
        await tx.meeting.update({ where: { id }, data: patch });
      },
      async dueForReckoning(now) {
        const rows = await tx.meeting.findMany({ where: { status: 'scheduled', reckonedAt: null, at: { lte: now } }, orderBy: { at: 'asc' } });
        return rows.map(toMeeting);
      },
    },

    updates: {
      async upsert(input) {
        const where = { serviceId_meetingId: { serviceId: input.serviceId, meetingId: input.meetingId } };
        const existing = await tx.annualUpdate.findFirst({ where: { serviceId: input.serviceId, meetingId: input.meetingId } });
        await tx.annualUpdate.upsert({ where, create: input, update: { text: input.text, givenBy: input.givenBy, givenAt: input.givenAt } });
        return existing ? 'replaced' : 'created';
      },
      async forMeeting(meetingId) {
        const [rows, names] = await Promise.all([tx.annualUpdate.findMany({ where: { meetingId }, orderBy: { givenAt: 'asc' } }), serviceNames()]);
        return rows.map((r) => ({ serviceId: r.serviceId, serviceName: names.get(r.serviceId) ?? '?', meetingId: r.meetingId, text: r.text, givenBy: r.givenBy, givenAt: r.givenAt }));
      },
    },

    polls: {
      async create(input) {
        const row = await tx.poll.create({
          data: {
            kind: input.kind,
            question: input.question,
            options: JSON.stringify(input.options),
            createdBy: input.createdBy,
            createdAt: input.createdAt,
            closesAt: input.closesAt,
            status: 'open',
            secret: input.secret,
            quorum: input.quorum,
            electorate: input.electorIds.length,
            originPlatform: input.originPlatform,
            originRoom: input.originRoom,
            electors: { createMany: { data: input.electorIds.map((memberId) => ({ memberId })) } },
          },
        });
        return toPoll(row);
      },
      async byId(id) {
        const row = await tx.poll.findFirst({ where: { id } });
        return row ? toPoll(row) : null;
      },
      countOpen: () => tx.poll.count({ where: { status: 'open' } }),
      async listOpen() {
        const rows = await tx.poll.findMany({ where: { status: 'open' }, orderBy: { closesAt: 'asc' } });
        return rows.map(toPoll);
      },
      async endedBetween(kind, from, to) {
        const rows = await tx.poll.findMany({ where: { kind, status: { not: 'open' }, closedAt: { gte: from, lte: to } }, orderBy: { closedAt: 'asc' } });
        return rows.map(toPoll);
      },
      countOpenBy: (memberId, kind) => tx.poll.count({ where: { createdBy: memberId, kind, status: 'open' } }),
      async dueForClosing(now) {
        const rows = await tx.poll.findMany({ where: { status: 'open', closesAt: { lte: now } }, select: { id: true }, orderBy: { closesAt: 'asc' } });
        return rows.map((r) => r.id);
      },
      async isElector(pollId, memberId) {
        return (await tx.pollElector.count({ where: { pollId, memberId } })) > 0;
      },
      electors: (pollId) => membersWhere({ electorates: { some: { pollId } } }),
      async votes(pollId) {
        const rows = await tx.vote.findMany({ where: { pollId }, orderBy: { castAt: 'asc' } });
        return rows.map((r) => ({ memberId: r.memberId, option: r.option, castAt: r.castAt, platform: r.platform }));
      },
      async voteOf(pollId, memberId) {
        const r = await tx.vote.findFirst({ where: { pollId, memberId } });
        return r ? { memberId: r.memberId, option: r.option, castAt: r.castAt, platform: r.platform } : null;
      },
      countVotes: (pollId) => tx.vote.count({ where: { pollId } }),
      async deleteVote(pollId, memberId) {
        return (await tx.vote.deleteMany({ where: { pollId, memberId } })).count === 1;
      },
      async upsertVote(pollId, v) {
        await tx.vote.upsert({
          where: { pollId_memberId: { pollId, memberId: v.memberId } },
          create: { pollId, ...v },
          update: { option: v.option, castAt: v.castAt, platform: v.platform },
        });
      },
      async finish(pollId, end) {
        const { count } = await tx.poll.updateMany({
          where: { id: pollId, status: 'open' },
          data: { status: end.status, closedAt: end.closedAt, outcome: JSON.stringify(end.outcome) },
        });
        return count === 1;
      },
      async eraseChoices(pollId) {
        await tx.vote.updateMany({ where: { pollId }, data: { option: '' } });
      },
    },

    requests: {
      async openFor(serviceId) {
        const row = await tx.verificationRequest.findFirst({ where: { serviceId, status: 'open' }, include: requestInclude });
        return row ? toRequest(row) : null;
      },
      async byPoll(pollId) {
        const row = await tx.verificationRequest.findFirst({ where: { pollId }, include: requestInclude });
        return row ? toRequest(row) : null;
      },
      async create(input) {
        const row = await tx.verificationRequest.create({ data: { ...input, requirements: JSON.stringify(input.requirements), status: 'open' }, include: requestInclude });
        return toRequest(row);
      },
      async setStatus(id, status, closedAt) {
        await tx.verificationRequest.update({ where: { id }, data: { status, closedAt } });
      },
      async pollIdsFor(serviceId) {
        const rows = await tx.verificationRequest.findMany({ where: { serviceId, pollId: { not: null } }, select: { pollId: true } });
        return rows.map((r) => r.pollId).filter((id): id is number => id !== null);
      },
    },

    links: {
      async create(input) {
        await tx.linkCode.create({ data: input });
      },
      async byCode(code) {
        const row = await tx.linkCode.findFirst({ where: { code } });
        return row ? { code: row.code, memberId: row.memberId, platform: row.platform, expiresAt: row.expiresAt, usedAt: row.usedAt } : null;
      },
      async spend(code, at) {
        const { count } = await tx.linkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: at } });
        return count === 1;
      },
    },

    notifications: {
      async claim(input) {
        const n = await tx.$executeRaw`INSERT OR IGNORE INTO "Notification" ("key", "kind", "payload", "claimedAt") VALUES (${input.key}, ${input.kind}, ${input.payload}, ${input.at})`;
        return n === 1;
      },
      async markSent(keys, at) {
        await tx.notification.updateMany({ where: { key: { in: keys } }, data: { sentAt: at } });
      },
      async unconfirmed(before) {
        const rows = await tx.notification.findMany({ where: { sentAt: null, abandonedAt: null, claimedAt: { lt: before } }, orderBy: { id: 'asc' } });
        return rows.map((r) => ({ key: r.key, kind: r.kind, payload: r.payload, claimedAt: r.claimedAt }));
      },
      async abandon(key, at) {
        await tx.notification.updateMany({ where: { key }, data: { abandonedAt: at } });
      },
      async isClaimed(key) {
        return (await tx.notification.count({ where: { key } })) > 0;
      },
      async claimedAmong(keys) {
        const found = new Set<string>();
        for (let i = 0; i < keys.length; i += 500) {
          const rows = await tx.notification.findMany({ where: { key: { in: keys.slice(i, i + 500) } }, select: { key: true } });
          for (const r of rows) found.add(r.key);
        }
        return found;
      },
    },

    events: {
      async claim(key, at) {
        const n = await tx.$executeRaw`INSERT OR IGNORE INTO "ProcessedEvent" ("key", "handledAt") VALUES (${key}, ${at})`;
        return n === 1;
      },
      async has(key) {
        return (await tx.processedEvent.count({ where: { key } })) > 0;
      },
    },

    pollMessages: {
      async record(input) {
        await tx.$executeRaw`INSERT OR IGNORE INTO "PollMessage" ("pollId", "platform", "room", "messageId") VALUES (${input.pollId}, ${input.platform}, ${input.room}, ${input.messageId})`;
      },
      async forPoll(pollId, platform) {
        return tx.pollMessage.findMany({ where: { pollId, platform }, select: { room: true, messageId: true }, orderBy: { id: 'asc' } });
      },
      async pollOf(platform, room, messageId) {
        return (await tx.pollMessage.findFirst({ where: { platform, room, messageId }, select: { pollId: true } }))?.pollId ?? null;
      },
    },

    keyValues: {
      async get(key) {
        return (await tx.keyValue.findFirst({ where: { key } }))?.value ?? null;
      },
      async set(key, value) {
        await tx.keyValue.upsert({ where: { key }, create: { key, value }, update: { value } });
      },
    },

    audit: {
      async record(e) {
        await tx.auditEvent.create({ data: { ...e, detail: JSON.stringify(e.detail) } });
      },
      async forSubject(subjectType, subjectId) {
        const rows = await tx.auditEvent.findMany({ where: { subjectType, subjectId }, orderBy: { id: 'asc' } });
        return rows.map((r): AuditRecord => ({ ...r, detail: detail.parse(JSON.parse(r.detail)) }));
      },
      async page(subjects, skip, page) {
        const where: Prisma.AuditEventWhereInput = {
          OR: Object.entries(subjects)
            .filter(([, ids]) => ids.length > 0)
            .map(([subjectType, ids]) => ({ subjectType, subjectId: { in: ids } })),
          action: { notIn: skip },
        };
        const [total, rows] = await Promise.all([
          tx.auditEvent.count({ where }),
          tx.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: page.offset, take: page.limit }),
        ]);
        return { total, entries: rows.map((r): AuditRecord => ({ ...r, detail: detail.parse(JSON.parse(r.detail)) })) };
      },
    },
  };
}

type CatalogueRow = { id: number; name: string; version: string; hash: string; content: string; status: string; recordedAt: Date; effectiveAt: Date | null; pollId: number | null };
function toCatalogue(row: CatalogueRow): StoredCatalogue {
  return { ...row, status: catalogueStatus.parse(row.status) };
}

export interface StoreOptions {
  /** Told of the audit records of each transaction after it commits (for metrics). */
  committed?: (entries: readonly AuditEntry[]) => void;
}

export function prismaStore(db: Db, opts: StoreOptions = {}): Store {
  const writes = new Mutex();
  return {
    read: (fn) => fn(repos(db)),
    write: (fn) =>
      writes.run(async () => {
        const recorded: AuditEntry[] = [];
        const result = await db.$transaction(
          async (tx) => {
            await tx.$executeRaw`UPDATE "WriteLock" SET "n" = "n" + 1 WHERE "id" = 1`;
            const r = repos(tx);
            const audit = r.audit;
            return fn({
              ...r,
              audit: {
                ...audit,
                async record(e) {
                  await audit.record(e);
                  recorded.push(e);
                },
              },
            });
          },
          { maxWait: 10_000, timeout: 30_000 },
        );
        if (recorded.length > 0) opts.committed?.(recorded);
        return result;
      }),
  };
}
