import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../log.ts";
import type { LockBackend } from "./lock.ts";

/** The work one process runs while it leads: started when it wins the lease, stopped when it loses it. */
export interface Lead {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** One process's hold on a lease: it leads now, or keeps trying. */
export interface Lease {
  readonly key: string;
  /** Whether this process leads now (its work runs). */
  leading(): boolean;
  /** Stops the work if it runs and releases the lease, so another process takes over at its next try. */
  stop(): Promise<void>;
}

/**
 * Leader election per key ("monitor:docker-events:local"): among the processes that `hold` a key,
 * one at a time runs its `Lead`. The holder renews the lease every third of its TTL; the others
 * try to take it as often. A holder that dies (even `kill -9`) stops renewing, so another process
 * leads within the TTL; a holder that cannot renew for two thirds of the TTL (Redis unreachable)
 * stops its work before the lease expires, so before anyone else may start theirs. On Redis with the Redis
 * backend; in this process (which then always leads) with the local one.
 */
export interface Leases {
  /** This process, as `holder` names it: `host:pid`. */
  readonly self: string;
  readonly ttlMs: number;
  hold(key: string, lead: Lead): Lease;
  /** The process that leads `key` now (`host:pid`), whichever it is, or undefined. */
  holder(key: string): Promise<string | undefined>;
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);

/** Leases on `backend`, each living `ttlMs` unless renewed. */
export function createLeases(options: {
  backend: LockBackend;
  ttlMs: number;
  log: Logger;
  /** How this process is named to others (tests run two in one process); default `host:pid`. */
  self?: string;
}): Leases {
  const { backend, ttlMs } = options;
  const self = options.self ?? `${hostname()}:${process.pid}`;
  const log = options.log.child({ component: "leader" });

  function hold(key: string, lead: Lead): Lease {
    // The holder's name plus a nonce: a restarted process with the same pid is another holder.
    const token = `${self}#${randomUUID().slice(0, 8)}`;
    let leading = false;
    let stopped = false;
    let busy = false;
    /** When the last successful acquire or renewal was sent (the lease lives ttlMs from then). */
    let renewedAt = 0;
    /** Start and stop run one after the other, never interleaved. */
    let transition: Promise<void> = Promise.resolve();
    const queue = (step: () => Promise<void>) => {
      transition = transition.then(step, step);
      return transition;
    };

    const lose = (reason: string) => {
      if (!leading) return transition;
      leading = false;
      log.warn(`no longer leading ${key}`, { holder: self, reason });
      void backend.release(key, token).catch(() => {});
      return queue(async () => {
        await Promise.resolve(lead.stop()).catch((error) => log.error(`cannot stop ${key}`, { error }));
      });
    };

    async function tick(): Promise<void> {
      const sent = Date.now();
      try {
        if (!leading) {
          if (!(await backend.acquire(key, token, ttlMs))) return;
          if (stopped) {
            await backend.release(key, token);
            return;
          }
          leading = true;
          renewedAt = sent;
          log.info(`leading ${key}`, { holder: self, ttlMs });
          await queue(async () => {
            if (!leading) return;
            try {
              await lead.start();
            } catch (error) {
              log.error(`cannot start ${key}; giving up the lead`, { error });
              leading = false;
              await backend.release(key, token).catch(() => {});
            }
          });
        } else if (await backend.extend(key, token, ttlMs)) {
          renewedAt = sent;
        } else {
          await lose("the lease expired and another process holds it");
        }
      } catch (error) {
        log.warn(`lease ${key}: cannot reach the lock store`, { error: (error as Error).message });
      }
    }

    const beat = () => {
      // No renewal for two thirds of the TTL (Redis unreachable, or a renewal slower than a third of
      // it): stop while the lease still has a third to run, so this work has ended before another
      // process may start its own.
      if (leading && Date.now() - renewedAt >= (ttlMs * 2) / 3) void lose("not renewed in time");
      if (busy || stopped) return;
      busy = true;
      void tick().finally(() => {
        busy = false;
      });
    };
    const timer = setInterval(beat, ttlMs / 3);
    timer.unref();
    beat();

    return {
      key,
      leading: () => leading,
      async stop() {
        if (stopped) return;
        stopped = true;
        clearInterval(timer);
        if (leading) {
          leading = false;
          log.info(`giving up ${key}`, { holder: self });
          await queue(async () => {
            await Promise.resolve(lead.stop()).catch((error) => log.error(`cannot stop ${key}`, { error }));
          });
          // Bounded: a shutdown while Redis is unreachable does not hang (the lease then expires).
          await within(
            backend.release(key, token).catch(() => {}),
            2000,
          );
        }
        await transition;
      },
    };
  }

  return {
    self,
    ttlMs,
    hold,
    holder: async (key) => (await backend.holder(key))?.replace(/#[^#]*$/, ""),
  };
}
