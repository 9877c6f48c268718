import { randomUUID } from "node:crypto";
import type { Redis } from "../redis/connect.ts";

/** What one request is told by the limiter. */
export interface RateDecision {
  allowed: boolean;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When refused: milliseconds until the oldest counted request leaves the window. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one request for `key` (a token) if the window has room, and says whether it may go on. */
  hit(key: string): Promise<RateDecision>;
}

export interface RateLimitSettings {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
}

/**
 * A sliding-window log in this process: each key keeps the times of its counted requests in the
 * last window. Same semantics as the Redis limiter, which falls back to it while Redis is down.
 */
export function createMemoryRateLimiter(settings: RateLimitSettings, now = () => Date.now()): RateLimiter {
  const logs = new Map<string, number[]>();
  return {
    async hit(key) {
      const t = now();
      const log = (logs.get(key) ?? []).filter((at) => at > t - settings.windowMs);
      logs.set(key, log);
      if (log.length >= settings.requests) {
        return { allowed: false, remaining: 0, retryAfterMs: log[0]! + settings.windowMs - t };
      }
      log.push(t);
      // Forget keys that went quiet, so the map does not grow with every token ever seen.
      if (logs.size > 10_000)
        for (const [k, v] of logs) if (!v.some((at) => at > t - settings.windowMs)) logs.delete(k);
      return { allowed: true, remaining: settings.requests - log.length, retryAfterMs: 0 };
    },
  };
}

/**
 * The sliding-window log in Redis (a sorted set per key, scored by Redis's own clock so processes
 * with skewed clocks agree), checked and updated atomically in one script.
 */
const script = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, limit - count - 1, 0}
`;

/**
 * Limits across every process on one Redis. While Redis is unreachable each process limits on its
 * own (the same window, in memory) instead of holding requests until Redis is back.
 */
export function createRedisRateLimiter(
  redis: Redis,
  settings: RateLimitSettings,
  prefix = "jarvis:ratelimit:",
): RateLimiter {
  const fallback = createMemoryRateLimiter(settings);
  return {
    async hit(key) {
      if (redis.status !== "ready") return fallback.hit(key);
      const [allowed, remaining, retryAfterMs] = (await redis.eval(
        script,
        1,
        prefix + key,
        settings.windowMs,
        settings.requests,
        randomUUID(),
      )) as [number, number, number];
      return { allowed: allowed === 1, remaining, retryAfterMs: Math.max(0, retryAfterMs) };
    },
  };
}
