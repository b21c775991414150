// Start-up: from process start to the first console answer, for `npm start` and for
// `node dist/main.js`, with `node -e 0` as the floor, alternating in one run.
// Prints medians against the goal (npm start within 1.5× of node dist/main.js) and exits
// non-zero when it is missed. Usage: npm run bench (the last part).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUNS = 7;
const dir = mkdtempSync(path.join(tmpdir(), 'smb-bench-start-'));
const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'bot.db')}`, LOG_LEVEL: 'warn', CI: 'true' };

/**
 * Milliseconds until the process first prints `until` on stdout (or exits, when `until` is
 * null). Resolves only once the process has exited, so that the next start does not share
 * the machine with this one's shutdown.
 */
function time(cmd: string, args: string[], until: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let answeredAt: number | null = null;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (answeredAt === null && until !== null && out.includes(until)) {
        answeredAt = performance.now() - started;
        child.stdin.end();
      }
    });
    child.on('exit', (code) => {
      if (until === null) resolve(performance.now() - started);
      else if (answeredAt !== null) resolve(answeredAt);
      else reject(new Error(`${cmd} ${args.join(' ')} exited (${code}) before answering`));
    });
    child.stdin.write('/service level nothing-here\n');
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const answer = 'There is no service named';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// A first start makes and migrates the database, so every timed start is a restart.
await time(process.execPath, ['dist/main.js'], answer);
const figures: Record<'floor' | 'dist' | 'npm', number[]> = { floor: [], dist: [], npm: [] };
for (let i = 0; i < RUNS; i++) {
  figures.floor.push(await time(process.execPath, ['-e', '0'], null));
  figures.dist.push(await time(process.execPath, ['--max-old-space-size=160', '--max-semi-space-size=2', 'dist/main.js'], answer));
  figures.npm.push(await time(npm, ['start', '--silent'], answer));
}
rmSync(dir, { recursive: true, force: true });
const [floor, dist, viaNpm] = [median(figures.floor), median(figures.dist), median(figures.npm)];
const ok = viaNpm <= 1.5 * dist;
console.log(`     start-up to the first console answer, median of ${RUNS}: node -e 0 ${floor.toFixed(0)} ms (floor), node dist/main.js ${dist.toFixed(0)} ms, npm start ${viaNpm.toFixed(0)} ms`);
console.log(`${ok ? 'ok  ' : 'MISS'} ${'npm start vs node dist/main.js'.padEnd(58)} ${`${(viaNpm / dist).toFixed(2)}×`.padEnd(22)} target ≤ 1.5×`);
process.exitCode = ok ? 0 : 1;
