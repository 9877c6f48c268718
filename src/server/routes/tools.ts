import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import { describeTool } from "../../tools/describe.ts";
import { jsonBody } from "../body.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";

/** GET /api/tools, POST /api/tools/:name/call (the body is the tool's input). */
export function toolRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>()
    .get("/", (c) => c.json({ tools: jarvis.registry.list().map(describeTool) }))
    .post("/:name/call", async (c) => {
      const args = await jsonBody(c);
      const approvalId = c.req.query("approval") || undefined;
      const result = await jarvis.runTool(
        { tool: c.req.param("name"), args, approvalId },
        {
          source: "api",
          principal: c.var.principal,
          signal: clientSignal(c),
          reason: c.req.header("x-jarvis-reason"),
        },
      );
      if (result.status === "approval_required") {
        const { id, tool, target, args: boundArgs, expiresAt, risk } = result.approval;
        return c.json({ approval: { id, tool, target, args: boundArgs, risk, expiresAt } }, 202);
      }
      const { status: _status, ...rest } = result;
      return c.json(rest);
    });
}
