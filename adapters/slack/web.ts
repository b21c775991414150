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
      const answer = slackError(e);
      opts.metrics?.chatCall('slack', what, isRateLimited(e) ? 'rate_limited' : (answer ?? 'unreachable'));
      if (answer !== null && REVOKED.has(answer)) opts.health?.degraded('slack', `Slack refuses SLACK_BOT_TOKEN (${answer})`);
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

/** Slack's error code in a failed call (`not_in_channel`), if it answered with one. */
export function slackError(e: unknown): string | null {
  const data = (e as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : null;
}

/** What Slack answered, without anything secret: its error code, or the error's first line. */
export function slackAnswer(e: unknown): string {
  const answered = slackError(e);
  if (answered !== null) return answered;
  // No answer at all: the network's reason (ECONNREFUSED, ENOTFOUND, ETIMEDOUT), under fetch's.
  const original = (e as { original?: { code?: unknown; cause?: { code?: unknown } } }).original;
  const network = original?.cause?.code ?? original?.code;
  if (typeof network === 'string') return network;
  const status = (e as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return `HTTP ${status}`;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
