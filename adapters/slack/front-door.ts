// The Slack front door: Bolt's receiver for HTTP mode, with the HTTP server on a thread of
// its own (front-door-worker.ts). That thread checks the signature and answers Slack at
// once; the request then reaches Bolt on the bot's thread, where its listeners run as
// before. So an answer to Slack never queues behind the work of earlier commands (Slack
// gives up after 3 seconds), however busy the bot is: the work waits instead, up to a
// bound past which new requests are turned away with a word to the person.
//
// The bot's listeners all answer through response_url or the Web API, so the empty
// answer the front door gives is the whole acknowledgement; content passed to ack() has
// nowhere to go and is logged.
import { Worker } from 'node:worker_threads';
import type { App as BoltApp, Receiver } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import { backoffMs } from '../../src/pace.js';
import { FRONT_DOOR, type FromDoor, type FrontDoorData, type ToDoor } from './front-door-protocol.js';

export interface FrontDoorOptions {
  signingSecret: string;
  logger: Logger;
  /** Told when the thread fails and when it listens again. */
  health: { degraded(part: string, reason: string): void; recovered(part: string): void };
  path?: string;
  /** Requests taken but not yet done, past which new ones are turned away (default 500). */
  maxPending?: number;
}

export class SlackFrontDoor implements Receiver {
  #bolt: BoltApp | undefined;
  #thread: Worker | undefined;
  readonly #counts = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  /** Requests handed to Bolt so far. */
  #received = 0;
  #arrival: (() => void)[] = [];
  /** Requests Bolt is working on. */
  readonly #working = new Set<Promise<void>>();
  #stopping = false;
  #failures = 0;
  #ackContentLogged = false;
  /** The port it listens on, once it does. */
  port: number | undefined;

  constructor(private readonly o: FrontDoorOptions) {}

  init(bolt: BoltApp): void {
    this.#bolt = bolt;
  }

  /** Starts the thread and resolves with the port it listens on. */
  async start(port: number): Promise<{ port: number }> {
    this.#stopping = false;
    const data: FrontDoorData = { port, path: this.o.path ?? '/slack/events', signingSecret: this.o.signingSecret, maxPending: this.o.maxPending ?? 500, counts: this.#counts.buffer as SharedArrayBuffer };
    const thread = startThread('front-door-worker', data);
    this.#thread = thread;
    return new Promise((resolve, reject) => {
      let listening = false;
      thread.on('message', (m: FromDoor) => {
        if (m.type === 'listening') {
          listening = true;
          if (this.#failures > 0) this.o.health.recovered('slack');
          this.#failures = 0;
          this.port = m.port;
          resolve({ port: m.port });
        } else if (m.type === 'failed') {
          const e = Object.assign(new Error(`the Slack HTTP server cannot listen on port ${port}: ${m.message}`), { code: m.code });
          if (!listening) reject(e);
          else this.o.logger.error(e.message);
        } else if (m.type === 'event') this.#dispatch(m);
        else if (m.type === 'log') this.o.logger[m.level](m.message);
      });
      thread.on('error', (e) => this.o.logger.error('slack front door failed', { error: e.message }));
      thread.on('exit', () => {
        // Whatever it took before it went has been handed over (messages outlive the thread).
        setImmediate(() => this.#catchUp());
        if (this.#stopping || thread !== this.#thread) return;
        if (!listening) return reject(new Error('the Slack HTTP server stopped before it listened'));
        // It should not fail; if it does, Slack is heard again after a pause.
        this.#failures++;
        this.o.health.degraded('slack', 'the Slack HTTP server stopped; starting it again');
        setTimeout(() => {
          if (!this.#stopping) this.start(port).catch((e: unknown) => this.o.logger.error('slack front door could not start again', { error: String(e) }));
        }, backoffMs(this.#failures));
      });
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const thread = this.#thread;
    if (!thread) return;
    await new Promise<void>((resolve) => {
      const done = (m: FromDoor) => m.type === 'closed' && resolve();
      thread.on('message', done);
      thread.once('exit', () => resolve());
      thread.postMessage({ type: 'close' } satisfies ToDoor);
    });
    await thread.terminate();
  }

  /** Resolves once every request the front door has taken has been through Bolt. */
  async idle(): Promise<void> {
    for (;;) {
      if (Atomics.load(this.#counts, FRONT_DOOR.accepted) > this.#received) await new Promise<void>((r) => this.#arrival.push(r));
      else if (this.#working.size > 0) await Promise.allSettled([...this.#working]);
      else return;
    }
  }

  #catchUp(): void {
    this.#received = Math.max(this.#received, Atomics.load(this.#counts, FRONT_DOOR.accepted));
    for (const wake of this.#arrival.splice(0)) wake();
  }

  #dispatch(m: Extract<FromDoor, { type: 'event' }>): void {
    this.#received++;
    for (const wake of this.#arrival.splice(0)) wake();
    const bolt = this.#bolt;
    const finished = () => Atomics.add(this.#counts, FRONT_DOOR.finished, 1);
    if (!bolt) return void finished();
    const work = bolt
      .processEvent({
        body: m.body,
        ...(m.retryNum !== undefined ? { retryNum: m.retryNum } : {}),
        ...(m.retryReason !== undefined ? { retryReason: m.retryReason } : {}),
        ack: async (content?: unknown) => {
          if (content !== undefined && !this.#ackContentLogged) {
            this.#ackContentLogged = true;
            this.o.logger.warn('slack: a listener passed content to ack(), which the front door has already sent; answer on response_url instead');
          }
        },
      })
      .catch((e: unknown) => this.o.logger.error('slack event failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        finished();
        this.#working.delete(work);
      });
    this.#working.add(work);
  }
}

/**
 * A worker thread running `name` beside this module: the compiled file, or the
 * TypeScript source through tsx when the bot runs from its sources (development, tests).
 */
function startThread(name: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  const source = new URL(`./${name}.ts`, here).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData });
}
