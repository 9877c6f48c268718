import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import { runProbes } from "../probes.ts";

/**
 * GET /healthz (no auth): the database, each Docker host, Plex and Sunshine when configured, each
 * mounted MCP server and Home Assistant. 200 when the database answers
 * (a Docker host being down makes it "degraded", not dead), 503 otherwise. Says nothing secret.
 */
export function healthRoutes(jarvis: Jarvis) {
  return new Hono().get("/", async (c) => {
    const { status, database, docker, media, mcp, homeassistant } = await runProbes(jarvis);
    const db = {
      ok: database.ok,
      kind: jarvis.database.kind,
      ...(database.error ? { error: database.error } : {}),
    };
    return c.json(
      { status, database: db, docker, media, mcp, ...(homeassistant ? { homeassistant } : {}) },
      database.ok ? 200 : 503,
    );
  });
}
