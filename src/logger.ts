// The logger port and its one implementation, pino: JSON lines for machines (a log
// shipper, journald), readable lines when a person watches a terminal, and every field
// that could hold a credential redacted by path, so no future log line can leak one.
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Level, type StreamEntry } from 'pino';

/** A logger port; the core logs facts with fields, never tokens or secrets. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Field names that hold credentials, wherever they appear (to three levels deep). */
const SECRET_FIELDS = ['token', 'botToken', 'appToken', 'accessToken', 'access_token', 'signingSecret', 'secret', 'password', 'authorization', 'cookie'];
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const silent = () => {};
export const silentLogger: Logger = { debug: silent, info: silent, warn: silent, error: silent };

/** Renders pino's JSON lines as `HH:MM:SS level message key=value …` for a person at a terminal. */
export function readableLines(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const raw of chunk.toString('utf8').split('\n')) {
        if (raw === '') continue;
        try {
          const { time, level, msg, pid: _pid, hostname: _host, ...fields } = JSON.parse(raw) as Record<string, unknown>;
          const at = new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 19);
          const rest = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' && !/[\s"=]/.test(v) ? v : JSON.stringify(v)}`);
          out.write(`${at} ${String(level).padEnd(5)} ${String(msg)}${rest.length > 0 ? ` ${rest.join(' ')}` : ''}\n`);
        } catch {
          out.write(`${raw}\n`);
        }
      }
      done();
    },
  });
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go (default stderr, so that stdout stays the console's). JSON unless it is a terminal. */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * A file to take every line instead (a person typing at the console should not have log
   * lines land in their typing); warnings and errors still reach `out`.
   */
  file?: string;
}

export function createLogger(o: LoggerOptions): Logger {
  const out = o.out ?? process.stderr;
  const terminal: DestinationStream = out.isTTY === true ? readableLines(out) : o.out ? out : pino.destination({ fd: 2, sync: true });
  const streams: StreamEntry<Level>[] = o.file
    ? [
        { level: 'debug', stream: pino.destination({ dest: o.file, sync: true, mkdir: true, mode: 0o600 }) },
        { level: 'warn', stream: terminal },
      ]
    : [{ level: 'debug', stream: terminal }];
  const log = pino(
    {
      level: o.level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields) log[level](fields, message);
      else log[level](message);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
