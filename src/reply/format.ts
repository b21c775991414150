// Small formatting helpers shared by executors.
import type { MemberRecord } from '../ports.js';
import type { PersonView } from './model.js';

export function personView(m: MemberRecord): PersonView {
  return { memberId: m.id, name: m.name, identities: m.identities };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone, made once: building an Intl.DateTimeFormat costs more than using it. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    formatters.set(timeZone, f);
  }
  return f;
}

/** How the zone is named after a time: `UTC`, or the zone's own name (`Europe/Berlin`). */
export function zoneLabel(timeZone: string): string {
  return /^(Etc\/)?(UTC|GMT|Zulu|UCT|Universal)$/i.test(timeZone) ? 'UTC' : timeZone;
}

/**
 * Every date and time a person reads, one way: `7 Dec 2026, 18:00 UTC`, in the co-op's
 * time zone and naming it.
 */
export function formatDateTime(d: Date, timeZone: string): string {
  return `${formatterFor(timeZone).format(d)} ${zoneLabel(timeZone)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `1 deficiency was` / `2 deficiencies were`. */
export function pluralWas(n: number, one: string, many = `${one}s`): string {
  return `${plural(n, one, many)} ${n === 1 ? 'was' : 'were'}`;
}

/** `wiki's`, `accounts'`. */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}
