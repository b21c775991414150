// Web API calls that respect Slack's limits without ever posting twice. The client is
// built with no automatic retries: a call that timed out may have been delivered, so it
// is not repeated. A 429 means it was not delivered: we wait Retry-After and try again.
import type { Health } from '../../src/health.js';
import type { Logger } from '../../src/logger.js';
import type { Metrics } from '../../src/metrics.js';

const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_WAIT_MS = 60_000;

interface RateLimited {
  code: 'slack_webapi_rate_limited_error';
  retryAfter: number;
}

export function isRateLimited(e: unknown): e is RateLimited {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'slack_webapi_rate_limited_error';
}

/** Slack's answers that mean the bot's token no longer works. */
const REVOKED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

export async function callSlack<T>(
  what: string,
  call: () => Promise<T>,
  logger: Logger,
  opts: {
    sleep?: (ms: number) => Promise<unknown>;
    health?: Health;
    metrics?: Pick<Metrics, 'chatCall'>;
    /** Wait out a 429 and send the same call again (default); false: throw it, for a caller with newer content to send. */
    retryRateLimits?: boolean;
  } = {},
): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await call();
      opts.metrics?.chatCall('slack', what, 'ok');
      opts.health?.recovered('slack');
      return result;
    } catch (e) {
      const answer = (e as { data?: { error?: unknown } }).data?.error;
      opts.metrics?.chatCall('slack', what, isRateLimited(e) ? 'rate_limited' : typeof answer === 'string' ? answer : 'unreachable');
      if (typeof answer === 'string' && REVOKED.has(answer)) opts.health?.degraded('slack', `Slack refuses SLACK_BOT_TOKEN (${answer})`);
      if ((e as { code?: unknown }).code === 'slack_webapi_request_error') opts.health?.degraded('slack', `Slack cannot be reached (${e instanceof Error ? e.message : String(e)})`);
      if (isRateLimited(e) && opts.retryRateLimits !== false && attempt < MAX_RATE_LIMIT_RETRIES) {
        const wait = Math.min(MAX_WAIT_MS, Math.max(1, e.retryAfter) * 1000);
        logger.warn('slack rate limit: waiting before trying again', { call: what, waitMs: wait });
        await sleep(wait);
        continue;
      }
      throw e;
    }
  }
}
