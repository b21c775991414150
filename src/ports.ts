// The narrow ports the core depends on. The Prisma store implements them
// (src/store/), tests use small in-memory fakes (test/fakes/).
import type { Assessment, AssessmentStatus, RequirementStatus } from './domain/assessment.js';
import type { IdentityRef } from './domain/identity.js';
import type { MeetingKind, MeetingStatus } from './domain/meeting.js';
import type { CloseReason, PollKind, PollResult, PollStatus } from './domain/poll.js';
import type { Level, ServiceKind, VerifiedLevel } from './domain/service.js';
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
  /** The members with these ids (in one query per 500), by name. */
  byIds(ids: readonly number[]): Promise<MemberRecord[]>;
  create(input: { name: string; identity: IdentityRef; isMember: boolean; isBoard: boolean; at: Date }): Promise<MemberRecord>;
  update(id: number, patch: { name?: string; isMember?: boolean; isBoard?: boolean; leftAt?: Date | null }): Promise<void>;
  /** People of `platform` still named by their platform id (recorded before a name was known), at most `limit`. */
  namedById(platform: string, limit: number): Promise<{ memberId: number; externalId: string }[]>;
  /** Members of the roster (and/or the board), by name. */
  list(filter: { roster?: boolean; board?: boolean }): Promise<MemberRecord[]>;
  /** How many people have any record at all. */
  countAll(): Promise<number>;
  /** How many are on the roster now. */
  countRoster(): Promise<number>;
  /** A page of the roster by name: how many there are, and those from `offset`. */
  rosterPage(page: { offset: number; limit: number }): Promise<{ total: number; items: MemberRecord[] }>;
  /** Attaches another platform identity to a member (after `/coop link`). */
  addIdentity(memberId: number, ref: IdentityRef, at: Date): Promise<void>;
  /** Detaches an identity from whoever holds it. */
  removeIdentity(ref: IdentityRef): Promise<void>;
  /** Whether a record has anything attached (roster, board, services, votes). */
  hasHistory(memberId: number): Promise<boolean>;
}

export interface ServiceSummary {
  id: number;
  name: string;
  kind: ServiceKind;
  summary: string;
  level: Level;
  levelSince: Date;
}

/** A service as the AGM report lists it. */
export interface ReportServiceRow extends ServiceSummary {
  maintainers: string[];
  deviations: { requirementKey: string; note: string }[];
  retiredAt: Date | null;
  retiredReason: string | null;
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
  meetingId?: number | null;
}

/** A move between levels, with its service's name and its own id (the key of a page). */
export type LevelMove = LevelChangeRecord & { id: number; serviceName: string; from: Level };

