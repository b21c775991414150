// `npm start`: runs the compiled bot in this process. It rebuilds first only when a
// source file is newer than the build (a walk over file times: milliseconds), so a start
// with nothing changed costs no type-check. Run with the memory flags in package.json.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'main.js');
// Written after each build (an incremental tsc with nothing to emit leaves file times alone).
const stamp = path.join(root, 'dist', '.built-at');

/** The newest modification time of the TypeScript sources the build compiles. */
function newestSource() {
  let newest = statSync(path.join(root, 'main.ts')).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of ['src', 'adapters']) walk(path.join(root, dir));
  return newest;
}

const builtAt = existsSync(built) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (builtAt === 0 || newestSource() > builtAt) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write('The bot cannot start: its build (dist/) is missing or older than its sources, and TypeScript is not installed to rebuild it. Run npm install.\n');
    process.exit(1);
  }
  // Two starts at once (two copies, a test suite) build once: the other waits for it.
  const lock = path.join(root, 'dist', '.building');
  mkdirSync(path.dirname(lock), { recursive: true });
  let mine = false;
  try {
    closeSync(openSync(lock, 'wx'));
    mine = true;
  } catch {
    // A lock older than three minutes was left by a build that died: not waited for.
    const stale = () => Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 180_000;
    while (existsSync(lock) && !stale()) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  if (mine) {
    try {
      process.stderr.write('Sources changed since the last build: compiling…\n');
      const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) {
        rmSync(lock, { force: true });
        process.exit(r.status ?? 1);
      }
      writeFileSync(stamp, new Date().toISOString());
    } finally {
      rmSync(lock, { force: true });
    }
  }
}
await import(pathToFileURL(built).href);
