import type { Redis } from "../../redis/connect.ts";

/**
 * Where an event stream got to, per source (a Docker host): the time of the last event handled,
 * in nanoseconds since the epoch as Docker reports it (`timeNano`, a string: it does not fit a
 * double). In Redis it outlives the process, so a monitor that takes over from a dead leader reads
 * on from there (Docker's `since`) instead of losing what happened in between; in memory without
 * Redis, where it only spans a reconnect.
 */
export interface EventCursor {
  get(source: string): Promise<string | undefined>;
  set(source: string, timeNano: string): Promise<void>;
}

export function createEventCursor(redis?: Redis, prefix = "jarvis:monitor:cursor:"): EventCursor {
  if (redis) {
    return {
      get: async (source) => (await redis.get(prefix + source)) ?? undefined,
      set: async (source, timeNano) => {
        await redis.set(prefix + source, timeNano);
      },
    };
  }
  const at = new Map<string, string>();
  return {
    get: async (source) => at.get(source),
    set: async (source, timeNano) => {
      at.set(source, timeNano);
    },
  };
}

const billion = 1_000_000_000n;

/** Docker's `since` for a time in nanoseconds: `seconds.nanoseconds` (inclusive: that event comes again). */
export function dockerSince(timeNano: string | bigint): string {
  const n = BigInt(timeNano);
  return `${n / billion}.${String(n % billion).padStart(9, "0")}`;
}

/** Milliseconds since the epoch as nanoseconds. */
export const nanoFromMs = (ms: number): string => String(BigInt(Math.floor(ms)) * 1_000_000n);
