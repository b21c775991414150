// Run by `npm install`: generate the Prisma client, then compile the bot to dist/
// (skipped where TypeScript is not installed, as with `npm install --omit=dev`).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run([path.join(root, 'scripts', 'generate-client.mjs')]);
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (existsSync(tsc)) {
  run([tsc, '-p', 'tsconfig.build.json']);
  writeFileSync(path.join(root, 'dist', '.built-at'), new Date().toISOString());
}
else console.log('TypeScript is not installed: skipping the build (npm start needs it).');
