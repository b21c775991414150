// Builds audit entries: who, what, when, from which platform (R12).
import { identityKey } from '../domain/identity.js';
import type { Actor } from '../context.js';
import type { AuditEntry } from '../ports.js';

export interface Acting {
  actor: Actor;
  now: Date;
}

export function auditEntry(
  { actor, now }: Acting,
  action: string,
  subject: { type: string; id: string | number },
  detail: Record<string, unknown> = {},
): AuditEntry {
  return {
    at: now,
    actor: identityKey(actor.identity),
    memberId: actor.member?.id ?? null,
    platform: actor.identity.platform,
    action,
    subjectType: subject.type,
    subjectId: String(subject.id),
    detail,
  };
}

/** For changes the bot makes on its own (start-up, scheduler). */
export function systemEntry(now: Date, job: string, action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown> = {}): AuditEntry {
  return { at: now, actor: `system:${job}`, memberId: null, platform: 'system', action, subjectType: subject.type, subjectId: String(subject.id), detail };
}
