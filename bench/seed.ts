// Fills a benchmark database (run by bench/core.ts in its own process).
// Usage: seed.ts <db-file> <services> <members> <votes>
import Sqlite from 'better-sqlite3';
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
  })();
  db.close();
}
