import type { CoreDeps } from '../commands/context.js';
import type { Audience } from '../ports.js';
import type { Reply } from '../reply/model.js';

/**
 * Sends a notification after the change it tells of has committed. A failure to send
 * is logged, not thrown: the change stands, and the person who made it is answered.
 */
export async function notifyAfterCommit(deps: Pick<CoreDeps, 'notifier' | 'logger'>, audience: Audience, message: Reply): Promise<void> {
  try {
    await deps.notifier.notify(audience, message);
  } catch (e) {
    deps.logger.error('notification failed', { audience: audience.kind, error: e instanceof Error ? e.message : String(e) });
  }
}
