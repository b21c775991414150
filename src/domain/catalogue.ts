// The requirement catalogue (R3): data, validated with zod, never code.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LEVEL_MEANING, VERIFIED_LEVELS, type Level, type VerifiedLevel } from './service.js';

const requirementKey = z
  .string()
  .regex(/^(alpha|beta|live)\.[a-z0-9][a-z0-9-]{0,38}$/, 'a key like "beta.co-maintainers": the level, a dot, then lowercase letters, digits and -');

const requirement = z.strictObject({
  key: requirementKey,
  title: z.string().min(3).max(80),
  meaning: z.string().min(3).max(1000),
  provided: z.string().max(1000).default(''),
});

export const catalogueSchema = z
  .strictObject({
    name: z.string().min(1).max(80),
    version: z.string().min(1).max(40),
    description: z.string().max(2000).default(''),
    /** What users can expect of a service at each level, in this catalogue's own words (seed 000). */
    expect: z
      .strictObject({
        proposed: z.string().min(3).max(600).optional(),
        alpha: z.string().min(3).max(600).optional(),
        beta: z.string().min(3).max(600).optional(),
        live: z.string().min(3).max(600).optional(),
        retired: z.string().min(3).max(600).optional(),
      })
      .optional(),
    levels: z.strictObject({
      alpha: z.array(requirement),
      beta: z.array(requirement),
      live: z.array(requirement),
    }),
  })
  .superRefine((cat, ctx) => {
    const seen = new Set<string>();
    for (const level of VERIFIED_LEVELS) {
      cat.levels[level].forEach((req, i) => {
        if (!req.key.startsWith(`${level}.`)) {
          ctx.addIssue({ code: 'custom', path: ['levels', level, i, 'key'], message: `"${req.key}" is listed under ${level} but its key starts with another level` });
        }
        if (seen.has(req.key)) {
          ctx.addIssue({ code: 'custom', path: ['levels', level, i, 'key'], message: `"${req.key}" appears twice` });
        }
        seen.add(req.key);
      });
    }
  });

export type Catalogue = z.infer<typeof catalogueSchema>;
export type Requirement = z.infer<typeof requirement>;

export class CatalogueError extends Error {}

/** Parses catalogue JSON text; the error names the file, the path and what was expected. */
export function parseCatalogue(text: string, source: string): Catalogue {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CatalogueError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  const result = catalogueSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map((i) => `  at ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new CatalogueError(`${source} is not a valid requirement catalogue:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** A stable fingerprint of the catalogue's meaning (formatting does not count). */
export function catalogueHash(cat: Catalogue): string {
  return createHash('sha256').update(JSON.stringify(cat)).digest('hex').slice(0, 16);
}

export function requirementsFor(cat: Catalogue, level: VerifiedLevel): Requirement[] {
  return cat.levels[level];
}

export function findRequirement(cat: Catalogue, key: string): Requirement | undefined {
  for (const level of VERIFIED_LEVELS) {
    const found = cat.levels[level].find((r) => r.key === key);
    if (found) return found;
  }
  return undefined;
}

/** The requirement keys a service at each verified level holds: its level's and those below (a deviation to confirm is from one of them). */
export function keysHeldAt(cat: Catalogue): Record<VerifiedLevel, string[]> {
  const keys = { alpha: [], beta: [], live: [] } as Record<VerifiedLevel, string[]>;
  VERIFIED_LEVELS.forEach((l, i) => (keys[l] = VERIFIED_LEVELS.slice(0, i + 1).flatMap((held) => cat.levels[held].map((q) => q.key))));
  return keys;
}

export function allKeys(cat: Catalogue): string[] {
  return VERIFIED_LEVELS.flatMap((l) => cat.levels[l].map((r) => r.key));
}

/** What users can expect at `level`: the catalogue's own words, or the co-op's default ones. */
export function expectationOf(cat: Catalogue, level: Level): string {
  return cat.expect?.[level] ?? LEVEL_MEANING[level];
}

export interface CatalogueChange {
  level: VerifiedLevel;
  added: Requirement[];
  reworded: Requirement[];
  removed: Requirement[];
}

/** What a new version changes, level by level (levels it leaves alone are left out). */
export function diffCatalogues(from: Catalogue, to: Catalogue): CatalogueChange[] {
  return VERIFIED_LEVELS.map((level) => {
    const before = new Map(from.levels[level].map((r) => [r.key, r]));
    const after = new Map(to.levels[level].map((r) => [r.key, r]));
    return {
      level,
      added: to.levels[level].filter((r) => !before.has(r.key)),
      reworded: to.levels[level].filter((r) => {
        const b = before.get(r.key);
        return b !== undefined && (b.title !== r.title || b.meaning !== r.meaning || b.provided !== r.provided);
      }),
      removed: from.levels[level].filter((r) => !after.has(r.key)),
    };
  }).filter((c) => c.added.length + c.reworded.length + c.removed.length > 0);
}
