// A poll that could not be shown where it was asked for (the bot is not in that channel):
// cancelled in one step, so that nothing is left open that nobody can see. A verification
// request waiting on it is withdrawn with it; the person is told why by their adapter.
import type { CoreDeps } from '../context.js';
import { systemEntry } from './audit.js';
import { cancelPollInTx } from './close-poll.js';

export interface UnshownPoll {
  pollId: number;
  cancelled: boolean;
  /** The service whose verification request was withdrawn with the poll. */
  withdrawnFor: number | null;
}

export async function cancelUnshownPoll(deps: Pick<CoreDeps, 'store' | 'clock'>, pollId: number, where: string): Promise<UnshownPoll> {
  const now = deps.clock.now();
  return deps.store.write(async (r) => {
    const audit = (action: string, subject: { type: string; id: string | number }, detail: Record<string, unknown>) => systemEntry(now, 'post-poll', action, subject, detail);
    const cancelled = await cancelPollInTx(r, pollId, now, audit, `the poll could not be posted in ${where}`);
    if (!cancelled) return { pollId, cancelled, withdrawnFor: null };
    const request = await r.requests.byPoll(pollId);
    if (request && request.status === 'open') {
      await r.requests.setStatus(request.id, 'withdrawn', now);
      await r.audit.record(audit('verification.withdrawn', { type: 'service', id: request.serviceName }, { target: request.targetLevel, pollId, because: 'poll not posted' }));
      return { pollId, cancelled, withdrawnFor: request.serviceId };
    }
    return { pollId, cancelled, withdrawnFor: null };
  });
}
