import { Redis } from "ioredis";
import type { Logger } from "../log.ts";
import type { Secret } from "../secret.ts";

export type { Redis };

/**
 * Opens a Redis connection for jobs, locks and events. It reconnects by itself with a capped
 * backoff (50 ms doubling to 2 s) for as long as the process runs, and commands wait for the
 * connection instead of failing (`maxRetriesPerRequest: null`, which BullMQ requires), so a Redis
 * restart delays work instead of losing it. The URL (it may hold a password) is never logged.
 */
export function connectRedis(url: Secret, log: Logger, name = "jarvis"): Redis {
  const redis = new Redis(url.reveal(), {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  });
  let down = false;
  const unavailable = (error?: Error) => {
    if (down) return;
    down = true;
    log.warn("redis unavailable, retrying", { connection: name, error: error?.message });
  };
  redis.on("error", unavailable);
  redis.on("reconnecting", () => unavailable());
  redis.on("ready", () => {
    if (down) log.info("redis reconnected", { connection: name });
    down = false;
  });
  return redis;
}
