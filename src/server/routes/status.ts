import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import type { AppEnv } from "../env.ts";
import { runProbes } from "../probes.ts";

/** The model as shown to people: provider and model name, never a URL's credentials. */
export function modelLabel(model: string): string {
  if (model === "local") return "local intent engine";
  const hash = model.lastIndexOf("#");
  if (model.startsWith("openai-compatible:") && hash > 0) {
    const host = URL.canParse(model.slice(18, hash)) ? new URL(model.slice(18, hash)).host : "server";
    return `${model.slice(hash + 1)} (${host})`;
  }
  return model.replace(/^openai:/, "OpenAI ");
}

/**
 * GET /api/status: what the chat console's status strip shows: the model, each Docker host and
 * each integration with its health (the same probes as /healthz), and the pending approvals count.
 */
export function statusRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const [probes, pending] = await Promise.all([
      runProbes(jarvis),
      jarvis.approvals.list({ status: "pending" }),
    ]);
    return c.json({
      status: probes.status,
      model: { id: jarvis.config.model, label: modelLabel(jarvis.config.model) },
      docker: probes.docker,
      integrations: [
        { ...probes.database, name: `database (${probes.database.name})` },
        ...probes.media,
        ...(probes.homeassistant ? [{ ...probes.homeassistant, name: "Home Assistant" }] : []),
        ...probes.mcp.map((m) => ({
          name: `MCP ${m.name}`,
          ok: m.ok,
          ...(m.error ? { error: m.error } : {}),
        })),
      ],
      pendingApprovals: pending.length,
      user: { name: c.var.principal.name, role: c.var.principal.role },
    });
  });
}
