// The Slack front door's thread (see front-door.ts): an HTTP server that checks each
// request's signature, answers Slack at once, and hands the request to the bot's thread.
// It runs nothing of the bot, so an answer never waits for the work of the commands
// before it. Only what a signed request carries crosses to the bot's thread.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request.js';
import { FRONT_DOOR, frontDoorData, type FromDoor, type ToDoor } from './front-door-protocol.js';

const data = frontDoorData.parse(workerData);
const port = parentPort;
if (!port) throw new Error('front-door-worker runs as a worker thread');
const counts = new Int32Array(data.counts);
const send = (m: FromDoor) => port.postMessage(m);

/** Slack's requests are small; Bolt's own receiver takes at most this much. */
const BODY_LIMIT = 4 * 1024 * 1024;
const BUSY = JSON.stringify({
  response_type: 'ephemeral',
  text: 'The bot has more requests in hand than it can answer quickly just now, so this one was not taken. Please try again in a minute.',
});

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The body as Bolt reads it: form fields (with `payload` as JSON) or JSON. */
function parse(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.startsWith('application/x-www-form-urlencoded')) {
    const fields = Object.fromEntries(new URLSearchParams(raw));
    return typeof fields.payload === 'string' ? (JSON.parse(fields.payload) as Record<string, unknown>) : fields;
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

function answer(res: ServerResponse, status: number, body = '', type = 'text/plain'): void {
  res.writeHead(status, body ? { 'content-type': type } : {}).end(body);
}

function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
  if (new URL(req.url ?? '/', 'http://x').pathname !== data.path || req.method !== 'POST') return answer(res, 404);
  const type = header(req, 'content-type');
  // Slack's SSL check carries no signature and asks for nothing but a 200.
  if (type?.startsWith('application/x-www-form-urlencoded') && new URLSearchParams(raw).get('ssl_check') === '1') return answer(res, 200);
  const signature = header(req, 'x-slack-signature');
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
  if (!signature || !Number.isInteger(timestamp) || !isValidSlackRequest({ signingSecret: data.signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })) {
    send({ type: 'log', level: 'warn', message: 'slack: a request without a valid signature was refused (401)' });
    return answer(res, 401);
  }
  let body: Record<string, unknown>;
  try {
    body = parse(raw, type);
  } catch {
    return answer(res, 400);
  }
  if (body.type === 'url_verification') return answer(res, 200, JSON.stringify({ challenge: body.challenge }), 'application/json');
  // Too much in hand: a command is told so at once; anything else is refused, and Slack
  // retries events (a click shows its error to the person, who can click again).
  if (Atomics.load(counts, FRONT_DOOR.accepted) - Atomics.load(counts, FRONT_DOOR.finished) >= data.maxPending) {
    send({ type: 'log', level: 'warn', message: `slack: ${data.maxPending} requests in hand; one was turned away` });
    return typeof body.command === 'string' ? answer(res, 200, BUSY, 'application/json') : answer(res, 503);
  }
  // Counted before the answer leaves, so the bot's thread knows it has something coming.
  Atomics.add(counts, FRONT_DOOR.accepted, 1);
  const retryNum = Number(header(req, 'x-slack-retry-num'));
  send({ type: 'event', body, ...(Number.isInteger(retryNum) ? { retryNum } : {}), ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason') } : {}) });
  answer(res, 200);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > BODY_LIMIT) {
      answer(res, 413);
      req.destroy();
    } else chunks.push(c);
  });
  req.on('end', () => {
    if (size <= BODY_LIMIT) handle(req, res, Buffer.concat(chunks).toString('utf8'));
  });
});
server.keepAliveTimeout = 65_000; // longer than a proxy's idle timeout in front of it
server.on('error', (e: NodeJS.ErrnoException) => send({ type: 'failed', code: e.code ?? 'unknown', message: e.message }));
server.listen(data.port, () => {
  const address = server.address();
  send({ type: 'listening', port: typeof address === 'object' && address ? address.port : data.port });
});
port.on('message', (m: ToDoor) => {
  if (m.type === 'close') {
    server.close(() => send({ type: 'closed' }));
    server.closeIdleConnections();
  }
});
