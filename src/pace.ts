// How the bot paces itself: a turn of the event loop for long work, and the waits
// between attempts to reach a platform that is out of reach.

/** Lets timers, sockets and pending requests run before going on (a long pass yields with it). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits between attempts grow to at most this. */
export const BACKOFF_CAP_MS = 60_000;

/**
 * The wait before attempt `attempt` (1, 2, …): doubling from `baseMs`, capped at a minute,
 * spread ±20% so that copies of the bot (or many clients) do not retry in step.
 */
export function backoffMs(attempt: number, baseMs = 1000): number {
  const base = Math.min(BACKOFF_CAP_MS, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
