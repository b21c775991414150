// Benchmarks for PRODUCT.md §6 and the size targets: every command a member can type,
// on a realistic seed, each figure printed next to its target; exits non-zero when one
// is missed. Usage: npm run bench   (a few minutes; uses a temporary database)
// BENCH_ENGINE=postgresql runs it on PostgreSQL (the same seed, copied; a throwaway
// cluster unless BENCH_POSTGRES_URL names a server); BENCH_OUT=<file> writes the
// figures as JSON for the side-by-side comparison scripts/bench.mjs prints.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { startPostgres } from './postgres-server.js';
import { copyToPostgres } from './to-postgres.js';
import { connectPostgres } from '../src/store/postgres.js';
import { consolePlatform } from '../adapters/console/console.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { sweep } from '../src/scheduler/index.js';
import { runDueReckonings } from '../src/usecases/run-reckoning.js';
import { writeDocument } from '../src/documents.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The co-op's size: 10,000 services unless BENCH_SERVICES says otherwise (npm run bench also runs 1,000 and 50,000). */
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const MEMBERS = 1_000;
const VOTES = 100_000;
const dir = mkdtempSync(path.join(tmpdir(), 'smb-bench-'));
const file = path.join(dir, 'bot.db');
const ENGINE = process.env.BENCH_ENGINE === 'postgresql' ? 'postgresql' : 'sqlite';
/** The figures, for the comparison of the engines. */
const results: { engine: string; services: number; p99: Record<string, number>; cpuP50: Record<string, number>; votesAtOnceMs?: number; copiesVotesPerSecond?: number; sweepMs?: number; rssMb?: number; stallMs?: number; voteVsRaw?: number; reckoningMs?: number; roundTripP99?: number } = { engine: ENGINE, services: SERVICES, p99: {}, cpuP50: {} };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
let missed = 0;
function line(what: string, figure: string, target: string, ok: boolean): void {
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${what.padEnd(58)} ${figure.padEnd(22)} target ${target}`);
}


// Seed in another process, so that this one's memory is the bot's own.
const t0 = Date.now();
const here = fileURLToPath(import.meta.url);
const seedFile = path.join(path.dirname(here), `seed${path.extname(here)}`);
const loader = path.extname(here) === '.ts' ? ['--import', 'tsx'] : [];
const seeded = spawnSync(process.execPath, [...loader, seedFile, file, String(SERVICES), String(MEMBERS), String(VOTES)], { stdio: 'inherit' });
if (seeded.status !== 0) throw new Error('seeding failed');
let databaseUrl = `file:${file}`;
let server: { url: string; stop(): void } | undefined;
if (ENGINE === 'postgresql') {
  server = process.env.BENCH_POSTGRES_URL ? undefined : await startPostgres();
  const base = process.env.BENCH_POSTGRES_URL ?? server?.url ?? '';
  const admin = await connectPostgres(base);
  await admin.query('DROP DATABASE IF EXISTS smb_bench');
  await admin.query('CREATE DATABASE smb_bench');
  await admin.end();
  const u = new URL(base);
  u.pathname = '/smb_bench';
  databaseUrl = u.toString();
  await copyToPostgres(file, databaseUrl);
}
const app = await createApp({ config: loadConfig({ DATABASE_URL: databaseUrl, COOP_BOARD: 'console:admin', LIMIT_COMMANDS_PER_MINUTE: '10000', LIMIT_OPEN_POLLS: '1000' }), logger: silentLogger, tick: false });
const say = (who: string, group: 'service' | 'coop', text: string) =>
  app.handle({ group, text, actor: { platform: 'console', externalId: who }, platform: consolePlatform });
console.log(`${ENGINE}: seeded ${SERVICES} services, ${MEMBERS} members, ${VOTES} votes in ${Date.now() - t0} ms\n`);

const mem = (label: string) => console.log(`  rss ${label}: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
mem('after start');
// Command latency: parse, database, reply, as the core handles them. Quick commands are
// held to a p99; the whole-co-op ones (status, list, report, agenda, minutes, a service's
// history) to a CPU p50, with their size.
const openPolls = (await app.store.read((r) => r.polls.listOpen())).map((p) => p.id);
const commands: [string, 'service' | 'coop', (i: number) => string, { runs: number; p99?: number; cpuP50?: number }][] = [
  ['/service level', 'service', (i) => `level svc-${(i * 7919) % SERVICES}`, { runs: 400, p99: 25 }],
  ['/service info', 'service', (i) => `info svc-${(i * 104729) % SERVICES}`, { runs: 400, p99: 25 }],
  ['/coop polls', 'coop', () => 'polls', { runs: 400, p99: 25 }],
  ['/coop vote (a write)', 'coop', (i) => `vote ${openPolls[i % openPolls.length] ?? 1} ${i % 3 === 0 ? 'no' : 'yes'}`, { runs: 400, p99: 25 }],
  ['/service help', 'service', () => 'help', { runs: 400, p99: 25 }],
  ['/service report (a write)', 'service', (i) => `report svc-${i % SERVICES} Benchmark deficiency ${i}`, { runs: 400, p99: 25 }],
  ['/service list', 'service', (i) => `list ${1 + (i % 250)}`, { runs: 100, cpuP50: 250 }],
  ['/coop status', 'coop', () => 'status', { runs: 30, cpuP50: 250 }],
  ['/coop report (its head; the whole follows as a file)', 'coop', () => 'report', { runs: 10, cpuP50: 250 }],
  ['/coop agenda', 'coop', () => 'agenda', { runs: 30, cpuP50: 250 }],
  ['/coop minutes', 'coop', () => 'minutes', { runs: 30, cpuP50: 250 }],
  ['/service history', 'service', (i) => `history svc-${(i * 7919) % SERVICES}`, { runs: 100, cpuP50: 250 }],
];
// Each command first runs a few times unmeasured, on both engines alike: the first runs
// of a statement prepare it (on PostgreSQL once on each connection of the pool), which a
// bot does once after it starts, not once in a hundred commands.
const WARM_UP = 10;
// The quick commands run in three rounds: the target holds over all of them; the engines
// are compared on the middle round's p99 (a round the machine hiccups in is one of three).
// Reporting a deficiency runs one round: each adds one.
const ROUNDS = 3;
for (const [name, group, text, goal] of commands) {
  const times: number[] = [];
  const cpu: number[] = [];
  const roundP99: number[] = [];
  let size = 0;
  for (let i = 0; i < WARM_UP; i++) await say(`m${(goal.runs + i) % MEMBERS}`, group, text(goal.runs + i));
  // (A report adds a deficiency: one round of it, or the co-op the later figures weigh would grow.)
  const rounds = goal.p99 !== undefined && !name.startsWith('/service report') ? ROUNDS : 1;
  for (let round = 0; round < rounds; round++) {
    const inRound: number[] = [];
    for (let n = 0; n < goal.runs; n++) {
      const i = round * goal.runs + n;
      const s = performance.now();
      const c = process.cpuUsage();
      const r = await say(`m${i % MEMBERS}`, group, text(i));
      const used = process.cpuUsage(c);
      inRound.push(performance.now() - s);
      cpu.push((used.user + used.system) / 1000);
      size = Math.max(size, JSON.stringify(r).length);
      if (r.outcome === 'error') throw new Error(`${name} failed: ${JSON.stringify(r.blocks).slice(0, 300)}`);
    }
    times.push(...inRound);
    roundP99.push(pct(inRound.sort((a, b) => a - b), 99));
  }
  const kb = `${(size / 1024).toFixed(1)} KB reply`;
  if (goal.p99 !== undefined) {
    const p99 = pct([...times].sort((a, b) => a - b), 99);
    results.p99[name] = pct([...roundP99].sort((a, b) => a - b), 50);
    line(`${name}: p50 ${pct([...times].sort((a, b) => a - b), 50).toFixed(1)} ms, ${kb}; rounds ${roundP99.map((x) => x.toFixed(1)).join(' / ')}`, `p99 ${p99.toFixed(1)} ms`, `≤ ${goal.p99} ms`, p99 <= goal.p99);
  } else {
    const p50 = pct([...cpu].sort((a, b) => a - b), 50);
    results.cpuP50[name] = p50;
    line(`${name}: wall p50 ${pct([...times].sort((a, b) => a - b), 50).toFixed(0)} ms, ${kb}`, `CPU p50 ${p50.toFixed(0)} ms`, `≤ ${goal.cpuP50 ?? 0} ms`, p50 <= (goal.cpuP50 ?? 0));
  }
}

// PostgreSQL's floor: a bare round trip from this process, as many times as a command ran.
if (ENGINE === 'postgresql') {
  const client = await connectPostgres(databaseUrl);
  const trips: number[] = [];
  for (let i = 0; i < WARM_UP + 1200; i++) {
    const s = performance.now();
    await client.query({ name: 'floor', text: 'SELECT $1::int AS "n"', values: [i] });
    if (i >= WARM_UP) trips.push(performance.now() - s);
  }
  await client.end();
  trips.sort((a, b) => a - b);
  results.roundTripP99 = pct(trips, 99);
  console.log(`     the floor, a bare round trip to PostgreSQL from this process: p50 ${pct(trips, 50).toFixed(2)} ms, p99 ${pct(trips, 99).toFixed(2)} ms`);
}

// The whole pack, as the adapters deliver it after /coop report's head (and the web
// pages serve it): written section by section into a file. Its CPU is the pack's own;
// what matters to everyone else is that the event loop keeps turning meanwhile.
{
  const cpu: number[] = [];
  const wall: number[] = [];
  let bytes = 0;
  let coldStall = 0;
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  for (let i = 0; i < 6; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    stalls.enable();
    bytes = await writeDocument(app.documentSections({ kind: 'agm-report', asOf: new Date().toISOString() }), path.join(dir, 'report.md'));
    stalls.disable();
    // The first, in a process that has not made one yet, also compiles its queries.
    if (i === 0) {
      coldStall = stalls.max / 1e6;
      stalls.reset();
      continue;
    }
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const stall = stalls.max / 1e6;
  results.stallMs = stall;
  results.cpuP50['the whole report, as a file'] = pct([...cpu].sort((x, y) => x - y), 50);
  console.log(`     the whole report as a file (${(bytes / 1048576).toFixed(1)} MB): CPU p50 ${pct([...cpu].sort((x, y) => x - y), 50).toFixed(0)} ms, wall p50 ${pct([...wall].sort((x, y) => x - y), 50).toFixed(0)} ms; the first after start stalled the loop ${coldStall.toFixed(0)} ms (compiling its queries)`);
  line('the whole report as a file: longest event-loop stall (warm)', `${stall.toFixed(0)} ms`, '≤ 100 ms', stall <= 100);
}

mem('after commands');
// 1,000 electors voting at once on a new poll.
await say('admin', 'coop', 'poll Benchmark: all at once?');
const polls = await app.store.read((r) => r.polls.listOpen());
const pollId = polls.at(-1)?.id ?? 0;
const s = performance.now();
const votes = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => say(`m${i}`, 'coop', `vote ${pollId} ${i % 2 === 0 ? 'yes' : 'no'}`)));
const took = performance.now() - s;
results.votesAtOnceMs = took;
const view = await app.pollView(pollId);
const tally = { n: view?.turnout ?? 0, yes: view?.options.find((o) => o.label === 'yes')?.votes ?? 0 };
line(`1,000 simultaneous votes in ${took.toFixed(0)} ms`, `${tally.n} counted, ${tally.yes} yes`, '1000 counted, 500 yes', tally.n === 1000 && tally.yes === 500 && votes.every((v) => v.outcome === 'ok'));

