// One person, one vote across platforms: a one-time code shown on one platform,
// entered on the other, links the second identity to the same member.
import { createHash, randomInt } from 'node:crypto';
import { formatDateTime } from '../reply/format.js';
import type { CommandContext } from '../context.js';
import { UserError } from '../domain/errors.js';
import { identityKey } from '../domain/identity.js';
import type { MemberRecord } from '../ports.js';
import { cmd } from '../reply/model.js';
import { auditEntry } from './audit.js';

export const LINK_CODE_TTL_MS = 15 * 60_000;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const INVALID_CODE = ['That code is not valid: codes work once, for 15 minutes. For a new one, type ', cmd('coop', 'link'), ' again on the platform where you are a member.'];

/** Wrong codes one person may enter in LINK_CODE_TTL_MS before they must wait. */
export const LINK_ATTEMPTS = 5;

/**
 * Codes are secrets: only their hash is stored, so that whoever reads the database cannot
 * attach their account to another member and vote as them.
 */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`service-maturity-bot link code ${code.replace('-', '').toUpperCase()}`).digest('hex');
}

export function newLinkCode(): string {
  const chars = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export async function startLink(ctx: CommandContext): Promise<{ code: string; expiresAt: Date }> {
  const member = ctx.actor.member;
  if (!member?.isMember) throw new UserError('Only co-op members link accounts: linking is how one member keeps one vote across platforms.');
  const code = newLinkCode();
  const expiresAt = new Date(ctx.now.getTime() + LINK_CODE_TTL_MS);
  await ctx.deps.store.write(async (r) => {
    await r.links.create({ code: hashLinkCode(code), memberId: member.id, platform: ctx.actor.identity.platform, createdAt: ctx.now, expiresAt });
    await r.audit.record(auditEntry(ctx, 'member.link-started', { type: 'member', id: member.id }, { platform: ctx.actor.identity.platform }));
  });
  return { code, expiresAt };
}

export async function completeLink(ctx: CommandContext, rawCode: string): Promise<MemberRecord> {
  const code = hashLinkCode(rawCode.trim());
  const here = ctx.actor.identity;
  const attemptsKey = `link:${identityKey(here)}`;
  const window = new Date(ctx.now.getTime() - LINK_CODE_TTL_MS);
  const tried = await ctx.deps.store.read((r) => r.attempts.since(attemptsKey, window));
  if (tried.count >= LINK_ATTEMPTS) {
    const again = new Date((tried.oldest?.getTime() ?? ctx.now.getTime()) + LINK_CODE_TTL_MS);
    throw new UserError(`${LINK_ATTEMPTS} wrong codes were entered from this account in the last 15 minutes. Try again after ${formatDateTime(again, ctx.deps.settings.timezone)}.`);
  }
  const link = await ctx.deps.store.read((r) => r.links.byCode(code));
  if (!link || link.usedAt || link.expiresAt.getTime() <= ctx.now.getTime()) {
    // A wrong guess counts, in its own change (the refusal itself changes nothing else).
    await ctx.deps.store.write((r) => r.attempts.record(attemptsKey, ctx.now));
    throw new UserError(INVALID_CODE);
  }
  return ctx.deps.store.write(async (r) => {
    if (link.platform === here.platform) throw new UserError(`Enter the code on your other platform, not on ${here.platform} where it was made.`);
    const member = await r.members.byId(link.memberId);
    if (!member) throw new UserError(INVALID_CODE);
    const current = await r.members.byIdentity(here);
    if (current?.id === member.id) throw new UserError('This account is already linked to you.');
    if (member.identities.some((k) => k.startsWith(`${here.platform}:`))) {
      throw new UserError(`You already have a linked ${here.platform} account; ask the board if it should be replaced.`);
    }
    if (current && (await r.members.hasHistory(current.id))) {
      throw new UserError('This account already has its own member record (on the roster, maintaining services or voting); ask the board to merge them.');
    }
    if (!(await r.links.spend(code, ctx.now))) throw new UserError(INVALID_CODE);
    if (current) await r.members.removeIdentity(here);
    await r.members.addIdentity(member.id, here, ctx.now);
    await r.audit.record(auditEntry({ ...ctx, actor: { ...ctx.actor, member } }, 'member.linked', { type: 'member', id: member.id }, { identity: identityKey(here) }));
    return (await r.members.byId(member.id)) as MemberRecord;
  });
}
