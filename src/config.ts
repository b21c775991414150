// Every setting of the bot, parsed once from the environment. A bad value stops
// the start with the variable's name and what it expects.
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { identityKey, parseIdentity, type IdentityRef } from './domain/identity.js';

const optionalText = z.string().trim().min(1).optional();

const port = z.coerce
  .number({ error: 'a TCP port number (1–65535)' })
  .int('a whole TCP port number (1–65535)')
  .min(1, 'a TCP port number (1–65535)')
  .max(65535, 'a TCP port number (1–65535)');

const url = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

const timezone = z
  .string()
  .default('UTC')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as UTC or Europe/London');

const duration = z
  .string()
  .default('7d')
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'a duration such as 7d, 36h, 90m or 2w' });
      return z.NEVER;
    }
    return ms;
  });

export interface Quorum {
  /** At least this many votes… */
  minVotes: number;
  /** …or this share of the electorate (0–1), whichever is higher, never more than the electorate. */
  share: number;
}

const quorum = z
  .string()
  .default('3,25%')
  .transform((v, ctx): Quorum => {
    const q: Quorum = { minVotes: 0, share: 0 };
    for (const part of v.split(',').map((p) => p.trim())) {
      const pct = /^(\d{1,3})%$/.exec(part);
      if (pct?.[1] && Number(pct[1]) <= 100) q.share = Number(pct[1]) / 100;
      else if (/^\d{1,6}$/.test(part)) q.minVotes = Number(part);
      else {
        ctx.addIssue({ code: 'custom', message: 'a number of votes (3), a share of the electorate (25%), or both (3,25%)' });
        return z.NEVER;
      }
    }
    return q;
  });

const nudgeDays = z
  .string()
  .default('28,14,7,1')
  .transform((v, ctx) => {
    const days = v.split(',').map((d) => d.trim());
    if (!days.every((d) => /^\d{1,3}$/.test(d) && Number(d) > 0)) {
      ctx.addIssue({ code: 'custom', message: 'days before the AGM, comma-separated, such as 28,14,7,1' });
      return z.NEVER;
    }
    return [...new Set(days.map(Number))].sort((a, b) => b - a);
  });

const board = z
  .string()
  .default('')
  .transform((v, ctx): IdentityRef[] => {
    const out: IdentityRef[] = [];
    for (const item of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const ref = parseIdentity(item);
      if (!ref) {
        ctx.addIssue({ code: 'custom', message: `people as slack:U123, matrix:@alice:example.org or console:alice, comma-separated ("${item}" is none of these)` });
        return z.NEVER;
      }
      if (!out.some((r) => identityKey(r) === identityKey(ref))) out.push(ref);
    }
    return out;
  });

const rooms = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (!list.every((r) => /^[!#][^:\s]+:\S+$/.test(r))) {
      ctx.addIssue({ code: 'custom', message: 'Matrix room ids or aliases such as !abc:example.org or #coop:example.org, comma-separated' });
      return z.NEVER;
    }
    return list;
  });

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('file:./data/bot.db')
    .refine(
      (v) => /^file:.+/.test(v) || /^postgres(ql)?:\/\/[^/]+\/[^/?]+/i.test(v),
      'a SQLite file URL such as file:./data/bot.db, or a PostgreSQL URL such as postgresql://user:password@host:5432/dbname (postgres:// works too)',
    ),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-[\w-]+$/, 'a Slack bot token starting with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[a-f0-9]{16,}$/i, 'the Slack app\'s signing secret (hexadecimal)').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-[\w-]+$/, 'a Slack app-level token starting with xapp-').optional(),
  SLACK_PORT: port.default(3000),
  SLACK_API_URL: url.optional(),
  SLACK_GOVERNANCE_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{2,20}$/, 'a Slack channel id such as C0123456789').optional(),
  MATRIX_HOMESERVER_URL: url.optional(),
  MATRIX_ACCESS_TOKEN: optionalText,
  MATRIX_ROOMS: rooms,
  MATRIX_GOVERNANCE_ROOM: z.string().regex(/^[!#][^:\s]+:\S+$/, 'a Matrix room id or alias such as !abc:example.org').optional(),
  MATRIX_PREFIX: z.string().regex(/^[^\s\w]{1,3}$/, 'one to three punctuation characters, such as !').default('!'),
  COOP_BOARD: board,
  BOT_TIMEZONE: timezone,
  POLL_DURATION: duration,
  POLL_QUORUM: quorum,
  POLL_SECRET: z.stringbool({ error: 'true or false' }).default(false),
  NUDGE_DAYS: nudgeDays,
  REQUIREMENTS_FILE: z.string().min(1).default('catalogues/coop-default.json'),
  WEB_PORT: port.optional(),
  WEB_HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')], { error: 'an IP address to listen on, such as 127.0.0.1 (the default), :: or 0.0.0.0' }).default('127.0.0.1'),
  PUBLIC_URL: url.transform((u) => u.replace(/\/+$/, '')).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'one of debug, info, warn, error, silent' }).default('info'),
  BOT_CONSOLE: z.stringbool({ error: 'true or false' }).default(false),
  LIMIT_COMMANDS_PER_MINUTE: z.coerce.number({ error: 'a whole number from 1 to 10000' }).int().min(1).max(10_000).default(30),
  LIMIT_OPEN_POLLS: z.coerce.number({ error: 'a whole number from 1 to 1000' }).int().min(1).max(1000).default(3),
  LIMIT_REPORTS_PER_DAY: z.coerce.number({ error: 'a whole number from 1 to 10000' }).int().min(1).max(10_000).default(10),
});