// A scheduler pass over the whole co-op (an AGM near, so the nudge job reads them all).
const agm = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
await say('admin', 'coop', `meeting agm ${agm}`);
mem('before sweeps');
const first = performance.now();
await sweep(app.deps);
const firstMs = performance.now() - first;
const passes: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await sweep(app.deps);
  passes.push(performance.now() - t);
}
passes.sort((a, b) => a - b);
mem('after sweeps');
console.log(`     first pass (sends ${MEMBERS}+ nudges and reminders): ${firstMs.toFixed(0)} ms`);
if (process.env.BENCH_JOBS) {
  // Per-job timings, for finding what is slow.
  const jobs = await import('../src/scheduler/index.js');
  const { nudgeUpdates } = await import('../src/scheduler/nudge-updates.js');
  const { remindDeficiencies } = await import('../src/scheduler/remind-deficiencies.js');
  const { remindElectors } = await import('../src/scheduler/remind-electors.js');
  const { checkAgmScheduled } = await import('../src/scheduler/check-agm.js');
  for (const [n, f] of [['nudge', nudgeUpdates], ['deficiencies', remindDeficiencies], ['electors', remindElectors], ['agm', checkAgmScheduled], ['abandon', jobs.abandonUnconfirmed]] as const) {
    const t = performance.now();
    await f(app.deps);
    console.log(`  ${n}: ${(performance.now() - t).toFixed(0)} ms`);
  }
}
results.sweepMs = passes.at(-1) ?? 0;
line(`scheduler pass over ${SERVICES.toLocaleString('en')} services (worst of 5 after the first)`, `${(passes.at(-1) ?? 0).toFixed(0)} ms`, '≤ 500 ms', (passes.at(-1) ?? 0) <= 500);

