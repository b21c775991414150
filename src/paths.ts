// The project's root folder (where package.json is), from wherever this file runs:
// src/ under tsx, or dist/src/ once compiled.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the project folder above ${from}`);
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
