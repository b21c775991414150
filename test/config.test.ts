import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('file:./data/bot.db');
    expect(c.timezone).toBe('UTC');
    expect(c.poll).toEqual({ durationMs: 7 * 86_400_000, quorum: { minVotes: 3, share: 0.25 }, secret: false });
    expect(c.nudgeDays).toEqual([28, 14, 7, 1]);
    expect(c.slack).toBeNull();
    expect(c.matrix).toBeNull();
    expect(c.webHost).toBe('127.0.0.1'); // the pages are not exposed unless the sysadmin says so
    expect(c.logLevel).toBe('info');
    expect(c.publicUrl).toBeUndefined();
  });

  it('reads every setting', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_PORT: '3100',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      SLACK_GOVERNANCE_CHANNEL: 'C0123456',
      MATRIX_HOMESERVER_URL: 'https://matrix.example.org',
      MATRIX_ACCESS_TOKEN: 'syt_secret',
      MATRIX_ROOMS: '!a:example.org, #coop:example.org',
      MATRIX_PREFIX: '?',
      COOP_BOARD: 'slack:U123ABC, matrix:@a:example.org,console:alice',
      BOT_TIMEZONE: 'Europe/Berlin',
      POLL_DURATION: '36h',
      POLL_QUORUM: '5',
      POLL_SECRET: 'false',
      NUDGE_DAYS: '7,30,1',
      REQUIREMENTS_FILE: 'catalogues/iterations.json',
      WEB_PORT: '8081',
      WEB_HOST: '::',
      PUBLIC_URL: 'https://bot.example.coop/',
      LOG_LEVEL: 'debug',
    });
    expect(c.slack?.port).toBe(3100);
    expect(c.matrix?.rooms).toEqual(['!a:example.org', '#coop:example.org']);
    expect(c.matrix?.governanceRoom).toBe('!a:example.org');
    expect(c.board.map((b) => b.platform)).toEqual(['slack', 'matrix', 'console']);
    expect(c.poll).toEqual({ durationMs: 36 * 3_600_000, quorum: { minVotes: 5, share: 0 }, secret: false });
    expect(c.nudgeDays).toEqual([30, 7, 1]);
    expect(c.webPort).toBe(8081);
    expect(c.webHost).toBe('::');
    expect(c.publicUrl).toBe('https://bot.example.coop');
    expect(c.logLevel).toBe('debug');
    expect(describeConfig(c)).not.toMatch(/xoxb|syt_secret|abcdef0123456789/);
  });

  it.each([
    [{ SLACK_PORT: 'eighty' }, /^SLACK_PORT: expected a TCP port/],
    [{ BOT_TIMEZONE: 'Mars/Olympus' }, /^BOT_TIMEZONE: expected an IANA time zone/],
    [{ POLL_DURATION: '7 days' }, /^POLL_DURATION: expected a duration such as 7d/],
    [{ POLL_QUORUM: 'lots' }, /^POLL_QUORUM: expected a number of votes/],
    [{ POLL_SECRET: 'maybe' }, /^POLL_SECRET: expected true or false/],
    [{ NUDGE_DAYS: '28,-1' }, /^NUDGE_DAYS: expected days before the AGM/],
    [{ COOP_BOARD: 'alice' }, /^COOP_BOARD: expected people as slack:U123/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a SQLite file URL/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /^SLACK_BOT_TOKEN: expected a Slack bot token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET: expected the signing secret/],
    [{ MATRIX_HOMESERVER_URL: 'https://m.example.org' }, /^MATRIX_ACCESS_TOKEN: expected with MATRIX_HOMESERVER_URL/],
    [{ WEB_HOST: 'everywhere' }, /^WEB_HOST: expected an IP address to listen on, such as 127.0.0.1/],
    [{ PUBLIC_URL: 'bot.example.coop' }, /^PUBLIC_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: expected one of debug, info, warn, error, silent/],
    [{ POLL_QORUM: '3' }, /^POLL_QORUM: not a setting of this bot; did you mean POLL_QUORUM\?/],
    [{ SLACK_BOT_TOKNE: 'xoxb-1' }, /^SLACK_BOT_TOKNE: not a setting of this bot; did you mean SLACK_BOT_TOKEN\?/],
  ])('stops on %j naming the variable', (env, message) => {
    expect(problems(env)[0]).toMatch(message);
  });

  it('only warns of variables that share a prefix but are not near any setting (hosting platforms set them)', () => {
    const config = loadConfig({ WEB_CONCURRENCY: '4', SLACK_CLIENT_ID: '123.456', BOT_NAME: 'x' });
    expect(config.warnings).toEqual([
      'WEB_CONCURRENCY is not a setting of this bot and is ignored',
      'SLACK_CLIENT_ID is not a setting of this bot and is ignored',
      'BOT_NAME is not a setting of this bot and is ignored',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', POLL_DURATION: ' ' }).slack).toBeNull();
  });
});
