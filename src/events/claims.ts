import type { Redis } from "../redis/connect.ts";

/**
 * Claims a one-time task for this process: true for exactly one caller per key until `ttlMs`
 * passes, across every process on the same Redis (`SET NX PX`), or within this process without
 * Redis. Used where every process hears the same outside event (a pressed notification action)
 * and exactly one must act on it.
 */
export type Claim = (key: string, ttlMs: number) => Promise<boolean>;

export function createClaim(redis?: Redis, prefix = "jarvis:claim:"): Claim {
  if (redis) {
    return async (key, ttlMs) => (await redis.set(prefix + key, "1", "PX", ttlMs, "NX")) === "OK";
  }
  const held = new Map<string, number>();
  return async (key, ttlMs) => {
    const now = Date.now();
    for (const [k, until] of held) if (until <= now) held.delete(k);
    if (held.has(key)) return false;
    held.set(key, now + ttlMs);
    return true;
  };
}