export interface ServiceRepo {
  byName(name: string): Promise<ServiceRecord | null>;
  /** What `/service info` shows, in one read: the service, its assessments and its open deficiencies. */
  card(name: string): Promise<{ service: ServiceRecord; assessments: Assessment[]; open: DeficiencySummary[] } | null>;
  /** What `/service level` shows, in one read: the service and its open deficiencies. */
  standing(name: string): Promise<{ service: ServiceSummary & { retiredReason: string | null }; open: DeficiencySummary[] } | null>;
  list(filter: { kind?: ServiceKind; level?: Level }): Promise<ServiceSummary[]>;
  /**
   * Verified services without an annual update for `meetingId`: how many, and the first
   * `limit` by name (after `after`: a later page, whose total is not counted again, null).
   */
  missingUpdates(meetingId: number, limit: number, after?: string): Promise<{ total: number | null; items: ServiceSummary[] }>;
  /** How many services are at each level. */
  countByLevel(): Promise<Partial<Record<Level, number>>>;
  /** One page of services by name (retired ones only when `level` is retired), and how many there are in all. */
  page(filter: { kind?: ServiceKind; level?: Level }, page: { offset: number; limit: number }): Promise<{ total: number; items: ServiceSummary[] }>;
  create(input: { name: string; kind: ServiceKind; summary: string; at: Date; maintainerId: number }): Promise<ServiceRecord>;
  update(id: number, patch: ServicePatch): Promise<void>;
  /** Moves a service to `level` as of `since` (a reckoning does it to a hundred at once). */
  setLevel(id: number, level: Level, since: Date): Promise<void>;
  addMaintainer(serviceId: number, memberId: number, at: Date): Promise<void>;
  removeMaintainer(serviceId: number, memberId: number): Promise<void>;
  setUses(serviceId: number, usesIds: number[]): Promise<void>;
  /** Services (not retired) that `memberId` maintains, by name. */
  maintainedBy(memberId: number): Promise<ServiceSummary[]>;
  /** Services (not retired) that have no maintainer left: how many (with `count`, else null), and the first `limit` by name after `after`. */
  unmaintained(page: { limit: number; after?: string; count: boolean }): Promise<{ total: number | null; items: ServiceSummary[] }>;
  /**
   * Deviations nobody has agreed yet (no poll, no board confirmation) from requirements of
   * a level the service holds (`keysByLevel`: the requirement keys up to each level): how
   * many there are (with `count`, else null), and the first `limit` services by name after
   * `after` that have any, with them.
   */
  withUnagreedDeviations(keysByLevel: Partial<Record<Level, readonly string[]>>, page: { limit: number; after?: string; count: boolean }): Promise<{ total: number | null; services: { name: string; level: Level; assessments: Assessment[] }[] }>;
  /** Every service's `uses`, by name (retired services included). */
  usesGraph(): Promise<Map<string, string[]>>;
  recordLevelChange(serviceId: number, change: LevelChangeRecord): Promise<void>;
  levelHistory(serviceId: number): Promise<LevelChangeRecord[]>;
  /**
   * Moves between levels in [from, to] (not proposals), in time order: how many (with
   * `count`, else null) and the first `limit` after `after`. `meetingId` keeps only those a
   * meeting made (its descents), `exceptMeetingId` leaves them out; `retirements` keeps
   * moves to retired.
   */
  levelChanges(
    which: { from: Date; to: Date; meetingId?: number; exceptMeetingId?: number; retirements: boolean },
    page: { limit: number; after?: { at: Date; id: number }; count: boolean },
  ): Promise<{ total: number | null; items: LevelMove[] }>;
  /** Every service with its maintainers, uses and assessments (for meetings and reports). */
  /**
   * One page of a level's services by name, after `after` (the last name of the page
   * before), with what the AGM report lists of each: maintainers' names and deviations.
   */
  reportPage(level: Level, after: string | null, limit: number): Promise<ReportServiceRow[]>;
  /**
   * Every service's id, name and level with its maintainers' ids (and, if asked, the
   * requirement keys it meets or deviates from, and what it uses), by name: what a reckoning or a nudge
   * weighs, without the rest of each record.
   */
  ladder(opts: { met: boolean; uses?: boolean }): Promise<LadderService[]>;
  /**
   * The maintainers of each of `serviceIds` (longest-serving first). A pass that asks
   * page after page passes `known`: members in it are not read again, and those read
   * are added to it.
   */
  maintainersOf(serviceIds: readonly number[], known?: Map<number, MemberRecord>): Promise<Map<number, MemberRecord[]>>;
  /** Every service with its details; `assessments` says which assessments to load (default all). */
  listFull(opts?: { assessments?: 'all' | 'deviations' | 'none' }): Promise<(ServiceRecord & { assessments: Assessment[] })[]>;
}

export interface LadderService {
  id: number;
  name: string;
  level: Level;
  maintainerIds: number[];
  /** Requirement keys assessed met or under a deviation (empty unless asked for). */
  met: string[];
  /** The ids of the services it uses (empty unless asked for). */
  usesIds: number[];
}