const rss = process.memoryUsage().rss / 1024 / 1024;
results.rssMb = rss;
line('resident memory after all of the above', `${rss.toFixed(0)} MB`, '≤ 200 MB', rss <= 200);

// One vote against the same SQL written raw (SQLite): every statement a vote runs is
// recorded as it runs (the store's own prepared statements and Prisma's alike), then
// replayed through better-sqlite3 with each statement prepared once, ending in ROLLBACK
// instead of COMMIT so that the same vote can be replayed.
if (ENGINE === 'sqlite') {
  const Sqlite = (await import('better-sqlite3')).default;
  type Recorded = { sql: string; args: unknown[] };
  let recording: Recorded[] | null = null;
  const probe = new Sqlite(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'bind' | 'run' | 'all' | 'get', (this: { source: string }, ...a: unknown[]) => unknown>;
  probe.close();
  const original = { bind: proto.bind, run: proto.run, all: proto.all, get: proto.get };
  const bound = new WeakMap<object, unknown[]>();
  // The adapter binds one array of values, then runs with none; the store passes them to run/all.
  const values = (args: unknown[]) => (args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args);
  proto.bind = function (...args) {
    bound.set(this, values(args));
    return original.bind.apply(this, args);
  };
  for (const m of ['run', 'all', 'get'] as const) {
    proto[m] = function (...args) {
      recording?.push({ sql: this.source, args: args.length > 0 ? values(args) : (bound.get(this) ?? []) });
      return original[m].apply(this, args);
    };
  }
  const vote = (i: number) => say(`m${i % MEMBERS}`, 'coop', `vote ${pollId} ${i % 2 === 0 ? 'no' : 'yes'}`);
  await vote(1);
  recording = [];
  await vote(2);
  const statements: Recorded[] = recording;
  if (process.env.BENCH_SQL) for (const x of statements) console.log(`  ${x.sql.slice(0, 160)}`);
  recording = null;
  Object.assign(proto, original);
  // Three rounds of each, the middle one counted (a hiccup of the machine lands in one).
  const N = 300;
  const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? NaN;
  const botRounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (let i = round * N; i < (round + 1) * N; i++) await vote(i);
    botRounds.push(N / ((performance.now() - t) / 1000));
  }
  const botPerSecond = middle(botRounds);
  const raw = new Sqlite(file);
  raw.pragma('busy_timeout = 5000');
  const cache = new Map<string, ReturnType<typeof raw.prepare>>();
  const run = (sql: string, args: unknown[]) => {
    const st = cache.get(sql) ?? raw.prepare(sql);
    cache.set(sql, st);
    return st.reader ? st.all(args) : st.run(args);
  };
  // All of it in one transaction rolled back (the rate limit's log is written outside the vote's own).
  const own = statements.filter((x) => !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(x.sql));
  const rawRounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (let i = 0; i < N; i++) {
      run('BEGIN', []);
      for (const x of own) run(x.sql, x.args);
      run('ROLLBACK', []);
    }
    rawRounds.push(N / ((performance.now() - t) / 1000));
  }
  const rawPerSecond = middle(rawRounds);
  raw.close();
  results.voteVsRaw = rawPerSecond / botPerSecond;
  line(`one vote (${statements.length} statements) vs the same SQL raw`, `${botPerSecond.toFixed(0)} vs ${rawPerSecond.toFixed(0)} votes/s, ${(rawPerSecond / botPerSecond).toFixed(1)}×`, '≤ 5×', rawPerSecond / botPerSecond <= 5);
}

