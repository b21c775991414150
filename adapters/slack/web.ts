// Web API calls that respect Slack's limits without ever posting twice. The client is
// built with no automatic retries: a call that timed out may have been delivered, so it
// is not repeated. A 429 means it was not delivered: we wait Retry-After and try again.
import type { Logger } from '../../src/logger.js';

const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_WAIT_MS = 60_000;

interface RateLimited {
  code: 'slack_webapi_rate_limited_error';
  retryAfter: number;
}

function isRateLimited(e: unknown): e is RateLimited {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'slack_webapi_rate_limited_error';
}

export async function callSlack<T>(what: string, call: () => Promise<T>, logger: Logger, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (isRateLimited(e) && attempt < MAX_RATE_LIMIT_RETRIES) {
        const wait = Math.min(MAX_WAIT_MS, Math.max(1, e.retryAfter) * 1000);
        logger.warn('slack rate limit: waiting before trying again', { call: what, waitMs: wait });
        await sleep(wait);
        continue;
      }
      throw e;
    }
  }
}
