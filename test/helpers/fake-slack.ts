// A local stand-in for Slack: its Web API (recording every call) and response_url
// endpoints, plus a signer for the requests Slack would send to the bot.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

export class FakeSlack {
  calls: SlackCall[] = [];
  responses: { id: string; body: Record<string, unknown> }[] = [];
  /** Files uploaded through files.uploadV2, by file id. */
  uploads = new Map<string, string>();
  /** Methods that answer 429 the next n times. */
  rateLimit = new Map<string, number>();
  /** When set, every Web API call answers this error (a revoked token: token_revoked). */
  refuseAll: string | null = null;
  /** Methods that answer HTTP 503 the next n times (Slack's servers failing). */
  unavailable = new Map<string, number>();
  /** Where apps.connections.open sends Socket Mode clients. */
  socketUrl = '';
  /** Display names users.info answers, by user id. */
  names = new Map<string, string>();
  /** Channels the bot is not in: posting answers not_in_channel. */
  notIn = new Set<string>();
  /** response_url ids that answer 404 (expired). */
  expired = new Set<string>();
  #server: Server | undefined;
  #ts = 1_700_000_000;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const url = req.url ?? '';
        const args = parseBody(raw, req.headers['content-type'] ?? '');
        if (url.startsWith('/upload/')) {
          this.uploads.set(url.slice('/upload/'.length), raw);
          res.writeHead(200).end('OK');
          return;
        }
        if (url.startsWith('/response/')) {
          const id = url.slice('/response/'.length);
          if (this.expired.has(id)) {
            res.writeHead(404).end('expired_url');
            return;
          }
          this.responses.push({ id, body: args });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          return;
        }
        const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
        const down = this.unavailable.get(method) ?? 0;
        if (down > 0) {
          this.unavailable.set(method, down - 1);
          this.calls.push({ method: `${method} (503)`, args });
          res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
          return;
        }
        const limited = this.rateLimit.get(method) ?? 0;
        if (limited > 0) {
          this.rateLimit.set(method, limited - 1);
          this.calls.push({ method: `${method} (429)`, args });
          res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
          return;
        }
        this.calls.push({ method, args });
        if (this.refuseAll) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: this.refuseAll }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(method, args)));
      });
    });
    await new Promise<void>((r) => this.#server?.listen(port, '127.0.0.1', r));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'maturity' };
      case 'chat.postMessage':
        if (this.notIn.has(String(args.channel))) return { ok: false, error: 'not_in_channel' };
        return { ok: true, channel: args.channel, ts: `${this.#ts++}.000100` };
      case 'users.info': {
        const name = this.names.get(String(args.user));
        return name ? { ok: true, user: { id: args.user, name: name.toLowerCase(), profile: { display_name: name } } } : { ok: false, error: 'user_not_found' };
      }
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, is_member: !this.notIn.has(String(args.channel)) } };
      case 'files.getUploadURLExternal': {
        const id = `F${this.uploads.size + 1}`;
        this.uploads.set(id, '');
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: JSON.parse(String(args.files ?? '[]')) as unknown[] };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      default:
        return { ok: true };
    }
  }

  posted(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.#server?.close(() => r()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => resolve(raw));
  });
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.includes('json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';

export function sign(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature, 'content-type': 'application/x-www-form-urlencoded' };
}
