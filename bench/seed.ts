// Fills a benchmark database (run by bench/core.ts in its own process), written straight
// into the schema as a co-op of that size would have it after a few years: services with
// `uses` edges, closed polls with votes and 3 open ones half voted, open and past
// deficiencies, one AGM held and one ahead, the assessments of each service's level and
// those below (about 7 a service, 3% of services short of one), audit history.
// Usage: seed.ts <db-file> <services> <members> <votes>
import Sqlite from 'better-sqlite3';
import { loadCatalogueFile } from '../src/catalogue-file.js';
import { openDatabase } from '../src/store/database.js';

const [file, servicesArg, membersArg, votesArg] = process.argv.slice(2);
const SERVICES = Number(servicesArg);
const MEMBERS = Number(membersArg);
const VOTES = Number(votesArg);
// Create and migrate the database here, so that the benchmark opens it as a bot restarting would.
await (await openDatabase(`file:${file}`)).close();
{
  const db = new Sqlite(file as string);
  db.pragma('busy_timeout = 5000');
  const now = Date.now();
  db.transaction(() => {
    const member = db.prepare('INSERT INTO Member (name, isMember, isBoard, joinedAt) VALUES (?, 1, 0, ?)');
    const identity = db.prepare("INSERT INTO Identity (platform, externalId, memberId, linkedAt) VALUES ('console', ?, ?, ?)");
    const ids: number[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const id = Number(member.run(`m${i}`, now).lastInsertRowid);
      identity.run(`m${i}`, id, now);
      ids.push(id);
    }
    const service = db.prepare("INSERT INTO Service (name, kind, summary, level, levelSince, createdAt) VALUES (?, 'user', ?, ?, ?, ?)");
    const maint = db.prepare('INSERT INTO ServiceMaintainer (serviceId, memberId, addedAt) VALUES (?, ?, ?)');
    const levels = ['proposed', 'alpha', 'beta', 'live'];
    for (let i = 0; i < SERVICES; i++) {
      const sid = Number(service.run(`svc-${i}`, `Service number ${i}`, levels[i % 4], now, now).lastInsertRowid);
      maint.run(sid, ids[i % MEMBERS], now);
    }
    const poll = db.prepare("INSERT INTO Poll (kind, question, options, createdBy, createdAt, closesAt, closedAt, status, secret, quorum, originPlatform) VALUES ('general', ?, '[\"yes\",\"no\",\"abstain\"]', ?, ?, ?, ?, 'closed', 0, 3, 'console')");
    const elector = db.prepare('INSERT INTO PollElector (pollId, memberId) VALUES (?, ?)');
    const vote = db.prepare("INSERT INTO Vote (pollId, memberId, option, castAt, platform) VALUES (?, ?, ?, ?, 'console')");
    const perPoll = 500;
    for (let p = 0; p < VOTES / perPoll; p++) {
      const pid = Number(poll.run(`Old question ${p}`, ids[0], now - 86_400_000, now - 3_600_000, now - 3_600_000).lastInsertRowid);
      for (let k = 0; k < perPoll; k++) {
        const m = ids[(p * 7 + k) % MEMBERS] as number;
        elector.run(pid, m);
        vote.run(pid, m, k % 3 === 0 ? 'no' : 'yes', now);
      }
    }
    // What a real co-op has beside that, in proportion to its size.
    const day = 86_400_000;
    const meeting = db.prepare('INSERT INTO Meeting (kind, at, status, createdAt, reckonedAt) VALUES (?, ?, ?, ?, ?)');
    const held = Number(meeting.run('agm', now - 180 * day, 'held', now - 400 * day, now - 180 * day).lastInsertRowid);
    const ahead = Number(meeting.run('agm', now + 200 * day, 'scheduled', now - 10 * day, null).lastInsertRowid);
    const edge = db.prepare('INSERT OR IGNORE INTO ServiceUse (serviceId, usesId) VALUES (?, ?)');
    const serviceIds = (db.prepare('SELECT id FROM Service ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    for (let i = 0; i < serviceIds.length * 1.2; i++) {
      const a = serviceIds[(i * 7919) % serviceIds.length] as number;
      const b = serviceIds[(i * 104729 + 13) % serviceIds.length] as number;
      if (a !== b) edge.run(a, b);
    }
    const assess = db.prepare("INSERT INTO Assessment (serviceId, requirementKey, status, note, assessedAt, assessedBy) VALUES (?, ?, ?, 'Seeded assessment', ?, ?)");
    // The default catalogue's requirements: a service holds those of its level and below
    // (one in eleven under a deviation); a proposed one is working on alpha's.
    const catalogue = loadCatalogueFile('catalogues/coop-default.json').levels;
    const verified = ['alpha', 'beta', 'live'] as const;
    const upTo = (level: string) => verified.slice(0, Math.max(1, verified.indexOf(level as (typeof verified)[number]) + 1)).flatMap((l) => catalogue[l].map((r) => r.key));
    for (const [i, sid] of serviceIds.entries()) {
      const level = levels[i % 4] as string;
      const keys = level === 'proposed' ? upTo('alpha').slice(0, 2) : upTo(level);
      for (const [k, key] of keys.entries()) {
        const short = i % 33 === 1 && k === keys.length - 1;
        assess.run(sid, key, short ? 'unmet' : (i + k) % 11 === 0 ? 'deviation' : 'met', now - day, ids[i % MEMBERS]);
      }
    }
    const deficiency = db.prepare("INSERT INTO Deficiency (serviceId, requirementKey, description, source, reportedBy, reportedAt, graceMeetingId, resolvedAt, resolvedBy, resolution) VALUES (?, NULL, ?, 'report', ?, ?, ?, ?, ?, ?)");
    const open = Math.round(serviceIds.length * 0.03);
    const past = Math.round(serviceIds.length * 0.25);
    for (let i = 0; i < open + past; i++) {
      const sid = serviceIds[(i * 31) % serviceIds.length] as number;
      const resolved = i >= open;
      deficiency.run(sid, `Seeded deficiency ${i}`, ids[i % MEMBERS], now - (resolved ? 300 : 20) * day, resolved ? held : ahead, resolved ? now - 250 * day : null, resolved ? ids[i % MEMBERS] : null, resolved ? 'Fixed' : null);
    }
    const openPoll = db.prepare("INSERT INTO Poll (kind, question, options, createdBy, createdAt, closesAt, status, secret, quorum, electorate, originPlatform) VALUES ('general', ?, '[\"yes\",\"no\",\"abstain\"]', ?, ?, ?, 'open', 0, 3, ?, 'console')");
    for (let p = 0; p < 3; p++) {
      const pid = Number(openPoll.run(`Open question ${p}`, ids[0], now - day, now + 6 * day, MEMBERS).lastInsertRowid);
      for (let k = 0; k < MEMBERS; k++) {
        elector.run(pid, ids[k] as number);
        if (k % 2 === 0) vote.run(pid, ids[k] as number, k % 3 === 0 ? 'no' : 'yes', now);
      }
    }
    const audit = db.prepare("INSERT INTO AuditEvent (at, actor, memberId, platform, action, subjectType, subjectId, detail) VALUES (?, ?, ?, 'console', ?, 'service', ?, '{}')");
    for (let i = 0; i < serviceIds.length * 10; i++) audit.run(now - (i % 700) * day, `console:m${i % MEMBERS}`, ids[i % MEMBERS], i % 2 === 0 ? 'service.assessed' : 'service.proposed', `svc-${i % serviceIds.length}`);
  })();
  db.close();
}
