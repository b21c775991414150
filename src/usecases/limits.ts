// What one person may start (issue: one member cannot swamp the bot). Limits are kept in
// the database, so they hold across a person's linked identities and across copies of
// the bot; the board has higher limits, no one has none.
import { BOARD_FACTOR, type Limits } from '../config.js';
import type { CoreDeps } from '../context.js';
import { UserError } from '../domain/errors.js';
import { identityKey, type IdentityRef } from '../domain/identity.js';
import type { MemberRecord, Repos } from '../ports.js';
import { formatDateTime } from '../reply/format.js';

export const DEFAULT_LIMITS: Limits = { commandsPerMinute: 30, openPolls: 3, reportsPerDay: 10 };
const MINUTE = 60_000;
const DAY = 86_400_000;

const scaled = (n: number, member: MemberRecord | null) => (member?.isBoard ? n * BOARD_FACTOR : n);

function wait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `in ${s} seconds` : `in ${Math.ceil(s / 60)} minutes`;
}

/**
 * Who sent a command, and its count against their rate (per member, across their linked
 * identities), asked of the database at once; refuses past the limit.
 */
export async function senderWithinRate(deps: Pick<CoreDeps, 'store' | 'settings'>, identity: IdentityRef, now: Date): Promise<MemberRecord | null> {
  const limits = deps.settings.limits ?? DEFAULT_LIMITS;
  const since = new Date(now.getTime() - MINUTE);
  const perMinute = { member: limits.commandsPerMinute, board: limits.commandsPerMinute * BOARD_FACTOR };
  const [member, taken] = await Promise.all([
    deps.store.read((r) => r.members.byIdentity(identity)),
    deps.store.append((r) => r.attempts.takeCommand(identity, now, since, perMinute)),
  ]);
  if (taken) return member;
  // Refused: what was used, for the answer.
  const key = member ? `cmd:member:${member.id}` : `cmd:${identityKey(identity)}`;
  const limit = scaled(limits.commandsPerMinute, member);
  const used = await deps.store.read((r) => r.attempts.since(key, since, limit));
  const again = (used.oldest?.getTime() ?? now.getTime()) + MINUTE - now.getTime();
  throw new UserError(
    `You have sent ${used.count} commands in the last minute, the most one person may (${limit} a minute${member?.isBoard ? ' for the board' : ''}). Try again ${wait(again)}.`,
  );
}

/** Inside the transaction that opens a general poll. */
export async function checkOpenPolls(r: Repos, member: MemberRecord, limits: Limits | undefined): Promise<void> {
  const limit = scaled((limits ?? DEFAULT_LIMITS).openPolls, member);
  const open = await r.polls.countOpenBy(member.id, 'general');
  if (open >= limit) {
    throw new UserError(`You already have ${open} general polls open, the most one member may (${limit}). Wait until one closes, or ask the board to close one.`);
  }
}

/** Inside the transaction that records a report. */
export async function checkReports(r: Repos, member: MemberRecord, now: Date, limits: Limits | undefined, tz: string): Promise<void> {
  const limit = scaled((limits ?? DEFAULT_LIMITS).reportsPerDay, member);
  const used = await r.deficiencies.reportedBy(member.id, new Date(now.getTime() - DAY));
  if (used.count >= limit) {
    const again = new Date((used.oldest?.getTime() ?? now.getTime()) + DAY);
    throw new UserError(`You have reported ${used.count} deficiencies in the last 24 hours, the most one member may (${limit} a day). Try again after ${formatDateTime(again, tz)}.`);
  }
}

/** Forgets attempts older than a day (run with the timed work). */
export async function pruneAttempts(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<number> {
  return deps.store.write((r) => r.attempts.prune(new Date(deps.clock.now().getTime() - DAY)));
}
