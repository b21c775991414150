// Finding or recording the person a mention names.
import { defaultName, type MentionedPerson } from '../domain/identity.js';
import type { MemberRecord, Repos } from '../ports.js';

/** The record for `ref`, created (not on the roster) if the bot has never seen them. */
export async function findOrRecordPerson(r: Repos, ref: MentionedPerson, now: Date): Promise<{ person: MemberRecord; created: boolean }> {
  const existing = await r.members.byIdentity(ref);
  if (existing) return { person: existing, created: false };
  const identity = { platform: ref.platform, externalId: ref.externalId };
  const person = await r.members.create({ name: ref.label ?? defaultName(ref), identity, isMember: false, isBoard: false, at: now });
  return { person, created: true };
}
