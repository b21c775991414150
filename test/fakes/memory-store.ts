// A small in-memory Store for unit tests of the use cases. A write that throws
// leaves the state as it was, like a rolled-back transaction.
import type { Assessment } from '../../src/domain/assessment.js';
import type { Level } from '../../src/domain/service.js';
import type {
  AuditRecord, LevelChangeRecord, LinkCodeRecord, MemberRecord, PollRecord, Repos, RequestRecord, ServiceRecord, ServiceSummary, Store, StoredCatalogue, VoteRecord,
} from '../../src/ports.js';

interface State {
  members: MemberRecord[];
  services: (Omit<ServiceRecord, 'maintainers' | 'uses' | 'usedBy'> & { maintainerIds: number[]; usesIds: number[] })[];
  levelChanges: (LevelChangeRecord & { serviceId: number })[];
  assessments: (Assessment & { serviceId: number })[];
  catalogues: StoredCatalogue[];
  audit: AuditRecord[];
  polls: (PollRecord & { electorIds: number[]; votes: VoteRecord[] })[];
  requests: RequestRecord[];
  links: LinkCodeRecord[];
  watches: { memberId: number; serviceId: number }[];
  nextId: number;
}

/**
 * Repositories this fake does not hold: meetings, deficiencies and updates are tested
 * on the real database (test/adapters/console/upkeep.test.ts). Using one here fails loudly.
 */
function notInMemory<T extends object>(what: string, partial: Partial<T> = {}): T {
  return new Proxy(partial, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      return () => {
        throw new Error(`MemoryStore does not implement ${what}.${String(prop)}; test it on SQLite`);
      };
    },
  }) as T;
}

/** A stored service as lists show it. */
const summaryOf = ({ id, name, kind, summary, level, levelSince }: State['services'][number]): ServiceSummary => ({ id, name, kind, summary, level, levelSince });

export class MemoryStore implements Store {
  state: State = { members: [], services: [], levelChanges: [], assessments: [], catalogues: [], audit: [], polls: [], requests: [], links: [], watches: [], nextId: 1 };
  #writing = Promise.resolve();

  read<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    return fn(this.#repos());
  }

