// Small formatting helpers shared by executors.
import type { MemberRecord } from '../ports.js';
import type { PersonView } from './model.js';

export function personView(m: MemberRecord): PersonView {
  return { memberId: m.id, name: m.name, identities: m.identities };
}

/** `21 Nov 2026` in the co-op's time zone. */
export function formatDate(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(d);
}

/** `21 Nov 2026, 18:30` in the co-op's time zone. */
export function formatDateTime(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(d);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
