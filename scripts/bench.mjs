// `npm run bench`: every benchmark in one run, each in its own process with the memory
// settings `npm start` uses; all run even when one misses a target, and the run exits
// non-zero if any did. The core benchmark runs on SQLite and on PostgreSQL (a throwaway
// cluster, or BENCH_POSTGRES_URL), and their figures are compared side by side.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const production = ['--max-old-space-size=160', '--max-semi-space-size=2'];
/** glibc's settings in `npm start` (see README, Running): two arenas, large blocks mapped and returned. */
export const MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };
const out = mkdtempSync(path.join(tmpdir(), 'smb-bench-out-'));
let failed = 0;
const soak = process.argv[2] === 'soak';
const runs = soak ? [['dist/bench/soak.js', production, {}]] : [
  ['dist/bench/core.js', production, { BENCH_ENGINE: 'sqlite', BENCH_OUT: path.join(out, 'sqlite.json') }],
  ['dist/bench/core.js', production, { BENCH_ENGINE: 'postgresql', BENCH_OUT: path.join(out, 'postgresql.json') }],
  ['dist/bench/fairness.js', production, {}],
  ['dist/bench/slack-load.js', [], {}],
  ['dist/bench/startup.js', [], {}],
  // The same at a tenth and at five times the size, for the figures side by side.
  ['dist/bench/core.js', production, { BENCH_ENGINE: 'sqlite', BENCH_SERVICES: '1000', BENCH_OUT: path.join(out, 'sqlite-1000.json') }],
  ['dist/bench/core.js', production, { BENCH_ENGINE: 'sqlite', BENCH_SERVICES: '50000', BENCH_OUT: path.join(out, 'sqlite-50000.json') }],
];
for (const [file, flags, extra] of runs) {
  console.log(`\n== ${file}${extra.BENCH_ENGINE ? ` on ${extra.BENCH_ENGINE}` : ''}${extra.BENCH_SERVICES ? `, ${extra.BENCH_SERVICES} services` : ''}`);
  const r = spawnSync(process.execPath, [...flags, file], { stdio: 'inherit', env: { ...process.env, ...MALLOC, ...extra } });
  if (r.status !== 0) failed++;
}

// The engines side by side: PostgreSQL's quick commands within twice SQLite's p99, or
// within 5 ms of it. Every statement PostgreSQL runs is a round trip on the network, and
// SQLite's p99 is now a millisecond or two: twice that is less than one round trip's own
// p99 on this machine (printed as the floor), so the ratio alone would measure the network.
const ALLOWANCE_MS = 5;
const read = (engine) => {
  const f = path.join(out, `${engine}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
};
const [lite, pg] = [read('sqlite'), read('postgresql')];
if (soak) {
  // Only the hour of mixed use.
} else if (lite && pg) {
  console.log('\n== SQLite and PostgreSQL side by side');
  console.log(`     ${'command'.padEnd(30)} ${'SQLite p99'.padStart(12)} ${'PostgreSQL p99'.padStart(16)}  target: PostgreSQL ≤ 2× SQLite, or ≤ SQLite + ${ALLOWANCE_MS} ms (the middle of three rounds each)`);
  console.log(`     ${'the floor: one round trip'.padEnd(30)} ${'—'.padStart(12)} ${`${(pg.roundTripP99 ?? NaN).toFixed(1)} ms`.padStart(16)}`);
  for (const [name, p] of Object.entries(lite.p99)) {
    const q = pg.p99[name];
    const ok = q !== undefined && (q <= 2 * p || q <= p + ALLOWANCE_MS);
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'MISS'} ${name.padEnd(30)} ${`${p.toFixed(1)} ms`.padStart(12)} ${`${(q ?? NaN).toFixed(1)} ms`.padStart(16)}  ${(q / p).toFixed(2)}×`);
  }
  for (const [name, p] of Object.entries(lite.cpuP50)) console.log(`     ${`${name} (CPU p50)`.padEnd(30)} ${`${p.toFixed(0)} ms`.padStart(12)} ${`${(pg.cpuP50[name] ?? NaN).toFixed(0)} ms`.padStart(16)}`);
  console.log(`     ${'1,000 votes at once'.padEnd(30)} ${`${lite.votesAtOnceMs.toFixed(0)} ms`.padStart(12)} ${`${pg.votesAtOnceMs.toFixed(0)} ms`.padStart(16)}`);
  console.log(`     ${'three copies voting, votes/s'.padEnd(30)} ${lite.copiesVotesPerSecond.toFixed(0).padStart(12)} ${pg.copiesVotesPerSecond.toFixed(0).padStart(16)}`);
} else {
  failed++;
  console.log('\nMISS the engines could not be compared: a core benchmark did not finish');
}
// The sizes side by side (SQLite): what a command does is bounded by what it shows.
const sizes = [read('sqlite-1000'), lite, read('sqlite-50000')];
if (!soak && sizes.every(Boolean)) {
  console.log('\n== 1,000, 10,000 and 50,000 services side by side (SQLite)');
  const row = (what, f, unit) => console.log(`     ${what.padEnd(44)} ${sizes.map((x) => `${f(x)?.toFixed(unit === 'MB' ? 0 : 1) ?? '—'} ${unit}`.padStart(12)).join(' ')}`);
  console.log(`     ${''.padEnd(44)} ${['1,000', '10,000', '50,000'].map((n) => n.padStart(12)).join(' ')}`);
  for (const name of Object.keys(lite.p99)) row(`${name} p99`, (x) => x.p99[name], 'ms');
  for (const name of Object.keys(lite.cpuP50)) row(`${name} CPU p50`, (x) => x.cpuP50[name], 'ms');
  row('the whole report: longest stall (warm)', (x) => x.stallMs, 'ms');
  row('scheduler pass (worst of 5)', (x) => x.sweepMs, 'ms');
  row('1,000 votes at once', (x) => x.votesAtOnceMs, 'ms');
  row('one vote vs the same SQL raw', (x) => x.voteVsRaw, '×');
  row('the reckoning with 100 descents', (x) => x.reckoningMs, 'ms');
  row('resident memory after all', (x) => x.rssMb, 'MB');
} else if (!soak) {
  failed++;
  console.log('\nMISS the sizes could not be compared: a core benchmark did not finish');
}
rmSync(out, { recursive: true, force: true });
console.log(failed === 0 ? '\nEvery figure met its target.' : `\n${failed} figure${failed === 1 ? '' : 's'} or benchmark${failed === 1 ? '' : 's'} missed a target (MISS above).`);
process.exitCode = failed === 0 ? 0 : 1;
