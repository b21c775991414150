// What /healthz reports: each part of the bot that can fail on its own (an adapter whose
// credential was revoked, a homeserver gone away) says so here, once per change; the
// others keep working.
import type { Logger } from './logger.js';

export class Health {
  readonly #problems = new Map<string, string>();
  constructor(private readonly logger: Logger) {}

  /** `part` has a problem (logged once, when it starts). */
  degraded(part: string, reason: string): void {
    if (this.#problems.get(part) === reason) return;
    this.#problems.set(part, reason);
    this.logger.error(`${part} is degraded; the rest of the bot keeps working`, { part, reason });
  }

  /** `part` works again. */
  recovered(part: string): void {
    if (!this.#problems.delete(part)) return;
    this.logger.info(`${part} works again`, { part });
  }

  report(): { status: 'ok' | 'degraded'; problems: Record<string, string> } {
    return { status: this.#problems.size === 0 ? 'ok' : 'degraded', problems: Object.fromEntries(this.#problems) };
  }
}
