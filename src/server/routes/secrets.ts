import { Hono } from "hono";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import type { AppEnv } from "../env.ts";

const NewSecret = z.strictObject({ value: z.string().min(1).max(65536) });

/**
 * Admin-only: GET /api/secrets (names only), PUT /api/secrets/:name {value}, DELETE /api/secrets/:name.
 * Values are write-only over HTTP: nothing ever answers with one.
 */
export function secretRoutes(jarvis: Jarvis) {
  const store = jarvis.clients.secrets!;
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ secrets: await store.names() }))
    .put("/:name{.+}", async (c) => {
      const name = c.req.param("name");
      const body = await parseBody(c, NewSecret, "secret");
      await store.put(name, body.value);
      jarvis.log.info("secret stored", { name, by: c.var.principal.id });
      return c.json({ stored: name });
    })
    .delete("/:name{.+}", async (c) => {
      const name = c.req.param("name");
      if (!(await store.delete(name))) throw new JarvisError("not_found", `No secret named "${name}"`);
      jarvis.log.info("secret deleted", { name, by: c.var.principal.id });
      return c.json({ deleted: name });
    });
}
