import type { CoreDeps } from '../context.js';
import { nextTurn } from '../pace.js';
import type { Audience } from '../ports.js';
import type { Reply } from '../reply/model.js';

/**
 * Sends a notification after the change it tells of has committed. A failure to send
 * is logged, not thrown: the change stands, and the person who made it is answered.
 */
export async function notifyAfterCommit(deps: Pick<CoreDeps, 'notifier' | 'logger'> & Partial<Pick<CoreDeps, 'metrics'>>, audience: Audience, message: Reply): Promise<void> {
  try {
    await deps.notifier.notify(audience, message);
    deps.metrics?.notification('sent');
  } catch (e) {
    deps.metrics?.notification('failed');
    deps.logger.error('notification failed', { audience: audience.kind, error: e instanceof Error ? e.message : String(e) });
  }
}

export interface ClaimedSend {
  /** The idempotency key claimed in the deciding transaction (or keys: one message for several claims). */
  key: string | readonly string[];
  audience: Audience;
  message: Reply;
}

/**
 * Sends notifications whose keys were claimed, then records them as sent. If the
 * process dies in between, the claim stays unconfirmed and is abandoned later: a
 * notification goes out at most once (see README, "Timed work").
 */
export async function sendClaimed(deps: Pick<CoreDeps, 'notifier' | 'logger' | 'store' | 'clock'>, sends: readonly ClaimedSend[]): Promise<void> {
  const BATCH = 50;
  for (let i = 0; i < sends.length; i += BATCH) {
    const batch = sends.slice(i, i + BATCH);
    for (const s of batch) await notifyAfterCommit(deps, s.audience, s.message);
    const keys = [...new Set(batch.flatMap((s) => (typeof s.key === 'string' ? [s.key] : s.key)))];
    await deps.store.write((r) => r.notifications.markSent(keys, deps.clock.now()));
    // A thousand nudges never hold the event loop: chat acks and web requests go between batches.
    await nextTurn();
  }
}

export function audienceLabel(a: Audience): string {
  return a.kind === 'person' ? `member:${a.memberId}` : a.kind === 'room' ? `room:${a.platform}:${a.room ?? ''}` : 'governance';
}

/** Tells the adapters that a poll changed; failures are logged, never thrown. */
export async function pollChanged(deps: Pick<CoreDeps, 'notifier' | 'logger'>, pollId: number): Promise<void> {
  try {
    await deps.notifier.pollChanged?.(pollId);
  } catch (e) {
    deps.logger.error('poll update failed', { pollId, error: e instanceof Error ? e.message : String(e) });
  }
}
