// Slack's Socket Mode side, locally: a WebSocket server (the `ws` package) that greets each
// connection with `hello`, sends envelopes, records the acks, pings, and can tell the
// client to reconnect (`disconnect`) or drop the socket without a word.
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export class FakeSocketMode {
  readonly #server: WebSocketServer;
  #current: WebSocket | null = null;
  #ping: ReturnType<typeof setInterval> | undefined;
  /** Connections made so far. */
  connections = 0;
  /** envelope_ids the client acknowledged. */
  acks: string[] = [];

  private constructor(server: WebSocketServer) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.connections++;
      this.#current = socket;
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { envelope_id?: string };
        if (message.envelope_id) this.acks.push(message.envelope_id);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A1' } }));
    });
    this.#ping = setInterval(() => this.#current?.ping(), 200);
  }

  static async start(): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    return new FakeSocketMode(server);
  }

  get url(): string {
    const address = this.#server.address();
    return `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/link`;
  }

  get open(): boolean {
    return this.#current?.readyState === 1;
  }

  /** Sends an envelope on the current connection; returns its id. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>, envelopeId: string = randomUUID()): string {
    if (!this.#current) throw new Error('no Socket Mode connection');
    this.#current.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    return envelopeId;
  }

  /** Slack asks the client to reconnect (`refresh_requested`, `warning`, `link_disabled`). */
  disconnect(reason: 'refresh_requested' | 'warning' = 'refresh_requested'): void {
    this.#current?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  /** The connection drops without a close frame. */
  drop(): void {
    this.#current?.terminate();
    this.#current = null;
  }

  async stop(): Promise<void> {
    clearInterval(this.#ping);
    for (const c of this.#server.clients) c.terminate();
    await new Promise((r) => this.#server.close(r));
  }
}
