import { Hono } from "hono";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import type { AppEnv } from "../env.ts";
import { roles } from "../tokens.ts";

const NewToken = z.strictObject({
  name: z.string().min(1).max(100),
  role: z.enum(roles),
  scopes: z.array(z.string().min(1).max(50)).max(20).optional(),
});

/** Admin-only: GET /api/tokens, POST /api/tokens (the token is returned once), DELETE /api/tokens/:id. */
export function tokenRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ tokens: await jarvis.tokens.list() }))
    .post("/", async (c) => {
      const body = await parseBody(c, NewToken, "token");
      const created = await jarvis.tokens.create(body);
      return c.json({ ...created, name: body.name, role: body.role }, 201);
    })
    .delete("/:id", async (c) => {
      const id = c.req.param("id");
      if (!/^[0-9a-f-]{36}$/i.test(id) || !(await jarvis.tokens.revoke(id)))
        throw new JarvisError("not_found", `No token ${id}`);
      return c.json({ revoked: id });
    });
}
