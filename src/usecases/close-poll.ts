// Closing a poll (R5, R6): count, decide, apply, record, all in one transaction;
// announce after commit. Closing a poll that is no longer open changes nothing.
import type { CoreDeps } from '../context.js';
import { pollResult, tally, type CloseReason } from '../domain/poll.js';
import { nextLevel } from '../domain/service.js';
import type { AuditEntry, PollRecord, Repos } from '../ports.js';
import { para, publicReply, strong, type Block, type PollView } from '../reply/model.js';
import { loadPollView } from './poll-view.js';
import { pollChanged, sendClaimed, type ClaimedSend } from './notify.js';
import { watcherSends } from './watchers.js';
import { decideProposal } from './catalogue-proposal.js';

export interface PollClosed {
  /** The claimed key of its announcement. */
  key: string;
  poll: PollRecord;
  view: PollView;
  /** Sentences about what the result changed (a service's new level). */
  effects: string[];
  /** Direct messages claimed with the result (watchers of a service whose level changed). */
  sends: ClaimedSend[];
}

/** Inside a write transaction: closes `pollId` if open. `audit` makes the audit entry. */
export async function closePollInTx(
  r: Repos,
  pollId: number,
  reason: CloseReason,
  now: Date,
  audit: (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown>) => AuditEntry,
): Promise<PollClosed | null> {
  const poll = await r.polls.byId(pollId);
  if (!poll || poll.status !== 'open') return null;
  const votes = await r.polls.votes(pollId);
  const counts = tally(poll.options, votes.map((v) => v.option));
  const result = pollResult(poll.options, counts, poll.quorum);
  const outcome = { result, counts: Object.fromEntries(counts), turnout: votes.length, electorate: poll.electorate, reason };
  if (!(await r.polls.finish(pollId, { status: 'closed', closedAt: now, outcome }))) return null;
  if (poll.secret) await r.polls.eraseChoices(pollId);
  await r.audit.record(audit('poll.closed', { type: 'poll', id: pollId }, { reason, result, counts: outcome.counts, turnout: outcome.turnout }));

  const effects: string[] = [];
  const sends: ClaimedSend[] = [];
  const key = `poll-result:${pollId}`;
  const request = poll.kind === 'verification' ? await r.requests.byPoll(pollId) : null;
  if (request && request.status === 'open') {
    const service = await r.services.byName(request.serviceName);
    const stillApplies = service && service.level === request.fromLevel && nextLevel(service.level) === request.targetLevel;
    if (result.kind === 'passed' && service && stillApplies) {
      await r.services.update(service.id, { level: request.targetLevel, levelSince: now });
      await r.services.recordLevelChange(service.id, {
        from: service.level,
        to: request.targetLevel,
        at: now,
        reason: `verified by the co-op in poll #${pollId}`,
        pollId,
      });
      await r.requests.setStatus(request.id, 'approved', now);
      // Seed 000: special cases are agreements at the service level; the yes agreed the deviations it listed.
      for (const req of request.requirements.filter((x) => x.status === 'deviation')) {
        await r.assessments.agree(service.id, req.key, req.note, pollId);
      }
      await r.audit.record(audit('service.level-changed', { type: 'service', id: service.name }, { from: service.level, to: request.targetLevel, pollId }));
      effects.push(`${service.name} is now ${request.targetLevel}.`);
      sends.push(
        ...(await watcherSends(r, key, service.id, [], publicReply(para(`${service.name}, a service you watch, is now ${request.targetLevel} (was ${service.level}): verified by the co-op in poll #${pollId}.`)))),
      );
    } else if (result.kind === 'passed') {
      await r.requests.setStatus(request.id, 'cancelled', now);
      effects.push(`${request.serviceName} changed level while the poll was open, so the result was not applied; ask again.`);
    } else {
      await r.requests.setStatus(request.id, 'rejected', now);
      effects.push(`${request.serviceName} stays ${request.fromLevel}.`);
    }
  }
  if (poll.kind === 'requirements') {
    const decided = await decideProposal(r, pollId, result.kind === 'passed' ? 'passed' : 'rejected', audit);
    if (decided) effects.push(decided);
  }
  const view = await loadPollView(r, pollId);
  if (!view) throw new Error(`poll ${pollId} vanished`);
  await r.notifications.claim({ key, kind: 'poll-result', payload: JSON.stringify({ pollId, outcome: view.outcome }), at: now });
  return { key, poll, view, effects, sends };
}

const REASON_TEXT: Record<CloseReason, string> = {
  deadline: 'its deadline passed',
  'all-voted': 'every elector has voted',
  board: 'the board closed it',
};

/** Announces a closed poll where it was posted. */
export async function announceClosed(deps: Pick<CoreDeps, 'notifier' | 'logger' | 'store' | 'clock'>, closed: PollClosed, reason: CloseReason): Promise<void> {
  const blocks: Block[] = [
    para(`Poll #${closed.poll.id} has closed (${REASON_TEXT[reason]}): `, strong(closed.view.outcome ?? ''), '.'),
    ...closed.effects.map((e) => para(e)),
    { type: 'poll', poll: closed.view },
  ];
  const audience = closed.poll.kind === 'general'
    ? ({ kind: 'room', platform: closed.poll.originPlatform, room: closed.poll.originRoom } as const)
    : ({ kind: 'governance' } as const);
  await pollChanged(deps, closed.poll.id);
  await sendClaimed(deps, [{ key: closed.key, audience, message: publicReply(...blocks) }, ...closed.sends]);
}

/** Closes every open poll whose deadline has passed (run by the timer and at start). */
export async function closeDuePolls(deps: Pick<CoreDeps, 'store' | 'clock' | 'notifier' | 'logger'>): Promise<number[]> {
  const now = deps.clock.now();
  const due = await deps.store.read((r) => r.polls.dueForClosing(now));
  const closed: number[] = [];
  for (const id of due) {
    const result = await deps.store.write((r) =>
      closePollInTx(r, id, 'deadline', now, (action, subject, detail) => ({
        at: now, actor: 'system:scheduler', memberId: null, platform: 'system', action, subjectType: subject.type, subjectId: String(subject.id), detail,
      })),
    );
    if (result) {
      closed.push(id);
      deps.logger.info('poll closed at its deadline', { poll: id, outcome: result.view.outcome });
      await announceClosed(deps, result, 'deadline');
    }
  }
  return closed;
}

/** Inside a write transaction: cancels an open poll (nothing is decided). Returns false if it was not open. */
export async function cancelPollInTx(
  r: Repos,
  pollId: number,
  now: Date,
  audit: (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown>) => AuditEntry,
  because: string,
): Promise<boolean> {
  const poll = await r.polls.byId(pollId);
  if (!poll || poll.status !== 'open') return false;
  const votes = await r.polls.votes(pollId);
  const counts = tally(poll.options, votes.map((v) => v.option));
  const ended = await r.polls.finish(pollId, {
    status: 'cancelled',
    closedAt: now,
    outcome: {
      result: { kind: 'no-quorum', turnout: votes.length, quorum: poll.quorum },
      counts: Object.fromEntries(counts),
      turnout: votes.length,
      electorate: poll.electorate,
      reason: 'cancelled',
    },
  });
  if (!ended) return false;
  if (poll.secret) await r.polls.eraseChoices(pollId);
  await r.audit.record(audit('poll.cancelled', { type: 'poll', id: pollId }, { because }));
  return true;
}
