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