export interface AssessmentRepo {
  forService(serviceId: number): Promise<Assessment[]>;
  /** Records that a verification poll's yes agreed a deviation (only if it is still the same deviation). */
  agree(serviceId: number, requirementKey: string, note: string, pollId: number): Promise<void>;
  /** The board confirms a deviation recorded after verification. */
  confirm(serviceId: number, requirementKey: string, at: Date, by: number): Promise<void>;
  upsert(serviceId: number, input: { requirementKey: string; status: AssessmentStatus; note: string; at: Date; /** null: recorded by the bot (a descent). */ by: number | null }): Promise<void>;
}

export interface DeficiencySummary {
  id: number;
  description: string;
  requirementKey: string | null;
  reportedAt: Date;
  /** When its grace period ends: the general meeting it runs to, if one is scheduled. */
  graceUntil: Date | null;
  /** Why the board set a later meeting (`/service grace`), if it did. */
  graceReason: string | null;
}

export type DeficiencySource = 'report' | 'change' | 'missed-update' | 'requirements' | 'scrutiny';
/** What the AGM pack lists of a window's deficiencies: those opened, resolved, lapsed in it. */
export type DeficiencyActivity = 'opened' | 'resolved' | 'lapsed';

export interface DeficiencyRecord extends DeficiencySummary {
  serviceId: number;
  serviceName: string;
  /** The service's level now. */
  serviceLevel: Level;
  source: DeficiencySource;
  reportedBy: number | null;
  graceMeetingId: number | null;
  resolvedAt: Date | null;
  resolvedBy: number | null;
  resolution: string | null;
  lapsedAt: Date | null;
}

/** An open deficiency as its reminder names it. */
export interface DeficiencyDue {
  id: number;
  serviceId: number;
  serviceName: string;
  serviceLevel: Level;
  description: string;
}

export interface DeficiencyRepo {
  openFor(serviceId: number): Promise<DeficiencySummary[]>;
  /** Open ones in all (not resolved, not lapsed). */
  countOpen(): Promise<number>;
  byId(id: number): Promise<DeficiencyRecord | null>;
  create(input: { serviceId: number; requirementKey: string | null; description: string; source: DeficiencySource; reportedBy: number | null; reportedAt: Date; graceMeetingId: number | null }): Promise<DeficiencyRecord>;
  /** Opens many at once (a reckoning's scrutiny), at most one per service and source; their ids, in order. */
  createMany(inputs: { serviceId: number; requirementKey: string | null; description: string; source: DeficiencySource; reportedBy: number | null; reportedAt: Date; graceMeetingId: number | null }[]): Promise<number[]>;
  /** The first `limit` open ones (not resolved, not lapsed), oldest first. */
  listOpen(limit: number): Promise<DeficiencyRecord[]>;
  /** Open ones on a service, or whose grace runs to a meeting (null: waiting for one to be scheduled), oldest first. */
  openOn(where: { serviceId: number } | { graceMeetingId: number | null }): Promise<DeficiencyRecord[]>;
  /**
   * The services that descend at the meeting unless fixed (not proposed, with open
   * deficiencies whose grace ends there), by name: how many (with `count`, else null), and
   * the first `limit` after `after`, each with those deficiencies, oldest first.
   */
  descendingAt(meetingId: number, page: { limit: number; after?: string; count: boolean }): Promise<{ total: number | null; services: { name: string; level: Level; deficiencies: DeficiencyRecord[] }[] }>;
  /** Those a meeting's reckoning opened (reported by nobody, at the meeting's moment), oldest first: how many (with `count`), and the first `limit`. */
  openedByReckoning(at: Date, page: { limit: number; count: boolean }): Promise<{ total: number | null; items: DeficiencyRecord[] }>;
  /** Open ones on proposed services (nothing to descend): how many (with `count`), and the first `limit` after the deficiency `afterId`. */
  openOnProposed(page: { limit: number; afterId?: number; count: boolean }): Promise<{ total: number | null; items: DeficiencyRecord[] }>;
  /**
   * Open ones whose grace ends at the meeting, as a reminder names them, oldest first, at
   * most `limit` after the deficiency `afterId` (the reminders a week and a day before
   * it, a page at a time).
   */
  openWithGraceAt(meetingId: number, afterId: number, limit: number): Promise<DeficiencyDue[]>;
  /** Each meeting at which the grace of open deficiencies ends, with the oldest of them. */
  firstOpenPerGrace(): Promise<{ meetingId: number; deficiencyId: number }[]>;
  /** Open ones whose grace ends at the meeting, oldest first. */
  dueAt(meetingId: number): Promise<{ id: number; serviceId: number; requirementKey: string | null }[]>;
  /** How many were opened (reported), resolved and lapsed in [from, to]. */
  activityCounts(from: Date, to: Date): Promise<Record<DeficiencyActivity, number>>;
  /** Those opened, resolved or lapsed in [from, to], oldest first: at most `limit` after the deficiency `afterId`. */
  activityPage(kind: DeficiencyActivity, from: Date, to: Date, afterId: number, limit: number): Promise<DeficiencyRecord[]>;
  /** How many deficiencies a member reported since `since`, and the oldest of them. */
  reportedBy(memberId: number, since: Date): Promise<{ count: number; oldest: Date | null }>;
  /** Every deficiency ever reported against a service. */
  idsFor(serviceId: number): Promise<number[]>;
  /** Points the grace period at a meeting; `reason` when the board chose it (kept otherwise). */
  setGrace(id: number, meetingId: number | null, reason?: string): Promise<void>;
  resolve(id: number, input: { at: Date; /** null: closed by the bot (the service was retired). */ by: number | null; note: string }): Promise<void>;
  lapse(id: number, at: Date): Promise<void>;
}

