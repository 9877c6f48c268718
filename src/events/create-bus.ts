import type { Logger } from "../log.ts";
import type { Redis } from "../redis/connect.ts";
import type { EventBus } from "./bus.ts";
import { createInProcessBus } from "./in-process.ts";
import { createRedisBus } from "./redis-bus.ts";

/** The event bus: across processes on Redis when there is one, in this process otherwise. */
export function createEventBus(deps: { redis?: Redis; log: Logger }): EventBus {
  return deps.redis
    ? createRedisBus(deps.redis, deps.log.child({ component: "events" }))
    : createInProcessBus();
}
