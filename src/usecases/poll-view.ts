// Builds the platform-neutral view of a poll, hiding choices in secret ballots.
import { describeResult, tally } from '../domain/poll.js';
import type { MemberRecord, PollRecord, Repos, VoteRecord } from '../ports.js';
import { personView } from '../reply/format.js';
import type { PollView } from '../reply/model.js';

export function buildPollView(poll: PollRecord, votes: readonly VoteRecord[], voters: ReadonlyMap<number, MemberRecord>): PollView {
  const counts = poll.outcome ? new Map(Object.entries(poll.outcome.counts)) : tally(poll.options, votes.map((v) => v.option));
  const turnout = poll.outcome ? poll.outcome.turnout : votes.length;
  // A secret ballot shows its counts only once it has closed.
  const hidden = poll.secret && poll.status === 'open';
  return {
    id: poll.id,
    question: poll.question,
    kind: poll.kind,
    status: poll.status,
    closesAt: poll.closesAt,
    secret: poll.secret,
    turnout,
    electorate: poll.electorate,
    quorum: poll.quorum,
    outcome: poll.outcome ? describeOutcome(poll) : undefined,
    options: poll.options.map((label) => ({
      id: label,
      label,
      votes: hidden ? null : (counts.get(label) ?? 0),
      voters: poll.secret
        ? undefined
        : votes
            .filter((v) => v.option === label)
            .map((v) => voters.get(v.memberId))
            .filter((m): m is MemberRecord => m !== undefined)
            .map(personView),
    })),
  };
}

function describeOutcome(poll: PollRecord): string {
  if (!poll.outcome) return '';
  if (poll.outcome.reason === 'cancelled') return 'cancelled';
  return describeResult(poll.outcome.result);
}

/** Loads what the view needs. */
export async function loadPollView(r: Repos, pollId: number): Promise<PollView | null> {
  const poll = await r.polls.byId(pollId);
  if (!poll) return null;
  const [votes, electors, request] = await Promise.all([r.polls.votes(pollId), r.polls.electors(pollId), poll.kind === 'verification' ? r.requests.byPoll(pollId) : null]);
  const view = buildPollView(poll, votes, new Map(electors.map((m) => [m.id, m])));
  return request ? { ...view, requirements: request.requirements } : view;
}
