// What the bot does at start, before it answers anyone.
import { parseCatalogue, type Catalogue } from '../domain/catalogue.js';
import { identityKey, type IdentityRef } from '../domain/identity.js';
import type { Store, StoredCatalogue } from '../ports.js';
import { systemEntry } from './audit.js';
import { findOrRecordPerson } from './people.js';

/** COOP_BOARD names the first board when the database has none. Returns who was seated. */
export async function seatInitialBoard(opts: { store: Store; now: Date; board: IdentityRef[] }): Promise<string[]> {
  const { store, now, board } = opts;
  if (board.length === 0) return [];
  return store.write(async (r) => {
    if ((await r.members.list({ board: true })).length > 0) return [];
    for (const ref of board) {
      const { person } = await findOrRecordPerson(r, ref, now);
      await r.members.update(person.id, { isBoard: true, isMember: true, leftAt: null });
      await r.audit.record(systemEntry(now, 'start', 'roster.board-added', { type: 'member', id: person.id }, { name: person.name, from: 'COOP_BOARD' }));
    }
    return board.map(identityKey);
  });
}

/** Parses a stored catalogue (validated again: stored data is not trusted blindly). */
export function storedCatalogue(stored: StoredCatalogue): Catalogue {
  return parseCatalogue(stored.content, `stored catalogue #${stored.id}`);
}
