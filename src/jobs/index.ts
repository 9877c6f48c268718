import type { Logger } from "../log.ts";
import type { Redis } from "../redis/connect.ts";
import { createBullJobs } from "./bullmq.ts";
import { createInProcessJobs } from "./in-process.ts";
import { createLocalLocks, createRedisLocks, type Locks } from "./lock.ts";
import type { Jobs } from "./types.ts";

export type { Locks } from "./lock.ts";
export type * from "./types.ts";

/** The job queue and locks: on Redis when there is one, in this process otherwise. */
export function createJobs(options: {
  redis?: Redis;
  log: Logger;
  concurrency?: number;
  lockMs?: number;
  prefix?: string;
}): { jobs: Jobs; locks: Locks } {
  const log = options.log.child({ component: "jobs" });
  if (!options.redis)
    return {
      jobs: createInProcessJobs({ log, concurrency: options.concurrency }),
      locks: createLocalLocks(),
    };
  return {
    jobs: createBullJobs({ ...options, redis: options.redis, log }),
    locks: createRedisLocks(options.redis, options.prefix),
  };
}
