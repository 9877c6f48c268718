import { Hono } from "hono";
import { z } from "zod";
import type { Jarvis } from "../../jarvis.ts";
import { inputError } from "../../tools/input-error.ts";
import type { AppEnv } from "../env.ts";

const Query = z.strictObject({
  tool: z.string().optional(),
  principal: z.string().optional(),
  outcome: z.string().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** GET /api/audit: newest first; page with `before=<id>`. */
export function auditRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const query = Query.safeParse(c.req.query());
    if (!query.success) throw inputError("audit query", query.error);
    return c.json({ entries: await jarvis.audit.list(query.data) });
  });
}
