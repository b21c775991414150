// node-cron as a tick; the database holds what is due (ENVIRONMENT.md: node-cron keeps
// nothing and makes up for nothing). Each tick sweeps what has fallen due, so a tick
// missed while the bot was down is made up by the first one after it comes back.
import { schedule, type ScheduledTask } from 'node-cron';
import type { CoreDeps } from './commands/context.js';
import { closeDuePolls } from './usecases/close-poll.js';
import { runDueReckonings } from './usecases/run-reckoning.js';

/** One pass over timed work. Safe to run at any moment, any number of times. */
export async function sweep(deps: Pick<CoreDeps, 'store' | 'clock' | 'notifier' | 'logger' | 'settings'>): Promise<void> {
  await closeDuePolls(deps);
  await runDueReckonings(deps);
}

export function startTicker(deps: Pick<CoreDeps, 'store' | 'clock' | 'notifier' | 'logger' | 'settings'>): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return running; // never two sweeps at once
    running = sweep(deps)
      .catch((e: unknown) => deps.logger.error('timed work failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }))
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