// Three copies of the bot voting at once into this database (each its own process).
await say('admin', 'coop', 'poll Benchmark: three copies?');
const copiesPoll = (await app.store.read((r) => r.polls.listOpen())).at(-1)?.id ?? 0;
const worker = path.join(path.dirname(here), `vote-worker${path.extname(here)}`);
const third = Math.ceil(MEMBERS / 3);
const runs = await Promise.all(
  [0, 1, 2].map(
    (k) =>
      new Promise<{ votes: number; ms: number; errors: number }>((resolve, reject) => {
        const r = spawn(process.execPath, [...loader, worker, databaseUrl, String(k * third), String(Math.min(MEMBERS, (k + 1) * third)), 'once', String(copiesPoll)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        r.stdout.on('data', (c: Buffer) => (out += c.toString()));
        r.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { votes: number; ms: number; errors: number }) : reject(new Error(`vote worker ${k} exited ${code}`))));
      }),
  ),
);
const copiesVotes = runs.reduce((a, r) => a + r.votes, 0);
const perSecond = copiesVotes / (Math.max(...runs.map((r) => r.ms)) / 1000);
results.copiesVotesPerSecond = perSecond;
const counted = (await app.pollView(copiesPoll))?.turnout ?? 0;
line(`three copies voting at once: ${copiesVotes} votes`, `${perSecond.toFixed(0)} votes/s, ${counted} counted`, `${MEMBERS} counted`, counted === MEMBERS && runs.every((r) => r.errors === 0));

