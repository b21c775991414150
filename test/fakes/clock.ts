import type { Clock } from '../../src/clock.js';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private current: Date = new Date('2026-03-01T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(d: Date | string): void {
    this.current = new Date(d);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
