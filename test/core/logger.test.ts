// Logs: JSON lines for machines, readable lines at a terminal, LOG_LEVEL, and credentials
// redacted by field name wherever they sit.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { tempDir } from '../helpers/tmp.js';

function sink(isTTY: boolean): { out: PassThrough & { isTTY?: boolean }; text: () => string } {
  const out: PassThrough & { isTTY?: boolean } = new PassThrough();
  out.isTTY = isTTY;
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { out, text: () => text };
}

describe('the logger', () => {
  it('writes one JSON object a line, without the levels below LOG_LEVEL, and never a credential', () => {
    const { out, text } = sink(false);
    const log = createLogger({ level: 'info', out });
    log.debug('not shown');
    log.info('starting', { settings: { slack: { botToken: 'xoxb-123-secret', port: 3000 } }, token: 'syt_secret', request: { headers: { authorization: 'Bearer abc' } } });
    log.error('failed', { error: { code: 'ECONNREFUSED' } });
    const lines = text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['info', 'starting'], ['error', 'failed']]);
    expect(text()).not.toMatch(/xoxb-123|syt_secret|Bearer abc/);
    expect(lines[0]).toMatchObject({ settings: { slack: { botToken: '[redacted]', port: 3000 } }, token: '[redacted]', request: { headers: { authorization: '[redacted]' } } });
    expect(lines[1]).toMatchObject({ error: { code: 'ECONNREFUSED' } });
  });

  it('writes readable lines at a terminal, and to a file (only its owner may read) with warnings still on the terminal', () => {
    const { out, text } = sink(true);
    const file = path.join(tempDir(), 'logs', 'bot.log');
    const log = createLogger({ level: 'debug', out, file });
    log.info('listening', { port: 3000 });
    log.warn('slow', { appToken: 'xapp-1-secret' });
    expect(text()).toMatch(/^\d\d:\d\d:\d\d warn  slow appToken=\[redacted\]\n$/);
    const logged = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(logged.map((l) => l.msg)).toEqual(['listening', 'slow']);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});
