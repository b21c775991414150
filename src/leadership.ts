// Runs a role (the Matrix sync) in one copy of the bot at a time: the copy that takes
// the lease starts it; the others stand by and try again every few seconds, so one of
// them takes over well within a minute when the holder dies; a holder that loses its
// lease (its database connection dropped) stops the role at once.
import type { Leases } from './copies.js';
import type { Logger } from './logger.js';

export interface Role {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Leadership {
  /** Whether this copy runs the role now. */
  readonly leading: boolean;
  stop(): Promise<void>;
}

/**
 * The first try is made before this resolves, so an error of the role's own start (a
 * refused token) reaches the caller, as any adapter's would; then it goes on alone.
 */
export async function runAsLeader(o: { leases: Leases; name: string; role: Role; logger: Logger; checkEveryMs?: number }): Promise<Leadership> {
  const every = o.checkEveryMs ?? 10_000;
  let leading = false;
  let running = true;
  let toldStandby = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, every);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const attempt = async () => {
    if (await o.leases.tryAcquire(o.name)) {
      leading = true;
      toldStandby = false;
      o.logger.info(`this copy runs ${o.name} now`);
      try {
        await o.role.start();
      } catch (e) {
        leading = false;
        await o.leases.release(o.name);
        throw e;
      }
    } else if (!toldStandby) {
      toldStandby = true;
      o.logger.info(`another copy runs ${o.name}; this one stands by to take over`);
    }
  };
  await attempt();

  const loop = (async () => {
    while (running) {
      if (running) await pause();
      if (!running) break;
      try {
        if (!leading) await attempt();
        else if (!(await o.leases.holds(o.name))) {
          leading = false;
          o.logger.warn(`this copy lost the ${o.name} lease (its database connection dropped); stopping ${o.name} here`);
          await o.role.stop();
        }
      } catch (e) {
        o.logger.error(`${o.name}: could not take or keep the lease`, { error: e instanceof Error ? e.message : String(e) });
      }
    }
  })();

  return {
    get leading() {
      return leading;
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      if (leading) {
        leading = false;
        await o.role.stop();
        await o.leases.release(o.name);
      }
    },
  };
}
