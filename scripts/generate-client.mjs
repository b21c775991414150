// Generates the Prisma clients offline (run by `npm install`): one for SQLite from
// prisma/schema.prisma, and one for PostgreSQL from the same schema with the provider
// swapped (prisma/postgresql.prisma, derived here, never edited by hand).
// The Prisma CLI wants a native schema engine that it would download; generation
// itself does not use it, so we point it at an existing file (see ENVIRONMENT.md).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { asPostgresSchema } from './postgres-schema.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const pgSchema = path.join('prisma', 'postgresql.prisma');
writeFileSync(path.join(root, pgSchema), asPostgresSchema(readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8')));
for (const schema of ['prisma/schema.prisma', pgSchema]) {
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`Could not generate the Prisma client from ${schema} (see above).`);
    process.exit(result.status ?? 1);
  }
}
