// Lists larger than SQLite's parameter limit (about a thousand): Prisma would send
// relation includes as one `IN (…)` list, which SQLite refuses. Every list query must
// work on a co-op of this size.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { sweep } from '../../src/scheduler/index.js';
import { tempDir } from '../helpers/tmp.js';
import { writeDocument } from '../../src/documents.js';
import { readFileSync } from 'node:fs';
import { REPORT_PAGE } from '../../src/usecases/agm-report.js';
import { buildAgenda, buildMinutes } from '../../src/usecases/agenda.js';
import { storedCatalogue } from '../../src/usecases/bootstrap.js';
import { agendaBlocks, minutesBlocks } from '../../src/reply/agenda.js';
import { MESSAGE_ITEMS, privateReply } from '../../src/reply/model.js';
import { renderPlain } from '../../src/reply/plain.js';

const N = 1500;
let app: App | undefined;
afterEach(async () => app?.close());

/** A bot on a new SQLite file (also kept in `app`, closed after each test), with rows written straight into it in one transaction. */
async function openCoop(seed: (db: Sqlite.Database, now: number) => void): Promise<{ bot: App; dir: string; file: string; now: number }> {
  const dir = tempDir();
  const file = path.join(dir, 'bot.db');
  const bot = await createApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, COOP_BOARD: 'console:admin' }), logger: silentLogger, tick: false });
  app = bot;
  const now = Date.now();
  const db = new Sqlite(file);
  db.transaction(() => seed(db, now))();
  db.close();
  return { bot, dir, file, now };
}

