// What the Slack front door (front-door.ts) and its thread (front-door-worker.ts) say to
// each other.
import { z } from 'zod';

/** Slots of the counters both threads share: requests taken, and requests whose work is done. */
export const FRONT_DOOR = { accepted: 0, finished: 1 } as const;

export const frontDoorData = z.object({
  port: z.number().int().min(0),
  path: z.string(),
  signingSecret: z.string().min(1),
  /** Requests taken but not yet done, past which new ones are turned away. */
  maxPending: z.number().int().positive(),
  counts: z.instanceof(SharedArrayBuffer),
});
export type FrontDoorData = z.infer<typeof frontDoorData>;

/** From the front door's thread to the bot's. */
export type FromDoor =
  | { type: 'listening'; port: number }
  | { type: 'failed'; code: string; message: string }
  | { type: 'event'; body: Record<string, unknown>; retryNum?: number; retryReason?: string }
  | { type: 'log'; level: 'warn' | 'error'; message: string }
  | { type: 'closed' };

/** From the bot's thread to the front door's. */
export type ToDoor = { type: 'close' };
