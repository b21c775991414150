// Argument schemas shared by commands: each message says what was expected.
import { z } from 'zod';
import { ASSESSMENT_STATUSES } from '../domain/assessment.js';
import { parseIdentity, PERSON_FORMS } from '../domain/identity.js';
import { LEVELS, SERVICE_KINDS, SERVICE_NAME_RULE, VERIFIED_LEVELS, isServiceName } from '../domain/service.js';

export const serviceName = z.string().refine(isServiceName, `a service name (${SERVICE_NAME_RULE})`);
export const kind = z.enum(SERVICE_KINDS, { error: `a kind: ${SERVICE_KINDS.join(', ')}` });
export const level = z.enum(LEVELS, { error: `a level: ${LEVELS.join(', ')}` });
export const verifiedLevel = z.enum(VERIFIED_LEVELS, { error: `a level to verify: ${VERIFIED_LEVELS.join(', ')}` });
export const assessment = z.enum(ASSESSMENT_STATUSES, { error: `one of ${ASSESSMENT_STATUSES.join(', ')}` });
export const requirementKey = z.string().regex(/^(alpha|beta|live)\.[a-z0-9-]{1,39}$/, 'a requirement key such as beta.co-maintainers (see /coop requirements)');

/** Free text with a bound on its length. */
export function text(what: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, `${what}`)
    .max(max, `${what} of at most ${max} characters`);
}

export const person = z.string().transform((token, ctx) => {
  const ref = parseIdentity(token);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: `a person: ${PERSON_FORMS}` });
    return z.NEVER;
  }
  return ref;
});

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: values.join(' or ') });
}

/** A comma-separated list of service names ("" or "none" for an empty list). */
export const serviceList = z.string().transform((v, ctx) => {
  if (/^(none|-)$/i.test(v.trim())) return [];
  const names = [...new Set(v.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean))];
  const bad = names.find((n) => !isServiceName(n));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `service names separated by commas, or none ("${bad.slice(0, 40)}" is not a service name)` });
    return z.NEVER;
  }
  return names;
});


/** A number as people write it: 12 or #12. */
export function numberedId(what: string) {
  return z
    .string()
    .regex(/^#?\d{1,9}$/, `a ${what} number such as 12`)
    .transform((v) => Number(v.replace('#', '')));
}

export const pollId = numberedId('poll');

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD, such as 2027-06-05');
export const clockTime = z.string().regex(/^\d{1,2}:\d{2}$/, 'a time as HH:MM, such as 18:30');

/** A chat message never grows with the co-op: lists go a page at a time, of this many. */
export const LIST_PAGE = 40;
/** A page of such a list, from 1. */
export const pageNumber = z
  .string()
  .regex(/^\d{1,5}$/, 'a page number such as 2')
  .transform(Number)
  .refine((n) => n >= 1, 'a page number from 1');
