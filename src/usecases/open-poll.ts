// Opening a poll (R6): the electorate is the member roster at this moment.
import type { Quorum } from '../config.js';
import { quorumFor, type PollKind } from '../domain/poll.js';
import type { PollRecord, Repos } from '../ports.js';

export interface NewPoll {
  kind: PollKind;
  question: string;
  options: string[];
  createdBy: number;
  now: Date;
  durationMs: number;
  secret: boolean;
  quorum: Quorum;
  originPlatform: string;
  originRoom: string | null;
}

/** Inside a write transaction. */
export async function openPollInTx(r: Repos, p: NewPoll): Promise<PollRecord> {
  const roster = await r.members.list({ roster: true });
  return r.polls.create({
    kind: p.kind,
    question: p.question,
    options: p.options,
    createdBy: p.createdBy,
    createdAt: p.now,
    closesAt: new Date(p.now.getTime() + p.durationMs),
    secret: p.secret,
    quorum: quorumFor(roster.length, p.quorum),
    originPlatform: p.originPlatform,
    originRoom: p.originRoom,
    electorIds: roster.map((m) => m.id),
  });
}
