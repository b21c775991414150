// The bot's version, from its package.json (found from here whether run from src/ or dist/src/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const packageFile = z.object({ name: z.string(), version: z.string() });

function read(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = packageFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (pkg.success && pkg.data.name === 'service-maturity-bot') return pkg.data.version;
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

export const VERSION = read();
