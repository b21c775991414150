import { z } from 'zod';
import { personView } from '../../reply/format.js';
import { cmd, heading, list, para, person as personSpan, privateReply, publicReply, type Block, type Reply } from '../../reply/model.js';
import { notifyAfterCommit } from '../../usecases/notify.js';

/** Tells the board that services have no maintainer left, and how to give them one. */
export function orphanedNotice(names: readonly string[]): Reply {
  return publicReply(
    para(`${names.length === 1 ? `${names[0]} needs a maintainer` : `These services need a maintainer: ${names.join(', ')}`}: nobody maintains ${names.length === 1 ? 'it' : 'them'} any more.`),
    para('The board adds one with ', cmd('service', `maintainer ${names[0]} add <user>`), '.'),
  );
}
import { changeRoster } from '../../usecases/manage-roster.js';
import { oneOf, person } from '../args.js';
import { defineCommand } from '../define.js';

export const member = defineCommand({
  group: 'coop',
  words: ['member'],
  params: [{ name: 'action', label: 'add|remove' }, { name: 'user', label: '<user>' }],
  args: z.object({ action: oneOf(['add', 'remove']), user: person }),
  access: 'board',
  summary: 'Add someone to the member roster, or remove them.',
  example: '/coop member add @carol',
  async run(ctx, { action, user }) {
    const change = action === 'add' ? 'member-added' : 'member-removed';
    const { member: m, stoppedMaintaining, orphaned } = await changeRoster({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, change, person: user });
    const blocks: Block[] = [para(personSpan(personView(m)), action === 'add' ? ' is now a co-op member.' : ' is no longer on the member roster.')];
    if (stoppedMaintaining.length > 0) blocks.push(para(`They no longer maintain ${stoppedMaintaining.join(', ')}.`));
    if (orphaned.length > 0) {
      const needs = orphanedNotice(orphaned);
      blocks.push(...needs.blocks);
      await notifyAfterCommit(ctx.deps, { kind: 'governance' }, needs);
      for (const b of await ctx.deps.store.read((r) => r.members.list({ board: true }))) {
        if (b.id !== ctx.actor.member?.id) await notifyAfterCommit(ctx.deps, { kind: 'person', memberId: b.id, identities: b.identities }, needs);
      }
    }
    return publicReply(...blocks);
  },
});

export const board = defineCommand({
  group: 'coop',
  words: ['board'],
  params: [{ name: 'action', label: 'add|remove' }, { name: 'user', label: '<user>' }],
  args: z.object({ action: oneOf(['add', 'remove']), user: person }),
  access: 'board',
  summary: 'Seat someone on the board (they become a member too), or stand them down.',
  example: '/coop board add @dana',
  async run(ctx, { action, user }) {
    const change = action === 'add' ? 'board-added' : 'board-removed';
    const { member: m } = await changeRoster({ store: ctx.deps.store, actor: ctx.actor, now: ctx.now, change, person: user });
    return publicReply(para(personSpan(personView(m)), action === 'add' ? ' is now on the board.' : ' is no longer on the board.'));
  },
});

export const members = defineCommand({
  group: 'coop',
  words: ['members'],
  params: [],
  args: z.object({}),
  access: 'board',
  summary: 'The member roster, with the board marked.',
  example: '/coop members',
  async run(ctx) {
    const roster = await ctx.deps.store.read((r) => r.members.list({ roster: true }));
    if (roster.length === 0) return privateReply(para('The roster is empty.'));
    return privateReply(
      heading(`Members (${roster.length})`),
      list(roster.map((m) => [personSpan(personView(m)), m.isBoard ? ' (board)' : ''])),
    );
  },
});
