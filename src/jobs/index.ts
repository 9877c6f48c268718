import type { Logger } from "../log.ts";
import type { Redis } from "../redis/connect.ts";
import { createInProcessJobs } from "./in-process.ts";
import { createLocalLocks, createRedisLocks, type Locks } from "./lock.ts";
import type { Jobs } from "./types.ts";

export type { Locks } from "./lock.ts";
export type * from "./types.ts";

/**
 * The job queue and locks: on Redis when there is one, in this process otherwise. BullMQ is
 * loaded only with Redis, so the CLI and a single process start no slower.
 */
export async function createJobs(options: {
  redis?: Redis;
  log: Logger;
  concurrency?: number;
  lockMs?: number;
  prefix?: string;
}): Promise<{ jobs: Jobs; locks: Locks }> {
  const log = options.log.child({ component: "jobs" });
  if (!options.redis)
    return {
      jobs: createInProcessJobs({ log, concurrency: options.concurrency }),
      locks: createLocalLocks(),
    };
  const { createBullJobs } = await import("./bullmq.ts");
  return {
    jobs: createBullJobs({ ...options, redis: options.redis, log }),
    locks: createRedisLocks(options.redis, options.prefix),
  };
}
