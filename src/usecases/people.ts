// Finding or recording the person a mention names.
import type { CoreDeps } from '../context.js';
import { defaultName, type IdentityRef, type MentionedPerson } from '../domain/identity.js';
import { cleanText } from '../domain/text.js';
import { systemEntry } from './audit.js';
import type { MemberRecord, Repos } from '../ports.js';

/** The record for `ref`, created (not on the roster) if the bot has never seen them. */
export async function findOrRecordPerson(r: Repos, ref: MentionedPerson, now: Date): Promise<{ person: MemberRecord; created: boolean }> {
  const existing = await r.members.byIdentity(ref);
  if (existing) return { person: existing, created: false };
  const identity = { platform: ref.platform, externalId: ref.externalId };
  const person = await r.members.create({ name: ref.label ?? defaultName(ref), identity, isMember: false, isBoard: false, at: now });
  return { person, created: true };
}

/**
 * A person's name as their platform shows it now (a Slack display name looked up, a
 * rename). Recorded with its audit entry; returns whether it changed.
 */
export async function renamePerson(deps: Pick<CoreDeps, 'store' | 'clock'>, ref: IdentityRef, name: string): Promise<boolean> {
  const clean = cleanText(name).trim().slice(0, 80);
  if (clean === '') return false;
  const now = deps.clock.now();
  return deps.store.write(async (r) => {
    const member = await r.members.byIdentity(ref);
    if (!member || member.name === clean) return false;
    await r.members.update(member.id, { name: clean });
    await r.audit.record(systemEntry(now, ref.platform, 'member.renamed', { type: 'member', id: member.id }, { from: member.name, to: clean }));
    return true;
  });
}
