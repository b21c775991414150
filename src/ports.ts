// The narrow ports the core depends on. The Prisma store implements them
// (src/store/), tests use small in-memory fakes (test/fakes/).
import type { Assessment, AssessmentStatus } from './domain/assessment.js';
import type { IdentityRef } from './domain/identity.js';
import type { Level, ServiceKind } from './domain/service.js';
import type { Reply } from './reply/model.js';

export interface MemberRecord {
  id: number;
  name: string;
  isMember: boolean;
  isBoard: boolean;
  /** `platform:externalId` keys. */
  identities: string[];
}

export interface MemberRepo {
  byIdentity(ref: IdentityRef): Promise<MemberRecord | null>;
  byId(id: number): Promise<MemberRecord | null>;
  create(input: { name: string; identity: IdentityRef; isMember: boolean; isBoard: boolean; at: Date }): Promise<MemberRecord>;
  update(id: number, patch: { isMember?: boolean; isBoard?: boolean; leftAt?: Date | null }): Promise<void>;
  /** Members of the roster (and/or the board), by name. */
  list(filter: { roster?: boolean; board?: boolean }): Promise<MemberRecord[]>;
  /** How many people have any record at all. */
  countAll(): Promise<number>;
}

export interface ServiceSummary {
  id: number;
  name: string;
  kind: ServiceKind;
  summary: string;
  level: Level;
  levelSince: Date;
}

export interface ServiceRecord extends ServiceSummary {
  provides: string;
  principles: string;
  createdAt: Date;
  retiredAt: Date | null;
  retiredReason: string | null;
  maintainers: MemberRecord[];
  uses: string[];
  usedBy: string[];
}

export type ServicePatch = Partial<Pick<ServiceRecord, 'summary' | 'provides' | 'principles' | 'level' | 'levelSince' | 'retiredAt' | 'retiredReason'>>;

export interface LevelChangeRecord {
  from: Level | null;
  to: Level;
  at: Date;
  reason: string;
  pollId: number | null;
}

export interface ServiceRepo {
  byName(name: string): Promise<ServiceRecord | null>;
  list(filter: { kind?: ServiceKind; level?: Level }): Promise<ServiceSummary[]>;
  create(input: { name: string; kind: ServiceKind; summary: string; at: Date; maintainerId: number }): Promise<ServiceRecord>;
  update(id: number, patch: ServicePatch): Promise<void>;
  addMaintainer(serviceId: number, memberId: number, at: Date): Promise<void>;
  removeMaintainer(serviceId: number, memberId: number): Promise<void>;
  setUses(serviceId: number, usesIds: number[]): Promise<void>;
  /** Every service's `uses`, by name (retired services included). */
  usesGraph(): Promise<Map<string, string[]>>;
  recordLevelChange(serviceId: number, change: LevelChangeRecord): Promise<void>;
  levelHistory(serviceId: number): Promise<LevelChangeRecord[]>;
}

export interface AssessmentRepo {
  forService(serviceId: number): Promise<Assessment[]>;
  upsert(serviceId: number, input: { requirementKey: string; status: AssessmentStatus; note: string; at: Date; by: number }): Promise<void>;
}

export interface DeficiencySummary {
  id: number;
  description: string;
  requirementKey: string | null;
  reportedAt: Date;
  /** When its grace period ends: the general meeting it runs to, if one is scheduled. */
  graceUntil: Date | null;
}

export interface DeficiencyRepo {
  openFor(serviceId: number): Promise<DeficiencySummary[]>;
}

export interface StoredCatalogue {
  id: number;
  name: string;
  version: string;
  hash: string;
  content: string;
  status: 'current' | 'pending' | 'superseded';
  recordedAt: Date;
  effectiveAt: Date | null;
}

export interface CatalogueRepo {
  withStatus(status: 'current' | 'pending'): Promise<StoredCatalogue | null>;
  record(input: { name: string; version: string; hash: string; content: string; status: 'current' | 'pending'; at: Date }): Promise<StoredCatalogue>;
  setStatus(id: number, status: StoredCatalogue['status'], effectiveAt?: Date): Promise<void>;
}

export interface AuditEntry {
  at: Date;
  /** `platform:externalId` of whoever did it, or `system:<job>`. */
  actor: string;
  memberId: number | null;
  platform: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditRepo {
  record(entry: AuditEntry): Promise<void>;
  forSubject(subjectType: string, subjectId: string): Promise<AuditRecord[]>;
}

export interface Repos {
  members: MemberRepo;
  services: ServiceRepo;
  assessments: AssessmentRepo;
  deficiencies: DeficiencyRepo;
  catalogues: CatalogueRepo;
  audit: AuditRepo;
}

/**
 * Reads and writes. Everything `write` does commits together or not at all, and
 * is committed when the promise resolves; writes are serialised.
 */
export interface Store {
  read<T>(fn: (r: Repos) => Promise<T>): Promise<T>;
  write<T>(fn: (r: Repos) => Promise<T>): Promise<T>;
}

/** Where a notification goes: the governance room(s), or one person directly. */
export type Audience = { kind: 'governance' } | { kind: 'person'; memberId: number; identities: string[] };

/** Sends what the core has to say outside of a reply. Called after commit. */
export interface Notifier {
  notify(audience: Audience, message: Reply): Promise<void>;
}
