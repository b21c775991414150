import type { CoreDeps } from '../context.js';

/** What the timed jobs need: no command context, just the ports. */
export type JobDeps = Pick<CoreDeps, 'store' | 'clock' | 'notifier' | 'logger' | 'metrics' | 'settings' | 'copy'>;