const KNOWN = new Set(Object.keys(envSchema.shape));
const OUR_PREFIXES = /^(SLACK|MATRIX|COOP|BOT|POLL|NUDGE|REQUIREMENTS|WEB|LIMIT|PUBLIC|LOG)_/;

export interface Config {
  databaseUrl: string;
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    port: number;
    apiUrl?: string;
    governanceChannel?: string;
  } | null;
  matrix: {
    homeserverUrl: string;
    accessToken: string;
    rooms: string[];
    governanceRoom?: string;
    prefix: string;
  } | null;
  board: IdentityRef[];
  timezone: string;
  poll: { durationMs: number; quorum: Quorum; secret: boolean };
  nudgeDays: number[];
  /** What one person may start; the board may do four times as much. */
  limits: Limits;
  requirementsFile: string;
  /** Serve the read-only web pages on this port (off when unset). */
  webPort?: number;
  /** The address the web server binds (127.0.0.1 unless set). */
  webHost: string;
  /** Where members reach the web pages (https://bot.example.coop), for absolute links and badge snippets. */
  publicUrl?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Run the console too when a chat platform is configured. */
  console: boolean;
  /** Things worth a warning at start that do not stop it (an unknown variable sharing our prefix). */
  warnings: string[];
}

/** Edits (insert, delete, change, swap) between two names. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** One of our settings that `key` looks like a misspelling of (two edits or fewer). */
function closestSetting(key: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of KNOWN) {
    const d = distance(key, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

export interface Limits {
  commandsPerMinute: number;
  /** Open general polls one member may have started. */
  openPolls: number;
  /** Deficiencies one member may report in a day. */
  reportsPerDay: number;
}

/** The board runs the co-op: higher limits, but never none. */
export const BOARD_FACTOR = 4;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot cannot start: its settings are not valid.\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the settings from `env` (a parameter, so tests can build any configuration). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable counts as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(present)) {
    if (OUR_PREFIXES.test(key) && !KNOWN.has(key)) {
      // A misspelling of one of ours stops the start; a variable of a hosting platform or
      // another app that only shares a prefix (WEB_CONCURRENCY, SLACK_CLIENT_ID) does not.
      const near = closestSetting(key);
      if (near) problems.push(`${key}: not a setting of this bot; did you mean ${near}? (see .env.example)`);
      else warnings.push(`${key} is not a setting of this bot and is ignored`);
    }
  }
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${String(issue.path[0])}: expected ${issue.message.replace(/^Invalid input: expected /, '')}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const needs = (cond: boolean, message: string) => {
    if (cond) problems.push(message);
  };
  needs(!!(e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) && !e.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN: expected a Slack bot token (xoxb-…) when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  needs(!!e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN, 'SLACK_SIGNING_SECRET: expected the signing secret (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) with SLACK_BOT_TOKEN');
  needs(!!e.MATRIX_HOMESERVER_URL !== !!e.MATRIX_ACCESS_TOKEN, `${e.MATRIX_HOMESERVER_URL ? 'MATRIX_ACCESS_TOKEN' : 'MATRIX_HOMESERVER_URL'}: expected with ${e.MATRIX_HOMESERVER_URL ? 'MATRIX_HOMESERVER_URL' : 'MATRIX_ACCESS_TOKEN'} (both or neither)`);
  needs(!!e.MATRIX_ACCESS_TOKEN && e.MATRIX_ROOMS.length === 0, 'MATRIX_ROOMS: expected at least one room for the bot to work in');
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    databaseUrl: e.DATABASE_URL,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          port: e.SLACK_PORT,
          apiUrl: e.SLACK_API_URL,
          governanceChannel: e.SLACK_GOVERNANCE_CHANNEL,
        }
      : null,
    matrix:
      e.MATRIX_HOMESERVER_URL && e.MATRIX_ACCESS_TOKEN
        ? {
            homeserverUrl: e.MATRIX_HOMESERVER_URL,
            accessToken: e.MATRIX_ACCESS_TOKEN,
            rooms: e.MATRIX_ROOMS,
            governanceRoom: e.MATRIX_GOVERNANCE_ROOM ?? e.MATRIX_ROOMS[0],
            prefix: e.MATRIX_PREFIX,
          }
        : null,
    board: e.COOP_BOARD,
    timezone: e.BOT_TIMEZONE,
    poll: { durationMs: e.POLL_DURATION, quorum: e.POLL_QUORUM, secret: e.POLL_SECRET },
    nudgeDays: e.NUDGE_DAYS,
    limits: { commandsPerMinute: e.LIMIT_COMMANDS_PER_MINUTE, openPolls: e.LIMIT_OPEN_POLLS, reportsPerDay: e.LIMIT_REPORTS_PER_DAY },
    requirementsFile: e.REQUIREMENTS_FILE,
    webPort: e.WEB_PORT,
    webHost: e.WEB_HOST,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    console: e.BOT_CONSOLE,
    warnings,
  };
}

/** The settings as they may be logged: secrets replaced. */
/** DATABASE_URL as it may be shown: a PostgreSQL password replaced. */
export function redactedDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1(redacted)@');
}

export function describeConfig(c: Config): string {
  const lines = [
    `database: ${redactedDatabaseUrl(c.databaseUrl)}`,
    `slack: ${c.slack ? `on (${c.slack.appToken ? 'Socket Mode' : `HTTP on port ${c.slack.port}`}, tokens redacted)` : 'off'}`,
    `matrix: ${c.matrix ? `on (${c.matrix.homeserverUrl}, rooms ${c.matrix.rooms.join(', ')}, token redacted)` : 'off'}`,
    `time zone: ${c.timezone}`,
    `requirements: ${c.requirementsFile}`,
  ];
  return lines.join('\n');
}