export interface MeetingRecord {
  id: number;
  kind: MeetingKind;
  at: Date;
  status: MeetingStatus;
  createdAt: Date;
  reckonedAt: Date | null;
}

export interface MeetingRepo {
  create(input: { kind: MeetingKind; at: Date; createdAt: Date }): Promise<MeetingRecord>;
  byId(id: number): Promise<MeetingRecord | null>;
  /** Every meeting, in time order. */
  list(): Promise<MeetingRecord[]>;
  update(id: number, patch: Partial<Pick<MeetingRecord, 'at' | 'status' | 'reckonedAt'>>): Promise<void>;
  /** Scheduled meetings whose time has come and that were not reckoned yet, oldest first. */
  dueForReckoning(now: Date): Promise<MeetingRecord[]>;
}

export interface AnnualUpdateRecord {
  serviceId: number;
  serviceName: string;
  meetingId: number;
  text: string;
  givenBy: number;
  givenAt: Date;
}

export interface UpdateRepo {
  /** Records a service's update for a meeting, replacing an earlier one. */
  upsert(input: { serviceId: number; meetingId: number; text: string; givenBy: number; givenAt: Date }): Promise<'created' | 'replaced'>;
  /** The updates given for a meeting, by service name: at most `limit`, after the service `after`. */
  forMeeting(meetingId: number, limit: number, after?: string): Promise<AnnualUpdateRecord[]>;
  /** The ids of the services that gave an update for a meeting (what a reckoning or a nudge weighs). */
  givenFor(meetingId: number): Promise<Set<number>>;
}

/** What a closed poll decided, kept with the poll (and all that is left of a secret ballot). */
export interface PollOutcome {
  result: PollResult;
  counts: Record<string, number>;
  turnout: number;
  electorate: number;
  reason: CloseReason | 'cancelled';
}

export interface PollRecord {
  id: number;
  kind: PollKind;
  question: string;
  options: string[];
  createdBy: number;
  createdAt: Date;
  closesAt: Date;
  closedAt: Date | null;
  status: PollStatus;
  secret: boolean;
  quorum: number;
  electorate: number;
  outcome: PollOutcome | null;
  originPlatform: string;
  originRoom: string | null;
}

export interface VoteRecord {
  memberId: number;
  option: string;
  castAt: Date;
  platform: string;
}

export interface PollOverview {
  poll: PollRecord;
  /** Votes by option (options nobody chose are absent). */
  tally: Map<string, number>;
  elector: boolean;
  /** The member's choice, if they have voted. */
  mine: string | null;
}