describe('a large co-op', () => {
  it('lists services, members, electors, deficiencies and updates beyond a thousand rows', async () => {
    const { bot, now } = await openCoop((db, now) => {
      const meeting = Number(db.prepare("INSERT INTO Meeting (kind, at, status, createdAt) VALUES ('agm', ?, 'scheduled', ?)").run(now + 3 * 86_400_000, now).lastInsertRowid);
      const poll = Number(db.prepare("INSERT INTO Poll (kind, question, options, createdBy, createdAt, closesAt, status, secret, quorum, originPlatform) VALUES ('general', 'Q?', '[\"yes\",\"no\"]', 1, ?, ?, 'open', 0, 3, 'console')").run(now, now + 86_400_000).lastInsertRowid);
      for (let i = 0; i < N; i++) {
        const m = Number(db.prepare('INSERT INTO Member (name, isMember, isBoard, joinedAt) VALUES (?, 1, 0, ?)').run(`m${i}`, now).lastInsertRowid);
        db.prepare("INSERT INTO Identity (platform, externalId, memberId, linkedAt) VALUES ('console', ?, ?, ?)").run(`m${i}`, m, now);
        const s = Number(db.prepare("INSERT INTO Service (name, kind, summary, level, levelSince, createdAt) VALUES (?, 'user', 's', 'beta', ?, ?)").run(`svc-${i}`, now, now).lastInsertRowid);
        db.prepare('INSERT INTO ServiceMaintainer (serviceId, memberId, addedAt) VALUES (?, ?, ?)').run(s, m, now);
        db.prepare("INSERT INTO Deficiency (serviceId, description, source, reportedAt, graceMeetingId) VALUES (?, 'd', 'report', ?, ?)").run(s, now, meeting);
        db.prepare('INSERT INTO AnnualUpdate (serviceId, meetingId, text, givenBy, givenAt) VALUES (?, ?, ?, ?, ?)').run(s, meeting, 'fine', m, now);
        db.prepare('INSERT INTO PollElector (pollId, memberId) VALUES (?, ?)').run(poll, m);
        db.prepare('INSERT INTO LevelChange (serviceId, fromLevel, toLevel, at, reason) VALUES (?, ?, ?, ?, ?)').run(s, 'alpha', 'beta', now, 'x');
      }
    });
    const r = await bot.store.read(async (x) => ({
      services: await x.services.listFull(),
      members: await x.members.list({ roster: true }),
      electors: await x.polls.electors(1),
      open: await x.deficiencies.listOpen(N + 1),
      activity: await x.deficiencies.activityPage('opened', new Date(0), new Date(now + 1), 0, N + 1),
      counts: await x.deficiencies.activityCounts(new Date(0), new Date(now + 1)),
      updates: await x.updates.forMeeting(1, 1000).then(async (first) => [...first, ...(await x.updates.forMeeting(1, 1000, first.at(-1)?.serviceName))]),
      changes: await x.services.levelChanges({ from: new Date(0), to: new Date(now + 1), retirements: true }, { limit: N + 1, count: true }),
    }));
    expect(r.services).toHaveLength(N);
    expect(r.services[0]?.maintainers[0]?.identities[0]).toMatch(/^console:m\d+$/);
    expect(r.members.length).toBe(N + 1);
    expect(r.electors).toHaveLength(N);
    expect(r.open).toHaveLength(N);
    expect(r.open[0]?.graceUntil).toBeInstanceOf(Date);
    expect(r.activity).toHaveLength(N);
    expect(r.counts).toEqual({ opened: N, resolved: 0, lapsed: 0 });
    // Two pages by name: every update once, in order.
    expect(r.updates.map((u) => u.serviceName)).toEqual([...Array(N).keys()].map((i) => `svc-${i}`).sort());
    expect(r.changes.items).toHaveLength(N);
    expect(r.changes.total).toBe(N);
    // And the timed work runs over all of it without failing.
    const errors: string[] = [];
    await sweep({ ...bot.deps, logger: { ...silentLogger, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) } });
    expect(errors).toEqual([]);
  });

  it('writes the AGM report a page of services at a time: each service once and in order, no section larger than a page, the event loop turning between them', async () => {
    const { bot, dir, now } = await openCoop((db, now) => {
      const meeting = Number(db.prepare("INSERT INTO Meeting (kind, at, status, createdAt) VALUES ('agm', ?, 'scheduled', ?)").run(now + 3 * 86_400_000, now).lastInsertRowid);
      for (let i = 0; i < N; i++) {
        const level = i % 10 === 0 ? 'retired' : 'beta';
        const s = Number(db.prepare('INSERT INTO Service (name, kind, summary, level, levelSince, createdAt, retiredAt, retiredReason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(`svc-${String(i).padStart(4, '0')}`, 'user', `Service ${i}`, level, now, now, level === 'retired' ? now : null, level === 'retired' ? 'gone' : null).lastInsertRowid);
        if (i % 3 === 0) db.prepare('INSERT INTO AnnualUpdate (serviceId, meetingId, text, givenBy, givenAt) VALUES (?, ?, ?, 1, ?)').run(s, meeting, 'fine', now);
        // Deficiencies reported on every other service; every fourth resolved, every seventh lapsed at an earlier meeting.
        if (i % 2 === 0) {
          // Those left open (on services not retired) run to the AGM ahead: their services descend at it unless fixed.
          db.prepare("INSERT INTO Deficiency (serviceId, description, source, reportedAt, resolvedAt, resolution, lapsedAt, graceMeetingId) VALUES (?, 'Broken', 'report', ?, ?, ?, ?, ?)")
            .run(s, now - 1000, i % 4 === 0 ? now - 500 : null, i % 4 === 0 ? 'Mended' : null, i % 4 !== 0 && i % 7 === 0 ? now - 400 : null, level === 'retired' ? null : meeting);
        }
      }
    });
    const chunks: string[] = [];
    async function* recorded(): AsyncGenerator<string> {
      for await (const c of bot.documentSections({ kind: 'agm-report', asOf: new Date(now).toISOString() })) {
        chunks.push(c);
        yield c;
      }
    }
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const out = path.join(dir, 'report.md');
    await writeDocument(recorded(), out);
    ticking = false;
    const whole = readFileSync(out, 'utf8');
    expect(whole).toBe(chunks.join(''));
    const beta = [...whole.slice(whole.indexOf('### Beta'), whole.indexOf('## Retired')).matchAll(/^- \*\*(svc-\d+)\*\*/gm)].map((m) => m[1]);
    const expected = Array.from({ length: N }, (_, i) => i).filter((i) => i % 10 !== 0).map((i) => `svc-${String(i).padStart(4, '0')}`);
    expect(beta).toEqual(expected);
    expect(whole).toContain(`### Beta (${expected.length})`);
    expect(whole).toContain(`## Retired services (${N / 10})`);
    expect([...whole.matchAll(/^- \*\*svc-\d+\*\*, retired/gm)]).toHaveLength(N / 10);
    // Verified services without an update (two in three of the beta ones) are listed, each once.
    const missing = whole.slice(whole.indexOf('Missing ('), whole.indexOf('## General polls'));
    expect(missing).toContain(`Missing (${expected.filter((n) => Number(n.slice(4)) % 3 !== 0).length}):`);
    expect([...missing.matchAll(/^- \*\*svc-\d+\*\* \(beta\)$/gm)]).toHaveLength(expected.filter((n) => Number(n.slice(4)) % 3 !== 0).length);
    // The deficiencies of the window, each list counted in its heading and each deficiency in it once, oldest first.
    const listed = (from: string, to: string) => [...whole.slice(whole.indexOf(from), whole.indexOf(to)).matchAll(/^- #(\d+) \*\*svc-\d+\*\*/gm)].map((m) => Number(m[1]));
    const ids = Array.from({ length: N / 2 }, (_, k) => k + 1);
    const resolved = ids.filter((id) => ((id - 1) * 2) % 4 === 0);
    const lapsed = ids.filter((id) => ((id - 1) * 2) % 4 !== 0 && ((id - 1) * 2) % 7 === 0);
    expect(listed('### Opened', '### Resolved')).toEqual(ids);
    expect(listed('### Resolved', '### Lapsed')).toEqual(resolved);
    expect(listed('### Lapsed', '## Annual updates')).toEqual(lapsed);
    expect(whole).toContain(`### Opened (${ids.length})`);
    expect(whole).toContain(`### Resolved (${resolved.length})`);
    expect(whole).toContain(`### Lapsed at a meeting (${lapsed.length})`);
    // The updates given, by name, each once.
    const given = [...whole.slice(whole.indexOf('## Annual updates'), whole.indexOf('Missing (')).matchAll(/^- \*\*(svc-\d+)\*\*, /gm)].map((m) => m[1]);
    expect(given).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 0).map((i) => `svc-${String(i).padStart(4, '0')}`));
    // What the meeting must decide: every descent and every service without a maintainer (none has one here), each once, by name.
    const decide = whole.slice(whole.indexOf('## What the'), whole.indexOf('## Level changes'));
    const descending = expected.filter((n) => Number(n.slice(4)) % 2 === 0 && Number(n.slice(4)) % 4 !== 0 && Number(n.slice(4)) % 7 !== 0);
    expect([...decide.matchAll(/^- \*\*(svc-\d+)\*\* descends from beta to alpha at this meeting unless fixed:\n {2}- #\d+ \*\*\1\*\*: Broken/gm)].map((m) => m[1])).toEqual(descending);
    expect([...decide.matchAll(/^- \*\*(svc-\d+)\*\* \(beta\) needs a maintainer/gm)].map((m) => m[1])).toEqual(expected);
    // The agenda, a chat message, shows the first of each list and counts the rest.
    const agenda = await bot.store.read(async (r) => buildAgenda(r, new Date(now), storedCatalogue((await r.catalogues.withStatus('current'))!), undefined, MESSAGE_ITEMS));
    const text = renderPlain(privateReply(...agendaBlocks(agenda!, 'UTC')));
    const shown = [...text.matchAll(/^ {2}- (svc-\d+): beta → alpha, #\d+ Broken$/gm)].map((m) => m[1]);
    expect(shown).toEqual(descending.slice(0, MESSAGE_ITEMS));
    expect(text).toContain(`And ${descending.length - MESSAGE_ITEMS} more. All of them:`);
    expect(text).toContain(`And ${expected.length - MESSAGE_ITEMS} more. All of them:`);
    expect(text.split('\n').filter((l) => l.startsWith('  - ')).length).toBeLessThanOrEqual(4 * MESSAGE_ITEMS);
    // No section holds more than a page of services or deficiencies; the event loop turned while they were written.
    expect(Math.max(...chunks.map((c) => [...c.matchAll(/^- #\d+ /gm)].length))).toBeLessThanOrEqual(REPORT_PAGE);
    const servicesIn = (c: string) => [...c.matchAll(/^- \*\*svc-/gm)].length;
    expect(Math.max(...chunks.map(servicesIn))).toBeLessThanOrEqual(REPORT_PAGE);
    expect(chunks.length).toBeGreaterThan(6);
    expect(turns).toBeGreaterThanOrEqual(chunks.length - 1);
  });

  it('reckons a descent that puts 1,500 services under scrutiny: each gets one deficiency and one audit entry naming it', async () => {
    const { bot, file } = await openCoop((db, now) => {
      const egm = Number(db.prepare("INSERT INTO Meeting (kind, at, status, createdAt) VALUES ('egm', ?, 'scheduled', ?)").run(now - 60_000, now - 86_400_000).lastInsertRowid);
      const base = Number(db.prepare("INSERT INTO Service (name, kind, summary, level, levelSince, createdAt) VALUES ('base', 'infrastructure', 'Base', 'live', ?, ?)").run(now, now).lastInsertRowid);
      db.prepare("INSERT INTO Deficiency (serviceId, description, source, reportedBy, reportedAt, graceMeetingId) VALUES (?, 'Not fixed', 'report', 1, ?, ?)").run(base, now - 86_400_000, egm);
      for (let i = 0; i < N; i++) {
        const s = Number(db.prepare("INSERT INTO Service (name, kind, summary, level, levelSince, createdAt) VALUES (?, 'user', 's', 'beta', ?, ?)").run(`svc-${i}`, now, now).lastInsertRowid);
        db.prepare('INSERT INTO ServiceUse (serviceId, usesId) VALUES (?, ?)').run(s, base);
      }
    });
    await sweep(bot.deps);
    const after = await bot.store.read(async (r) => ({ base: await r.services.byName('base'), open: await r.deficiencies.listOpen(10 * N) }));
    expect(after.base?.level).toBe('beta');
    const scrutiny = after.open.filter((d) => d.source === 'scrutiny');
    expect(scrutiny).toHaveLength(N);
    expect(new Set(scrutiny.map((d) => d.serviceName)).size).toBe(N);
    const check = new Sqlite(file, { readonly: true });
    const audited = check.prepare("SELECT subjectId, detail FROM AuditEvent WHERE action = 'deficiency.opened'").all() as { subjectId: string; detail: string }[];
    check.close();
    expect(audited.map((a) => Number(a.subjectId)).sort((x, y) => x - y)).toEqual(scrutiny.map((d) => d.id).sort((x, y) => x - y));
    const named = new Map(scrutiny.map((d) => [d.id, d.serviceName]));
    expect(audited.every((a) => (JSON.parse(a.detail) as { service: string }).service === named.get(Number(a.subjectId)))).toBe(true);
    // The minutes, a chat message, show twenty of them and count the rest.
    const minutes = renderPlain(privateReply(...minutesBlocks((await bot.store.read((r) => buildMinutes(r, undefined, MESSAGE_ITEMS)))!, 'UTC')));
    expect(minutes).toContain('Descended one level (deficiencies not resolved in time):\n  - base: live → beta');
    expect([...minutes.matchAll(/^ {2}- #\d+ svc-\d+ \(scrutiny\): /gm)]).toHaveLength(MESSAGE_ITEMS);
    expect(minutes).toContain(`And ${N - MESSAGE_ITEMS} more. Each service’s part: \`/service history <name>\`.`);
  });
});
