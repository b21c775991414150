// Maintainers' assessments of requirements (R4) and the checks before a verification (R5).
import type { Catalogue } from './catalogue.js';
import { nextLevel, VERIFIED_LEVELS, type Level, type VerifiedLevel } from './service.js';

export const ASSESSMENT_STATUSES = ['met', 'unmet', 'deviation'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export interface Assessment {
  requirementKey: string;
  status: AssessmentStatus;
  note: string;
  assessedAt: Date;
  /** A deviation a verification poll's yes agreed (seed 000: an agreement at the service level). */
  agreedPollId?: number | null;
  /** A deviation recorded after verification, confirmed by the board. */
  confirmedAt?: Date | null;
}

export interface RequirementStatus {
  key: string;
  title: string;
  status: AssessmentStatus | 'not assessed';
  note: string;
}

/**
 * Deviations from requirements of levels the service already holds that nobody has
 * agreed: recorded after its verification, they wait for the board to confirm them
 * (`/service confirm`) or for a later verification poll to cover them.
 */
export function deviationsToConfirm(cat: Catalogue, level: Level, assessments: readonly Assessment[]): (Assessment & { title: string; level: VerifiedLevel })[] {
  const held = VERIFIED_LEVELS.slice(0, VERIFIED_LEVELS.indexOf(level as VerifiedLevel) + 1);
  const out: (Assessment & { title: string; level: VerifiedLevel })[] = [];
  for (const l of held) {
    for (const req of cat.levels[l]) {
      const a = assessments.find((x) => x.requirementKey === req.key);
      if (a?.status === 'deviation' && !a.agreedPollId && !a.confirmedAt) out.push({ ...a, title: req.title, level: l });
    }
  }
  return out;
}

/** Each requirement of `level` with the service's assessment of it. */
export function requirementStatus(cat: Catalogue, level: VerifiedLevel, assessments: readonly Assessment[]): RequirementStatus[] {
  const byKey = new Map(assessments.map((a) => [a.requirementKey, a]));
  return cat.levels[level].map((req) => {
    const a = byKey.get(req.key);
    return { key: req.key, title: req.title, status: a?.status ?? 'not assessed', note: a?.note ?? '' };
  });
}

export interface VerificationFacts {
  level: Level;
  target: VerifiedLevel;
  maintainerCount: number;
  hasOpenRequest: boolean;
  openDeficiencies: number;
  catalogue: Catalogue;
  assessments: readonly Assessment[];
}

/**
 * Everything that stops a verification request, as sentences a maintainer can act on.
 * An empty list means the co-op can be asked.
 */
export function verificationBlockers(f: VerificationFacts): string[] {
  if (f.level === 'retired') return ['The service is retired; it cannot be verified.'];
  const next = nextLevel(f.level);
  if (next === null) return [`The service is already ${f.level}, the top level.`];
  if (f.target !== next) {
    return [`A service at ${f.level} can only ask to be verified at ${next}, the next level, not ${f.target}.`];
  }
  const problems: string[] = [];
  if (f.hasOpenRequest) problems.push('A verification request is already open; wait for its poll or withdraw it.');
  if (f.openDeficiencies > 0) {
    problems.push(`${f.openDeficiencies} open ${f.openDeficiencies === 1 ? 'deficiency' : 'deficiencies'}: resolve them first.`);
  }
  if (f.target === 'beta' && f.maintainerCount < 2) {
    problems.push(`Beta needs at least two maintainers; it has ${f.maintainerCount}.`);
  }
  for (const req of requirementStatus(f.catalogue, f.target, f.assessments)) {
    if (req.status === 'unmet') problems.push(`${req.key} (${req.title}) is assessed unmet.`);
    if (req.status === 'not assessed') problems.push(`${req.key} (${req.title}) is not assessed yet.`);
  }
  return problems;
}
