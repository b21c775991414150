import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** A logger port; never give it tokens or secrets. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function line(level: string, message: string, fields?: Record<string, unknown>): string {
  const extra = fields ? ` ${JSON.stringify(fields)}` : '';
  return `${new Date().toISOString()} ${level} ${message}${extra}`;
}

/** Logs to stderr, so that stdout stays the console adapter's. */
export const stderrLogger: Logger = {
  info: (m, f) => process.stderr.write(`${line('info', m, f)}\n`),
  warn: (m, f) => process.stderr.write(`${line('warn', m, f)}\n`),
  error: (m, f) => process.stderr.write(`${line('error', m, f)}\n`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * For a person typing at the console: information goes to a file, so that it does not
 * land in the middle of their typing; warnings and errors still show.
 */
export function fileLogger(file: string, loud: Logger = stderrLogger): Logger {
  mkdirSync(path.dirname(file), { recursive: true });
  const append = (level: string, m: string, f?: Record<string, unknown>) => appendFileSync(file, `${line(level, m, f)}\n`);
  return {
    info: (m, f) => append('info', m, f),
    warn: (m, f) => {
      append('warn', m, f);
      loud.warn(m, f);
    },
    error: (m, f) => {
      append('error', m, f);
      loud.error(m, f);
    },
  };
}