// An AGM's reckoning with 100 descents: the 100 most used services that hold a level
// each carry a deficiency whose grace ends at an AGM just past, for which nine in ten
// verified services gave their annual update; the scheduler's pass lowers them, puts
// what uses them under scrutiny, and opens deficiencies for the missed updates and the
// requirements not met (R9-R11). Timed with the longest stall.
{
  const now = new Date();
  const reckonAt = new Date(now.getTime() - 60_000);
  const infra = ENGINE === 'sqlite' ? await sqliteInfra() : [];
  async function sqliteInfra(): Promise<number[]> {
    const Sqlite = (await import('better-sqlite3')).default;
    const db = new Sqlite(file);
    db.pragma('busy_timeout = 5000');
    const ids = db
      .prepare("SELECT u.usesId AS id FROM ServiceUse u JOIN Service s ON s.id = u.usesId WHERE s.level IN ('alpha', 'beta', 'live') GROUP BY u.usesId ORDER BY COUNT(*) DESC, u.usesId LIMIT 100")
      .all()
      .map((r) => (r as { id: number }).id);
    db.transaction(() => {
      const meeting = Number(db.prepare("INSERT INTO Meeting (kind, at, status, createdAt) VALUES ('agm', ?, 'scheduled', ?)").run(reckonAt.getTime(), now.getTime() - 86_400_000).lastInsertRowid);
      const add = db.prepare("INSERT INTO Deficiency (serviceId, requirementKey, description, source, reportedBy, reportedAt, graceMeetingId) VALUES (?, NULL, 'Benchmark: not fixed in time', 'report', 1, ?, ?)");
      for (const id of ids) add.run(id, now.getTime() - 86_400_000, meeting);
      db.prepare(
        "INSERT INTO AnnualUpdate (serviceId, meetingId, text, givenBy, givenAt) SELECT s.id, ?, 'Benchmark: a year of running it', m.memberId, ? FROM Service s JOIN ServiceMaintainer m ON m.serviceId = s.id WHERE s.level IN ('alpha', 'beta', 'live') AND s.id % 10 <> 0",
      ).run(meeting, now.getTime() - 86_400_000);
    })();
    db.close();
    return ids;
  }
  if (infra.length > 0) {
    const openBefore = await app.store.read((r) => r.deficiencies.countOpen());
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const t = performance.now();
    await runDueReckonings(app.deps);
    const ms = performance.now() - t;
    stalls.disable();
    const lowered = await app.store.read(async (r) => {
      let n = 0;
      for (const id of infra) n += (await r.services.levelHistory(id)).filter((c) => c.reason.startsWith('descended at')).length;
      return n;
    });
    results.reckoningMs = ms;
    const opened = (await app.store.read((r) => r.deficiencies.countOpen())) - openBefore;
    // The figure is at 10,000 services; the work is linear in the services (each
    // one under scrutiny, short of an update or a requirement gets a deficiency written),
    // so a larger co-op is held to the same rate: 1 s per 10,000 services.
    const allowed = Math.max(1000, SERVICES / 10);
    const stall = stalls.max / 1e6;
    line(
      `the AGM's reckoning: ${infra.length} services descend (${lowered} level changes), ${opened} deficiencies opened, longest stall ${stall.toFixed(0)} ms`,
      `${ms.toFixed(0)} ms`,
      `≤ ${(allowed / 1000).toFixed(0)} s, stall ≤ 100 ms`,
      ms <= allowed && stall <= 100 && lowered >= infra.length,
    );
  }
  // The next pass, with every deficiency the reckoning opened still open.
  if (infra.length > 0) {
    const after = monitorEventLoopDelay({ resolution: 5 });
    after.enable();
    const t2 = performance.now();
    const before = await app.store.read((r) => r.deficiencies.countOpen());
    await sweep(app.deps);
    after.disable();
    const passMs = performance.now() - t2;
    const passStall = after.max / 1e6;
    // Its work is the reminders of what the reckoning opened (an AGM three days ahead):
    // held to the 500 ms at 10,000 services, and to the same rate above.
    const passAllowed = Math.max(500, SERVICES / 20);
    line(
      `the pass after it (${before} open deficiencies, their reminders due), longest stall ${passStall.toFixed(0)} ms`,
      `${passMs.toFixed(0)} ms`,
      `≤ ${passAllowed.toFixed(0)} ms, stall ≤ 100 ms`,
      passMs <= passAllowed && passStall <= 100,
    );
  }
}

await app.close();
server?.stop();
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(results));
rmSync(dir, { recursive: true, force: true });
process.exitCode = missed > 0 ? 1 : 0;
