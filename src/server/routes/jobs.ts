import { Hono } from "hono";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { jobStates } from "../../jobs/types.ts";
import { inputError } from "../../tools/input-error.ts";
import type { AppEnv } from "../env.ts";

const Query = z.strictObject({
  state: z.enum(jobStates as [string, ...string[]]).optional(),
  name: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * GET /api/jobs (newest first; `state`, `name`, `limit`) and GET /api/jobs/:id: background jobs
 * with state, progress, attempts, error and timestamps, whichever process runs them.
 */
export function jobRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const query = Query.safeParse(c.req.query());
      if (!query.success) throw inputError("jobs query", query.error);
      const { state, ...rest } = query.data;
      return c.json({
        kind: jarvis.jobs.kind,
        jobs: await jarvis.jobs.list({ ...rest, state: state as never }),
      });
    })
    .get("/:id", async (c) => {
      const job = await jarvis.jobs.get(c.req.param("id"));
      if (!job) throw new JarvisError("not_found", `No job ${c.req.param("id")}`);
      return c.json({ job });
    });
}
