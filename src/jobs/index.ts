import type { Logger } from "../log.ts";
import type { Redis } from "../redis/connect.ts";
import { createInProcessJobs } from "./in-process.ts";
import { createLeases, type Leases } from "./leader.ts";
import {
  createLocalLockBackend,
  createLocalLocks,
  createRedisLockBackend,
  createRedisLocks,
  type Locks,
} from "./lock.ts";
import type { Jobs } from "./types.ts";

export type { Lead, Lease, Leases } from "./leader.ts";
export type { Locks } from "./lock.ts";
export type * from "./types.ts";

/**
 * The job queue, locks and leases (leader election, TTL `lockMs`, like a dead worker's jobs): on
 * Redis when there is one, in this process otherwise. BullMQ is loaded only with Redis, so the CLI
 * and a single process start no slower.
 */
export async function createJobs(options: {
  redis?: Redis;
  log: Logger;
  concurrency?: number;
  lockMs?: number;
  prefix?: string;
}): Promise<{ jobs: Jobs; locks: Locks; leases: Leases }> {
  const log = options.log.child({ component: "jobs" });
  const ttlMs = options.lockMs ?? 30_000;
  if (!options.redis)
    return {
      jobs: createInProcessJobs({ log, concurrency: options.concurrency }),
      locks: createLocalLocks(),
      leases: createLeases({ backend: createLocalLockBackend(), ttlMs, log: options.log }),
    };
  const { createBullJobs } = await import("./bullmq.ts");
  const backend = createRedisLockBackend(options.redis, `${options.prefix ?? "jarvis"}:lease`);
  return {
    jobs: createBullJobs({ ...options, redis: options.redis, log }),
    locks: createRedisLocks(options.redis, options.prefix),
    leases: createLeases({ backend, ttlMs, log: options.log }),
  };
}
