// Services: names, kinds and levels (rules R1, R2).

export const SERVICE_KINDS = ['user', 'coop', 'infrastructure'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const KIND_TITLES: Record<ServiceKind, string> = {
  user: 'User service',
  coop: 'Co-op service',
  infrastructure: 'Infrastructure',
};

/** The ladder a service climbs, in order. */
export const LADDER = ['proposed', 'alpha', 'beta', 'live'] as const;
export type LadderLevel = (typeof LADDER)[number];
export const LEVELS = [...LADDER, 'retired'] as const;
export type Level = (typeof LEVELS)[number];
/** Levels that have requirements of their own. */
export const VERIFIED_LEVELS = ['alpha', 'beta', 'live'] as const;
export type VerifiedLevel = (typeof VERIFIED_LEVELS)[number];

export const SERVICE_NAME_RULE = '2–40 characters: lowercase letters, digits and -, starting with a letter';
const NAME_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

export function isServiceName(value: string): boolean {
  return NAME_PATTERN.test(value);
}

export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

export function isKind(value: string): value is ServiceKind {
  return (SERVICE_KINDS as readonly string[]).includes(value);
}

/** The level a verification would move to, or null at the top (or when retired). */
export function nextLevel(level: Level): VerifiedLevel | null {
  if (level === 'retired') return null;
  const i = LADDER.indexOf(level);
  const next = LADDER[i + 1];
  return next === undefined ? null : (next as VerifiedLevel);
}

/** One level down (R10), or null when already at the bottom. */
export function levelBelow(level: Level): LadderLevel | null {
  if (level === 'retired' || level === 'proposed') return null;
  const below = LADDER[LADDER.indexOf(level) - 1];
  return below ?? null;
}

/** What a user of the service can expect at each level, in their words. */
export const LEVEL_MEANING: Record<Level, string> = {
  proposed:
    'An idea being worked on. It is not offered for use yet: do not rely on it or keep anything in it.',
  alpha:
    'The idea has been checked with the co-op and there is a plan for what it needs. Try it, but expect changes, breakage or a restart from scratch; keep your own copy of anything that matters.',
  beta:
    'Deployed and looked after by at least two maintainers. Good for everyday use by people who can live with the odd outage; backups and support may be limited.',
  live:
    'Run to the co-op\'s live standard: maintenance is simple and ensured, with runbooks, tested backup and restore, and monitoring. You can rely on it, and problems get noticed and fixed.',
  retired: 'No longer offered. Its record is kept so that anyone can read what it was and why it stopped.',
};

/**
 * The one rule for a maintainer's rights: a current member who is among the service's
 * maintainers. Someone who left the co-op keeps none, whatever a stale record says.
 */
export function maintains(member: { id: number; isMember: boolean } | null | undefined, maintainers: readonly { id: number }[]): boolean {
  return !!member && member.isMember && maintainers.some((m) => m.id === member.id);
}
