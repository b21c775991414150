// Reads the requirement catalogue named by REQUIREMENTS_FILE.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CatalogueError, parseCatalogue, type Catalogue } from './domain/catalogue.js';
import { PROJECT_ROOT } from './paths.js';

/** Relative paths are read from the working directory, then from the project (for the shipped catalogues). */
export function loadCatalogueFile(file: string, cwd = process.cwd()): Catalogue {
  const candidates = path.isAbsolute(file) ? [file] : [path.resolve(cwd, file), path.resolve(PROJECT_ROOT, file)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new CatalogueError(`REQUIREMENTS_FILE: expected a catalogue file; ${file} does not exist (shipped: catalogues/coop-default.json, catalogues/iterations.json)`);
  return parseCatalogue(readFileSync(found, 'utf8'), `REQUIREMENTS_FILE (${file})`);
}