export interface Ballot {
  poll: PollRecord;
  elector: boolean;
  mine: string | null;
  turnout: number;
}

export interface PollRepo {
  create(input: Omit<PollRecord, 'id' | 'closedAt' | 'status' | 'outcome' | 'electorate'> & { electorIds: number[] }): Promise<PollRecord>;
  byId(id: number): Promise<PollRecord | null>;
  listOpen(): Promise<PollRecord[]>;
  /**
   * The open polls with what `/coop polls` shows of each: votes by option (counted in the
   * database) and, for `memberId`, whether they are an elector and what they chose.
   */
  openOverview(memberId: number | null): Promise<PollOverview[]>;
  /**
   * What a vote is checked against, in one read: the poll, whether `memberId` is an
   * elector, their current choice, and how many have voted. Null if there is no such poll.
   */
  ballot(pollId: number, memberId: number): Promise<Ballot | null>;
  countOpen(): Promise<number>;
  /** Polls of `kind` that closed (or were cancelled) in [from, to], in time order. */
  endedBetween(kind: PollKind, from: Date, to: Date): Promise<PollRecord[]>;
  /** How many open polls of `kind` a member started. */
  countOpenBy(memberId: number, kind: PollKind): Promise<number>;
  /** Open polls whose deadline has passed at `now`. */
  dueForClosing(now: Date): Promise<number[]>;
  electors(pollId: number): Promise<MemberRecord[]>;
  votes(pollId: number): Promise<VoteRecord[]>;
  countVotes(pollId: number): Promise<number>;
  /** Withdraws an elector's vote; false if there was none. */
  deleteVote(pollId: number, memberId: number): Promise<boolean>;
  /** Records a vote, replacing the elector's earlier one. */
  upsertVote(pollId: number, vote: VoteRecord): Promise<void>;
  /** Ends an open poll. Returns false (and changes nothing) if it was no longer open. */
  finish(pollId: number, end: { status: 'closed' | 'cancelled'; closedAt: Date; outcome: PollOutcome }): Promise<boolean>;
  /** Forgets who chose what (secret ballots, once counted); who voted stays. */
  eraseChoices(pollId: number): Promise<void>;
}

export type RequestStatus = 'open' | 'approved' | 'rejected' | 'withdrawn' | 'cancelled';

export interface RequestRecord {
  id: number;
  serviceId: number;
  serviceName: string;
  fromLevel: Level;
  targetLevel: VerifiedLevel;
  evidence: string;
  status: RequestStatus;
  requestedBy: number;
  requestedAt: Date;
  closedAt: Date | null;
  pollId: number | null;
  /** The target level's requirements and their assessments when the poll opened: what a yes approves. */
  requirements: RequirementStatus[];
}

export interface RequestRepo {
  openFor(serviceId: number): Promise<RequestRecord | null>;
  byPoll(pollId: number): Promise<RequestRecord | null>;
  create(input: { serviceId: number; fromLevel: Level; targetLevel: VerifiedLevel; evidence: string; requestedBy: number; requestedAt: Date; pollId: number; requirements: RequirementStatus[] }): Promise<RequestRecord>;
  setStatus(id: number, status: RequestStatus, closedAt: Date): Promise<void>;
  /** The polls of every verification request a service ever made. */
  pollIdsFor(serviceId: number): Promise<number[]>;
}