  append<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    return this.write(fn);
  }

  write<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    const run = async () => {
      const before = structuredClone(this.state);
      try {
        return await fn(this.#repos());
      } catch (e) {
        this.state = before;
        throw e;
      }
    };
    const result = this.#writing.then(run);
    this.#writing = result.then(() => undefined, () => undefined);
    return result;
  }

  #repos(): Repos {
    const s = () => this.state;
    const id = () => s().nextId++;
    const member = (mid: number) => s().members.find((m) => m.id === mid);
    const service = (name: string): ServiceRecord | null => {
      const row = s().services.find((x) => x.name === name);
      if (!row) return null;
      const { maintainerIds, usesIds, ...rest } = row;
      const nameOf = (sid: number) => s().services.find((x) => x.id === sid)?.name ?? '?';
      return {
        ...rest,
        maintainers: maintainerIds.map((m) => member(m) as MemberRecord),
        uses: usesIds.map(nameOf).sort(),
        usedBy: s().services.filter((x) => x.usesIds.includes(row.id)).map((x) => x.name).sort(),
      };
    };
    const poll = (pid: number) => s().polls.find((p) => p.id === pid);
    const strip = ({ electorIds: _e, votes: _v, ...p }: State['polls'][number]): PollRecord => structuredClone(p);
    const row = (sid: number) => {
      const r = s().services.find((x) => x.id === sid);
      if (!r) throw new Error(`no service ${sid}`);
      return r;
    };
    return {
      members: {
        byIdentity: async (ref) => s().members.find((m) => m.identities.includes(`${ref.platform}:${ref.externalId}`)) ?? null,
        byId: async (mid) => member(mid) ?? null,
        byIds: async (ids) => ids.map((id) => member(id)).filter((m): m is MemberRecord => m !== undefined),
        async create(input) {
          const m: MemberRecord = { id: id(), name: input.name, isMember: input.isMember, isBoard: input.isBoard, identities: [`${input.identity.platform}:${input.identity.externalId}`] };
          s().members.push(m);
          return m;
        },
        async update(mid, patch) {
          const m = member(mid);
          if (!m) throw new Error(`no member ${mid}`);
          if (patch.name !== undefined) m.name = patch.name;
          if (patch.isMember !== undefined) m.isMember = patch.isMember;
          if (patch.isBoard !== undefined) m.isBoard = patch.isBoard;
        },
        list: async (f) =>
          s()
            .members.filter((m) => (f.roster === undefined || m.isMember === f.roster) && (f.board === undefined || m.isBoard === f.board))
            .sort((a, b) => a.name.localeCompare(b.name)),
        countAll: async () => s().members.length,
        countRoster: async () => s().members.filter((m) => m.isMember).length,
        rosterPage: async ({ offset, limit }) => {
          const roster = s().members.filter((m) => m.isMember).sort((a, b) => a.name.localeCompare(b.name));
          return { total: roster.length, items: roster.slice(offset, offset + limit) };
        },
        namedById: async (platform, limit) =>
          s()
            .members.flatMap((m) => m.identities.filter((k) => k === `${platform}:${m.name}`).map(() => ({ memberId: m.id, externalId: m.name })))
            .slice(0, limit),
        async addIdentity(mid, ref) {
          member(mid)?.identities.push(`${ref.platform}:${ref.externalId}`);
        },
        async removeIdentity(ref) {
          for (const m of s().members) m.identities = m.identities.filter((k) => k !== `${ref.platform}:${ref.externalId}`);
        },
        hasHistory: async (mid) => {
          const m = member(mid);
          return !!m && (m.isMember || m.isBoard || s().services.some((x) => x.maintainerIds.includes(mid)) || s().polls.some((p) => p.electorIds.includes(mid)));
        },
      },
      services: {
        byName: async (name) => service(name),
        card: async (name) => {
          const x = await service(name);
          return x ? { service: x, assessments: s().assessments.filter((a) => a.serviceId === x.id), open: [] } : null;
        },
        standing: async (name) => {
          const x = await service(name);
          return x ? { service: { id: x.id, name: x.name, kind: x.kind, summary: x.summary, level: x.level, levelSince: x.levelSince, retiredReason: x.retiredReason }, open: [] } : null;
        },
        missingUpdates: async (_meetingId, limit) => {
          const all = s()
            .services.filter((x) => x.level === 'alpha' || x.level === 'beta' || x.level === 'live')
            .map(summaryOf)
            .sort((a, b) => a.name.localeCompare(b.name));
          return { total: all.length, items: all.slice(0, limit) };
        },
        countByLevel: async () => {
          const counts: Partial<Record<Level, number>> = {};
          for (const x of s().services) counts[x.level] = (counts[x.level] ?? 0) + 1;
          return counts;
        },
        list: async (f) =>
          s()
            .services.filter((x) => (!f.kind || x.kind === f.kind) && (!f.level || x.level === f.level))
            .map(summaryOf)
            .sort((a, b) => a.name.localeCompare(b.name)),
        async create(input) {
          const sid = id();
          s().services.push({
            id: sid, name: input.name, kind: input.kind, summary: input.summary, provides: '', principles: '', level: 'proposed',
            levelSince: input.at, createdAt: input.at, retiredAt: null, retiredReason: null, maintainerIds: [input.maintainerId], usesIds: [],
          });
          s().levelChanges.push({ serviceId: sid, from: null, to: 'proposed', at: input.at, reason: 'proposed', pollId: null });
          return service(input.name) as ServiceRecord;
        },
        async update(sid, patch) {
          Object.assign(row(sid), patch);
        },
        async setLevel(sid, to, since) {
          Object.assign(row(sid), { level: to, levelSince: since });
        },
        async addMaintainer(sid, mid) {
          row(sid).maintainerIds.push(mid);
        },
        async removeMaintainer(sid, mid) {
          const r = row(sid);
          r.maintainerIds = r.maintainerIds.filter((m) => m !== mid);
        },
        async setUses(sid, usesIds) {
          row(sid).usesIds = [...usesIds];
        },
        async page(f, pg) {
          const all = s()
            .services.filter((x) => (!f.kind || x.kind === f.kind) && (f.level ? x.level === f.level : x.level !== 'retired'))
            .map(summaryOf)
            .sort((a, b) => a.name.localeCompare(b.name));
          return { total: all.length, items: all.slice(pg.offset, pg.offset + pg.limit) };
        },
        maintainedBy: async (mid) =>
          s()
            .services.filter((x) => x.level !== 'retired' && x.maintainerIds.includes(mid))
            .map(summaryOf)
            .sort((a, b) => a.name.localeCompare(b.name)),
        unmaintained: async ({ limit, after, count }) => {
          const all = s()
            .services.filter((x) => x.level !== 'retired' && x.maintainerIds.length === 0 && x.name > (after ?? ''))
            .map(summaryOf)
            .sort((a, b) => a.name.localeCompare(b.name));
          return { total: count ? all.length : null, items: all.slice(0, limit) };
        },
        usesGraph: async () => new Map(s().services.map((x) => [x.name, x.usesIds.map((u) => row(u).name)])),
        async recordLevelChange(sid, c) {
          s().levelChanges.push({ ...c, serviceId: sid });
        },
        levelHistory: async (sid) => s().levelChanges.filter((c) => c.serviceId === sid),
        listFull: notInMemory<Repos['services']>('services').listFull,
        maintainersOf: notInMemory<Repos['services']>('services').maintainersOf,
        ladder: async (opts) =>
          s()
            .services.map((x) => ({ id: x.id, name: x.name, level: x.level, maintainerIds: [...x.maintainerIds], met: opts.met ? s().assessments.filter((a) => a.serviceId === x.id && (a.status === 'met' || a.status === 'deviation')).map((a) => a.requirementKey) : [], usesIds: opts.uses ? [...x.usesIds] : [] }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        reportPage: notInMemory<Repos['services']>('services').reportPage,
        withUnagreedDeviations: notInMemory<Repos['services']>('services').withUnagreedDeviations,
        levelChanges: notInMemory<Repos['services']>('services').levelChanges,
      },
      assessments: {
        forService: async (sid) => s().assessments.filter((a) => a.serviceId === sid),
        async upsert(sid, a) {
          const list = s().assessments.filter((x) => !(x.serviceId === sid && x.requirementKey === a.requirementKey));
          list.push({ serviceId: sid, requirementKey: a.requirementKey, status: a.status, note: a.note, assessedAt: a.at });
          s().assessments = list;
        },
        async agree(sid, key, note, pollId) {
          for (const a of s().assessments) if (a.serviceId === sid && a.requirementKey === key && a.status === 'deviation' && a.note === note) a.agreedPollId = pollId;
        },
        async confirm(sid, key, at) {
          for (const a of s().assessments) if (a.serviceId === sid && a.requirementKey === key) a.confirmedAt = at;
        },
      },
      deficiencies: notInMemory<Repos['deficiencies']>('deficiencies', { openFor: async () => [], countOpen: async () => 0 }),
      meetings: notInMemory<Repos['meetings']>('meetings'),
      updates: notInMemory<Repos['updates']>('updates'),
      notifications: notInMemory<Repos['notifications']>('notifications'),
      events: notInMemory<Repos['events']>('events'),
      pollMessages: notInMemory<Repos['pollMessages']>('pollMessages'),
      keyValues: notInMemory<Repos['keyValues']>('keyValues'),
      catalogues: {
        withStatus: async (status) => [...s().catalogues].reverse().find((c) => c.status === status) ?? null,
        idWithStatus: async (status) => [...s().catalogues].reverse().find((c) => c.status === status)?.id ?? null,
        async record(input) {
          const c: StoredCatalogue = { id: id(), name: input.name, version: input.version, hash: input.hash, content: input.content, status: input.status, recordedAt: input.at, effectiveAt: input.status === 'current' ? input.at : null, pollId: null };
          s().catalogues.push(c);
          return c;
        },
        firstRecordedAt: async () => s().catalogues[0]?.recordedAt ?? null,
        byHash: async (hash) => [...s().catalogues].reverse().find((c) => c.hash === hash) ?? null,
        byPoll: async (pollId) => s().catalogues.find((c) => c.pollId === pollId) ?? null,
        async setPoll(cid, pollId) {
          const c = s().catalogues.find((x) => x.id === cid);
          if (c) c.pollId = pollId;
        },
        async setStatus(cid, status) {
          const c = s().catalogues.find((x) => x.id === cid);
          if (c) c.status = status;
        },
      },
      polls: {
        async create(input) {
          const { electorIds, ...rest } = input;
          const p = { ...rest, id: id(), closedAt: null, status: 'open' as const, outcome: null, electorate: electorIds.length, electorIds: [...electorIds], votes: [] };
          s().polls.push(p);
          return strip(p);
        },
        byId: async (pid) => {
          const p = poll(pid);
          return p ? strip(p) : null;
        },
        listOpen: async () => s().polls.filter((p) => p.status === 'open').map(strip),
        openOverview: async (mid) =>
          s()
            .polls.filter((p) => p.status === 'open')
            .map((p) => {
              const tally = new Map<string, number>();
              for (const v of p.votes) tally.set(v.option, (tally.get(v.option) ?? 0) + 1);
              const mine = p.votes.find((v) => v.memberId === mid)?.option ?? null;
              return { poll: strip(p), tally, elector: mid !== null && p.electorIds.includes(mid), mine };
            }),
        ballot: async (pid, mid) => {
          const p = poll(pid);
          return p ? { poll: strip(p), elector: p.electorIds.includes(mid), mine: p.votes.find((v) => v.memberId === mid)?.option ?? null, turnout: p.votes.length } : null;
        },
        countOpen: async () => s().polls.filter((p) => p.status === 'open').length,
        countOpenBy: async (mid, kind) => s().polls.filter((p) => p.createdBy === mid && p.kind === kind && p.status === 'open').length,
        endedBetween: async (kind, from, to) =>
          s().polls.filter((p) => p.kind === kind && p.status !== 'open' && p.closedAt !== null && p.closedAt >= from && p.closedAt <= to).map((p) => structuredClone(p)),
        dueForClosing: async (now) => s().polls.filter((p) => p.status === 'open' && p.closesAt <= now).map((p) => p.id),
        electors: async (pid) => (poll(pid)?.electorIds ?? []).map((m) => member(m) as MemberRecord),
        votes: async (pid) => poll(pid)?.votes.map((v) => ({ ...v })) ?? [],
        countVotes: async (pid) => poll(pid)?.votes.length ?? 0,
        async deleteVote(pid, mid) {
          const p = poll(pid);
          if (!p?.votes.some((v) => v.memberId === mid)) return false;
          p.votes = p.votes.filter((v) => v.memberId !== mid);
          return true;
        },
        async upsertVote(pid, v) {
          const p = poll(pid);
          if (!p) throw new Error(`no poll ${pid}`);
          p.votes = [...p.votes.filter((x) => x.memberId !== v.memberId), { ...v }];
        },
        async finish(pid, end) {
          const p = poll(pid);
          if (!p || p.status !== 'open') return false;
          Object.assign(p, end);
          return true;
        },
        async eraseChoices(pid) {
          for (const v of poll(pid)?.votes ?? []) v.option = '';
        },
      },
      requests: {
        openFor: async (sid) => s().requests.find((r) => r.serviceId === sid && r.status === 'open') ?? null,
        byPoll: async (pid) => s().requests.find((r) => r.pollId === pid) ?? null,
        pollIdsFor: async (sid) => s().requests.filter((r) => r.serviceId === sid && r.pollId !== null).map((r) => r.pollId as number),
        async create(input) {
          const r: RequestRecord = { ...input, id: id(), serviceName: row(input.serviceId).name, status: 'open', closedAt: null };
          s().requests.push(r);
          return r;
        },
        async setStatus(rid, status, closedAt) {
          const r = s().requests.find((x) => x.id === rid);
          if (r) Object.assign(r, { status, closedAt });
        },
      },
      links: {
        async create(input) {
          s().links.push({ code: input.code, memberId: input.memberId, platform: input.platform, expiresAt: input.expiresAt, usedAt: null });
        },
        byCode: async (code) => s().links.find((l) => l.code === code) ?? null,
        async spend(code, at) {
          const l = s().links.find((x) => x.code === code);
          if (!l || l.usedAt) return false;
          l.usedAt = at;
          return true;
        },
      },
      attempts: notInMemory<Repos['attempts']>('attempts', { record: async () => undefined, takeCommand: async () => true, since: async () => ({ count: 0, oldest: null }), prune: async () => 0 }),
      copies: notInMemory<Repos['copies']>('copies', { beat: async () => undefined, seenSince: async () => new Set<string>(), leave: async () => undefined }),
      outbox: notInMemory<Repos['outbox']>('outbox', { add: async () => undefined, take: async () => [] }),
      watches: {
        async add(memberId, serviceId) {
          if (s().watches.some((w) => w.memberId === memberId && w.serviceId === serviceId)) return false;
          s().watches.push({ memberId, serviceId });
          return true;
        },
        async remove(memberId, serviceId) {
          const before = s().watches.length;
          s().watches = s().watches.filter((w) => !(w.memberId === memberId && w.serviceId === serviceId));
          return s().watches.length < before;
        },
        forMember: async (memberId) =>
          s()
            .services.filter((x) => s().watches.some((w) => w.memberId === memberId && w.serviceId === x.id))
            .map(summaryOf),
        watched: async (ids) => new Set(s().watches.filter((w) => ids.includes(w.serviceId)).map((w) => w.serviceId)),
        watchersOf: async (ids) => s().members.filter((m) => s().watches.some((w) => w.memberId === m.id && ids.includes(w.serviceId))).map((m) => structuredClone(m)),
      },
      audit: {
        async record(e) {
          s().audit.push({ ...e, id: id() });
        },
        async recordMany(entries) {
          for (const e of entries) s().audit.push({ ...e, id: id() });
        },
        forSubject: async (type, sid) => s().audit.filter((a) => a.subjectType === type && a.subjectId === sid),
        async page(subjects, skip, page) {
          const all = s()
            .audit.filter((a) => (subjects[a.subjectType] ?? []).includes(a.subjectId) && !skip.includes(a.action))
            .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
          return { total: all.length, entries: all.slice(page.offset, page.offset + page.limit) };
        },
      },
    };
  }
}
