import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import type { AppEnv } from "../env.ts";

/**
 * GET /api/instances: the Jarvis processes alive on this database (id, role, host, pid, started,
 * last heartbeat), newest first, with `self` naming the one that answered.
 */
export function instanceRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>().get("/", async (c) =>
    c.json({
      self: jarvis.instances.id,
      timeoutSeconds: jarvis.config.instances.timeoutSeconds,
      instances: await jarvis.instances.list(),
    }),
  );
}