export interface LinkCodeRecord {
  code: string;
  memberId: number;
  platform: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface LinkRepo {
  create(input: { code: string; memberId: number; platform: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  byCode(code: string): Promise<LinkCodeRecord | null>;
  /** Spends a code. Returns false if it was already spent. */
  spend(code: string, at: Date): Promise<boolean>;
}

export interface StoredCatalogue {
  id: number;
  name: string;
  version: string;
  hash: string;
  content: string;
  /**
   * proposed: its co-op poll is open; pending: approved, in force from the next general
   * meeting; current: in force; superseded: was in force; rejected, withdrawn: not adopted.
   */
  status: CatalogueStatus;
  recordedAt: Date;
  effectiveAt: Date | null;
  pollId: number | null;
}

export type CatalogueStatus = 'proposed' | 'pending' | 'current' | 'superseded' | 'rejected' | 'withdrawn';

export interface CatalogueRepo {
  /** The latest version with this status. */
  withStatus(status: CatalogueStatus): Promise<StoredCatalogue | null>;
  /** The id of the latest version with this status (without its content). */
  idWithStatus(status: CatalogueStatus): Promise<number | null>;
  /** The latest version recorded with this content. */
  byHash(hash: string): Promise<StoredCatalogue | null>;
  /** The version a co-op poll decides. */
  byPoll(pollId: number): Promise<StoredCatalogue | null>;
  setPoll(id: number, pollId: number): Promise<void>;
  record(input: { name: string; version: string; hash: string; content: string; status: 'current' | 'pending' | 'proposed'; at: Date }): Promise<StoredCatalogue>;
  setStatus(id: number, status: StoredCatalogue['status'], effectiveAt?: Date, meetingId?: number): Promise<void>;
  /** When the first catalogue was recorded: when the co-op started using the bot. */
  firstRecordedAt(): Promise<Date | null>;
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
  /** Many entries at once, in order. */
  recordMany(entries: AuditEntry[]): Promise<void>;
  forSubject(subjectType: string, subjectId: string): Promise<AuditRecord[]>;
  /**
   * Entries about any of `subjects` (ids by subject type) whose action is not in
   * `skip`, newest first: one page of them and how many there are in all.
   */
  page(subjects: Record<string, string[]>, skip: string[], page: { offset: number; limit: number }): Promise<{ total: number; entries: AuditRecord[] }>;
}

export interface NotificationRecord {
  key: string;
  kind: string;
  payload: string;
  claimedAt: Date;
  /** The copy of the bot that claimed it (null: claimed before copies were named). */
  claimedBy: string | null;
}

export interface NotificationRepo {
  /** Claims `key` for this copy of the bot; false if it was claimed before (by this copy or another). */
  claim(input: { key: string; kind: string; payload: string; at: Date }): Promise<boolean>;
  /** Claims many keys at once; the ones this call claimed (the others were claimed before). */
  claimMany(inputs: readonly { key: string; kind: string; payload: string; at: Date }[]): Promise<Set<string>>;
  markSent(keys: string[], at: Date): Promise<void>;
  /** Claimed before `before`, neither sent nor abandoned. */
  unconfirmed(before: Date): Promise<NotificationRecord[]>;
  abandon(key: string, at: Date): Promise<void>;
  isClaimed(key: string): Promise<boolean>;
  /** Which of `keys` were claimed already. */
  claimedAmong(keys: string[]): Promise<Set<string>>;
}

/** People who asked to hear of a service's changes (`/service watch`). */
export interface WatchRepo {
  /** False if they were already watching it. */
  add(memberId: number, serviceId: number, at: Date): Promise<boolean>;
  /** False if they were not watching it. */
  remove(memberId: number, serviceId: number): Promise<boolean>;
  /** The services a person watches, by name. */
  forMember(memberId: number): Promise<ServiceSummary[]>;
  /** Everyone watching any of `serviceIds`, each person once. */
  watchersOf(serviceIds: number[]): Promise<MemberRecord[]>;
  /** Which of `serviceIds` anyone watches. */
  watched(serviceIds: number[]): Promise<Set<number>>;
}

/** Uses of limited things, per person (`cmd:member:12`, `link:slack:U1`), kept a short while. */
export interface AttemptRepo {
  record(key: string, at: Date): Promise<void>;
  /**
   * Records a command from `identity` at `at` if fewer than its limit were made after
   * `since`; whether it was recorded. One statement that needs nothing read first: the
   * key is its member's (`cmd:member:12`) if the identity is linked, else the identity's
   * own (`cmd:slack:U1`), and the limit is `board` for a board member; so the rate is
   * counted while the sender is looked up, not after.
   */
  takeCommand(identity: IdentityRef, at: Date, since: Date, limit: { member: number; board: number }): Promise<boolean>;
  /** How many after `since` (counting at most `atMost`, in one query, when given), and the oldest of them. */
  since(key: string, since: Date, atMost?: number): Promise<{ count: number; oldest: Date | null }>;
  /** Forgets those before `before`. */
  prune(before: Date): Promise<number>;
}

/** Inbound events already handled (a Slack retry, a Matrix event after a restart). */
export interface EventRepo {
  /** Claims an inbound event's key; false if it was handled before. */
  claim(key: string, at: Date): Promise<boolean>;
  has(key: string): Promise<boolean>;
}

/** Where a poll was posted on a platform, so that adapters can update or end it. */
export interface PollMessageRepo {
  record(input: { pollId: number; platform: string; room: string; messageId: string }): Promise<void>;
  forPoll(pollId: number, platform: string): Promise<{ room: string; messageId: string }[]>;
  /** The poll a platform message shows, if any. */
  pollOf(platform: string, room: string, messageId: string): Promise<number | null>;
}

/** Small durable settings of the adapters (a Matrix sync token, stored transaction ids). */
export interface KeyValueRepo {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** The running copies of the bot on one database, by name, with a heartbeat. */
export interface CopyRepo {
  /** This copy is alive at `at` (recorded, or its record refreshed). */
  beat(copy: { name: string; host: string; startedAt: Date }, at: Date): Promise<void>;
  /** Names of the copies seen since `since`. */
  seenSince(since: Date): Promise<Set<string>>;
  /** This copy stops: it is no longer counted as alive. */
  leave(name: string): Promise<void>;
}

/** Messages for a platform that only one copy may send on, left by the others. */
export interface OutboxRepo {
  add(platform: string, payload: string, at: Date): Promise<void>;
  /** Takes up to `limit` messages not taken yet, oldest first: each is taken once. */
  take(platform: string, limit: number, at: Date): Promise<{ id: number; payload: string }[]>;
}

export interface Repos {
  members: MemberRepo;
  services: ServiceRepo;
  assessments: AssessmentRepo;
  deficiencies: DeficiencyRepo;
  catalogues: CatalogueRepo;
  polls: PollRepo;
  requests: RequestRepo;
  meetings: MeetingRepo;
  updates: UpdateRepo;
  notifications: NotificationRepo;
  events: EventRepo;
  pollMessages: PollMessageRepo;
  keyValues: KeyValueRepo;
  links: LinkRepo;
  audit: AuditRepo;
  watches: WatchRepo;
  attempts: AttemptRepo;
  copies: CopyRepo;
  outbox: OutboxRepo;
}

/**
 * Reads and writes. Everything `write` does commits together or not at all, and
 * is committed when the promise resolves; writes are serialised.
 */
export interface Store {
  read<T>(fn: (r: Repos) => Promise<T>): Promise<T>;
  write<T>(fn: (r: Repos) => Promise<T>): Promise<T>;
  /**
   * A single-statement write that keeps no rule across rows (the log of attempts that
   * rate limits count): no transaction, and not serialised with other copies' writes.
   */
  append<T>(fn: (r: Repos) => Promise<T>): Promise<T>;
}

/** Where a notification goes: the governance room(s), or one person directly. */
export type Audience =
  | { kind: 'governance' }
  | { kind: 'person'; memberId: number; identities: string[] }
  /** The room a command came from (general polls are announced where they were posted). */
  | { kind: 'room'; platform: string; room: string | null };

/** Sends what the core has to say outside of a reply. Called after commit. */
export interface Notifier {
  /** The platform this notifier reaches people on (`slack`, `matrix`, `console`), if one. */
  readonly platform?: string;
  notify(audience: Audience, message: Reply): Promise<void>;
  /** A poll's tally or state changed (a vote, its close): adapters refresh what they show. */
  pollChanged?(pollId: number): Promise<void>;
}
