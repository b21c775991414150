// `npm run bench`: every benchmark in one run, each in its own process with the memory
// settings `npm start` uses; all run even when one misses a target, and the run exits
// non-zero if any did.
import { spawnSync } from 'node:child_process';

const production = ['--max-old-space-size=160', '--max-semi-space-size=2'];
const env = { ...process.env, MALLOC_ARENA_MAX: '2' };
let failed = 0;
for (const [file, flags] of [
  ['dist/bench/core.js', production],
  ['dist/bench/fairness.js', production],
  ['dist/bench/startup.js', []],
]) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, [...flags, file], { stdio: 'inherit', env });
  if (r.status !== 0) failed++;
}
console.log(failed === 0 ? '\nEvery figure met its target.' : `\n${failed} benchmark${failed === 1 ? '' : 's'} missed a target (MISS above).`);
process.exitCode = failed === 0 ? 0 : 1;
