// What the bot does at start, before it answers anyone.
import { catalogueHash, parseCatalogue, type Catalogue } from '../domain/catalogue.js';
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

export type CatalogueSync = { status: 'first' | 'unchanged' | 'pending' | 'already-pending'; catalogue: StoredCatalogue };

/**
 * Records the catalogue file (R3, R11). The first one becomes current; a different
 * one is recorded as pending, to take effect at the next general meeting.
 */
export async function syncCatalogue(opts: { store: Store; now: Date; catalogue: Catalogue }): Promise<CatalogueSync> {
  const { store, now, catalogue } = opts;
  const hash = catalogueHash(catalogue);
  const content = JSON.stringify(catalogue);
  return store.write(async (r): Promise<CatalogueSync> => {
    const current = await r.catalogues.withStatus('current');
    const input = { name: catalogue.name, version: catalogue.version, hash, content, at: now };
    if (!current) {
      const stored = await r.catalogues.record({ ...input, status: 'current' });
      await r.audit.record(systemEntry(now, 'start', 'catalogue.adopted', { type: 'catalogue', id: stored.id }, { name: catalogue.name, version: catalogue.version }));
      return { status: 'first', catalogue: stored };
    }
    if (current.hash === hash) return { status: 'unchanged', catalogue: current };
    const pending = await r.catalogues.withStatus('pending');
    if (pending?.hash === hash) return { status: 'already-pending', catalogue: pending };
    if (pending) await r.catalogues.setStatus(pending.id, 'superseded');
    const stored = await r.catalogues.record({ ...input, status: 'pending' });
    await r.audit.record(
      systemEntry(now, 'start', 'catalogue.pending', { type: 'catalogue', id: stored.id }, { name: catalogue.name, version: catalogue.version, replaces: pending?.id ?? null }),
    );
    return { status: 'pending', catalogue: stored };
  });
}

/** Parses a stored catalogue (validated again: stored data is not trusted blindly). */
export function storedCatalogue(stored: StoredCatalogue): Catalogue {
  return parseCatalogue(stored.content, `stored catalogue #${stored.id}`);
}
