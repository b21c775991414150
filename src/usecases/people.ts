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
 * rename). Recorded with its audit entry. `unknown`: the bot has no record of them (yet).
 */
export async function renamePerson(deps: Pick<CoreDeps, 'store' | 'clock'>, ref: IdentityRef, name: string): Promise<'renamed' | 'unchanged' | 'unknown'> {
  const clean = cleanText(name).trim().slice(0, 80);
  if (clean === '') return 'unchanged';
  const now = deps.clock.now();
  const member = await deps.store.read((r) => r.members.byIdentity(ref));
  if (!member) return 'unknown';
  if (member.name === clean) return 'unchanged';
  return deps.store.write(async (r) => {
    const current = await r.members.byIdentity(ref);
    if (!current) return 'unknown';
    if (current.name === clean) return 'unchanged';
    await r.members.update(current.id, { name: clean });
    await r.audit.record(systemEntry(now, ref.platform, 'member.renamed', { type: 'member', id: current.id }, { from: current.name, to: clean }));
    return 'renamed';
  });
}
