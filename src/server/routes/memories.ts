import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { Jarvis } from "../../jarvis.ts";
import { MemoryKind } from "../../memory/types.ts";
import { inputError } from "../../tools/input-error.ts";
import { RecallInput } from "../../tools/memory/recall.ts";
import { requireRole } from "../auth.ts";
import { jsonBody } from "../body.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";

const ListQuery = z.strictObject({
  kind: MemoryKind.optional(),
  scope: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  /** `true` includes closed facts and expired memories (history). */
  all: z.enum(["true", "false", "1", "0"]).optional(),
});

const SearchQuery = z.strictObject({
  q: z.string().min(1).max(1000),
  scope: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});

/** Runs a memory tool through the gate as the API caller: 200 with the result, or 202 with the approval. */
async function viaGate(
  c: Context<AppEnv>,
  jarvis: Jarvis,
  tool: string,
  args: unknown,
  status: 200 | 201 = 200,
) {
  const result = await jarvis.runTool(
    { tool, args },
    {
      source: "api",
      principal: c.var.principal,
      signal: clientSignal(c),
      reason: c.req.header("x-jarvis-reason"),
    },
  );
  if (result.status === "approval_required") {
    const { id, tool: name, target, args: bound, expiresAt, risk } = result.approval;
    return c.json({ approval: { id, tool: name, target, args: bound, risk, expiresAt } }, 202);
  }
  return c.json({ ...(result.result as object), auditId: result.auditId }, status);
}

/**
 * /api/memories: list, search and read (any token); create, edit and delete (admin, operator),
 * each write through the gate as memory_remember, memory_update or memory_forget with source api.
 */
export function memoryRoutes(jarvis: Jarvis) {
  const writer = requireRole("admin", "operator");
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const query = ListQuery.safeParse(c.req.query());
      if (!query.success) throw inputError("memories query", query.error);
      const { all, ...rest } = query.data;
      const page = await jarvis.memory.list({ ...rest, includeClosed: all === "true" || all === "1" });
      return c.json({ ...page, limit: rest.limit ?? 50, offset: rest.offset ?? 0 });
    })
    .get("/search", async (c) => {
      const query = SearchQuery.safeParse(c.req.query());
      if (!query.success) throw inputError("memory search", query.error);
      const { q, ...rest } = query.data;
      return viaGate(c, jarvis, "memory_recall", RecallInput.parse({ query: q, ...rest }));
    })
    .get("/:id", async (c) => c.json({ memory: await jarvis.memory.get(c.req.param("id")) }))
    .post("/", writer, async (c) => viaGate(c, jarvis, "memory_remember", await jsonBody(c), 201))
    .patch("/:id", writer, async (c) => {
      const body = await jsonBody(c);
      const changes = typeof body === "object" && body !== null && !Array.isArray(body) ? body : { body };
      return viaGate(c, jarvis, "memory_update", { ...changes, id: c.req.param("id") });
    })
    .delete("/:id", writer, async (c) => viaGate(c, jarvis, "memory_forget", { id: c.req.param("id") }));
}
