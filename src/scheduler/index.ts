// The scheduler: node-cron is only the tick; due times and "sent" records live in the
// database (ENVIRONMENT.md: node-cron keeps nothing, makes up for nothing, and fires
// in every replica). Each tick sweeps whatever has fallen due, so work missed while
// the bot was down is done at the first tick after it comes back, once.
import { schedule, type ScheduledTask } from 'node-cron';
import { closeDuePolls } from '../usecases/close-poll.js';
import { runDueReckonings } from '../usecases/run-reckoning.js';
import { pruneAttempts } from '../usecases/limits.js';
import { nextTurn } from '../pace.js';
import { COPY_GONE_AFTER_MS } from '../copies.js';
import { checkAgmScheduled } from './check-agm.js';
import type { JobDeps } from './deps.js';
import { nudgeUpdates } from './nudge-updates.js';
import { postAgendas } from './post-agenda.js';
import { remindDeficiencies } from './remind-deficiencies.js';
import { remindElectors } from './remind-electors.js';

export type { JobDeps } from './deps.js';

/** A notification claimed this long ago and never confirmed was cut off by a crash. */
export const UNCONFIRMED_AFTER_MS = 60_000;

/** This copy is alive: a heartbeat in the database, which the other copies read. */
export async function beat(deps: JobDeps): Promise<number> {
  const copy = deps.copy;
  if (!copy) return 0;
  await deps.store.write((r) => r.copies.beat(copy, deps.clock.now()));
  return 1;
}

/**
 * Claims that were never confirmed: the copy that claimed them died between claiming
 * and sending. A claim of a copy still beating is in flight (a long batch), not dead.
 */
export async function abandonUnconfirmed(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  return deps.store.write(async (r) => {
    const alive = await r.copies.seenSince(new Date(now.getTime() - COPY_GONE_AFTER_MS));
    if (deps.copy) alive.add(deps.copy.name);
    const stale = (await r.notifications.unconfirmed(new Date(now.getTime() - UNCONFIRMED_AFTER_MS))).filter((n) => n.claimedBy === null || !alive.has(n.claimedBy));
    for (const n of stale) {
      await r.notifications.abandon(n.key, now);
      deps.metrics.notification('abandoned');
      deps.logger.warn('notification claimed but not confirmed before its copy stopped; not sent again (at most once)', {
        key: n.key,
        kind: n.kind,
        claimedAt: n.claimedAt.toISOString(),
        claimedBy: n.claimedBy,
      });
    }
    return stale.length;
  });
}

const JOBS: [string, (deps: JobDeps) => Promise<number | number[]>][] = [
  ['heartbeat', beat],
  ['close-polls', closeDuePolls],
  ['reckoning', runDueReckonings],
  ['remind-electors', remindElectors],
  ['post-agenda', postAgendas],
  ['nudge-updates', nudgeUpdates],
  ['remind-deficiencies', remindDeficiencies],
  ['check-agm', checkAgmScheduled],
  ['abandon-unconfirmed', abandonUnconfirmed],
  ['prune-attempts', pruneAttempts],
];

/** One pass over all timed work. Safe at any moment, any number of times, in any replica. */
export async function sweep(deps: JobDeps): Promise<Record<string, number | string>> {
  const started = Date.now();
  const did: Record<string, number | string> = {};
  for (const [name, job] of JOBS) {
    const jobStarted = performance.now();
    try {
      const result = await job(deps);
      deps.metrics.job(name, (performance.now() - jobStarted) / 1000, true);
      did[name] = Array.isArray(result) ? result.length : result;
      if (Array.isArray(result) && result.length > 0) deps.logger.info('job ran', { job: name, items: result });
    } catch (e) {
      did[name] = 'failed';
      deps.metrics.job(name, (performance.now() - jobStarted) / 1000, false);
      deps.logger.error('job failed', { job: name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
    await nextTurn(); // between jobs, the rest of the bot gets a turn
  }
  // Every run is recorded, with what each job did (counts of items or notifications).
  deps.logger.info('timed work', { ...did, ms: Date.now() - started });
  return did;
}

export function startScheduler(deps: JobDeps): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= sweep(deps)
      .then(() => undefined)
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task: ScheduledTask = schedule('* * * * *', tick, { name: 'sweep', noOverlap: true });
  return {
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
