// The Store port on Prisma. Write transactions are serialised in-process and start
// by touching the WriteLock row, so SQLite's write lock is taken (waiting up to the
// busy timeout) at the start of the transaction instead of at COMMIT. A COMMIT that
// cannot hit SQLITE_BUSY keeps us clear of prisma/orm#29933 (see ENVIRONMENT.md).
import { z } from 'zod';
import type { Assessment } from '../domain/assessment.js';
import { ASSESSMENT_STATUSES } from '../domain/assessment.js';
import { LEVELS, SERVICE_KINDS } from '../domain/service.js';
import type {
  AuditRecord,
  MemberRecord,
  Repos,
  ServiceRecord,
  ServiceSummary,
  StoredCatalogue,
  Store,
} from '../ports.js';
import type { Db, Tx } from './database.js';
import { Mutex } from './mutex.js';

// Stored strings are parsed, never cast.
const level = z.enum(LEVELS);
const kind = z.enum(SERVICE_KINDS);
const assessmentStatus = z.enum(ASSESSMENT_STATUSES);
const catalogueStatus = z.enum(['current', 'pending', 'superseded']);
const detail = z.record(z.string(), z.unknown());

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
  return {
    members: {
      async byIdentity(ref) {
        const identity = await tx.identity.findUnique({
          where: { platform_externalId: { platform: ref.platform, externalId: ref.externalId } },
          include: { member: { include: memberInclude } },
        });
        return identity ? toMember(identity.member) : null;
      },
      async byId(id) {
        const row = await tx.member.findUnique({ where: { id }, include: memberInclude });
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
      async list(filter) {
        const rows = await tx.member.findMany({
          where: {
            ...(filter.roster !== undefined ? { isMember: filter.roster } : {}),
            ...(filter.board !== undefined ? { isBoard: filter.board } : {}),
          },
          include: memberInclude,
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        });
        return rows.map(toMember);
      },
      countAll: () => tx.member.count(),
    },

    services: {
      async byName(name) {
        const row = await tx.service.findUnique({
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
      async list(filter) {
        const rows = await tx.service.findMany({
          where: { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.level ? { level: filter.level } : {}) },
          select: { id: true, name: true, kind: true, summary: true, level: true, levelSince: true },
          orderBy: { name: 'asc' },
        });
        return rows.map(toSummary);
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
          data: { serviceId, fromLevel: c.from, toLevel: c.to, at: c.at, reason: c.reason, pollId: c.pollId },
        });
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
          (r): Assessment => ({ requirementKey: r.requirementKey, status: assessmentStatus.parse(r.status), note: r.note, assessedAt: r.assessedAt }),
        );
      },
      async upsert(serviceId, a) {
        const data = { status: a.status, note: a.note, assessedAt: a.at, assessedBy: a.by };
        await tx.assessment.upsert({
          where: { serviceId_requirementKey: { serviceId, requirementKey: a.requirementKey } },
          create: { serviceId, requirementKey: a.requirementKey, ...data },
          update: data,
        });
      },
    },

    deficiencies: {
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
        }));
      },
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
      async setStatus(id, status, effectiveAt) {
        await tx.catalogue.update({ where: { id }, data: { status, ...(effectiveAt ? { effectiveAt } : {}) } });
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
    },
  };
}

type CatalogueRow = { id: number; name: string; version: string; hash: string; content: string; status: string; recordedAt: Date; effectiveAt: Date | null };
function toCatalogue(row: CatalogueRow): StoredCatalogue {
  return { ...row, status: catalogueStatus.parse(row.status) };
}

export function prismaStore(db: Db): Store {
  const writes = new Mutex();
  return {
    read: (fn) => fn(repos(db)),
    write: (fn) =>
      writes.run(() =>
        db.$transaction(
          async (tx) => {
            await tx.$executeRaw`UPDATE "WriteLock" SET "n" = "n" + 1 WHERE "id" = 1`;
            return fn(repos(tx));
          },
          { maxWait: 10_000, timeout: 30_000 },
        ),
      ),
  };
}
