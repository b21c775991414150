// The member roster and the board (board commands).
import { UserError } from '../domain/errors.js';
import type { IdentityRef } from '../domain/identity.js';
import type { MemberRecord, Store } from '../ports.js';
import { auditEntry, type Acting } from './audit.js';
import { findOrRecordPerson } from './people.js';

type RosterChange = 'member-added' | 'member-removed' | 'board-added' | 'board-removed';

export interface RosterChanged {
  member: MemberRecord;
  /** Services the person maintained (their maintainership ended with their membership). */
  stoppedMaintaining: string[];
  /** Of those, the services left with no maintainer at all. */
  orphaned: string[];
}

export async function changeRoster(opts: Acting & { store: Store; change: RosterChange; person: IdentityRef }): Promise<RosterChanged> {
  const { store, change, person, now } = opts;
  const stoppedMaintaining: string[] = [];
  const orphaned: string[] = [];
  const member = await store.write(async (r) => {
    const { person: record } = await findOrRecordPerson(r, person, now);
    switch (change) {
      case 'member-added':
        if (record.isMember) throw new UserError(`${record.name} is already a member.`);
        await r.members.update(record.id, { isMember: true, leftAt: null });
        break;
      case 'member-removed':
        if (!record.isMember) throw new UserError(`${record.name} is not on the roster.`);
        if (record.isBoard) throw new UserError(`${record.name} is on the board; remove them from the board first.`);
        await r.members.update(record.id, { isMember: false, leftAt: now });
        // Maintainers are members: leaving the co-op ends every maintainership, in the same change.
        for (const s of await r.services.maintainedBy(record.id)) {
          await r.services.removeMaintainer(s.id, record.id);
          await r.audit.record(auditEntry(opts, 'service.maintainer-removed', { type: 'service', id: s.name }, { memberId: record.id, name: record.name, because: 'left the co-op' }));
          stoppedMaintaining.push(s.name);
        }
        if (stoppedMaintaining.length > 0) {
          // Read by name: as many as this member maintained, whatever the size of the co-op.
          for (const name of stoppedMaintaining) if ((await r.services.byName(name))?.maintainers.length === 0) orphaned.push(name);
        }
        break;
      case 'board-added':
        if (record.isBoard) throw new UserError(`${record.name} is already on the board.`);
        // Board members are members.
        await r.members.update(record.id, { isBoard: true, isMember: true, leftAt: null });
        break;
      case 'board-removed': {
        if (!record.isBoard) throw new UserError(`${record.name} is not on the board.`);
        const board = await r.members.list({ board: true });
        if (board.length === 1) throw new UserError(`${record.name} is the last board member; add another first.`);
        await r.members.update(record.id, { isBoard: false });
        break;
      }
    }
    await r.audit.record(auditEntry(opts, `roster.${change}`, { type: 'member', id: record.id }, { name: record.name, ...(stoppedMaintaining.length > 0 ? { stoppedMaintaining } : {}) }));
    return (await r.members.byId(record.id)) as MemberRecord;
  });
  return { member, stoppedMaintaining, orphaned };
}
