import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

/**
 * GET /healthz (no auth): the database, each Docker host and each mounted MCP server. 200 when the database answers
 * (a Docker host being down makes it "degraded", not dead), 503 otherwise. Says nothing secret.
 */
export function healthRoutes(jarvis: Jarvis) {
  return new Hono().get("/", async (c) => {
    const database = await withTimeout(jarvis.database.ping(), 3000).then(
      () => ({ ok: true, kind: jarvis.database.kind }),
      (error: Error) => ({ ok: false, kind: jarvis.database.kind, error: error.message }),
    );
    const docker = await Promise.all(
      jarvis.clients.docker.hosts.map((host) =>
        withTimeout(host.docker.ping(), 3000).then(
          () => ({ name: host.name, ok: true }),
          (error: Error) => ({ name: host.name, ok: false, error: error.message }),
        ),
      ),
    );
    const mcp = jarvis.mounts.status();
    const status = !database.ok ? "down" : [...docker, ...mcp].every((d) => d.ok) ? "ok" : "degraded";
    return c.json({ status, database, docker, mcp }, database.ok ? 200 : 503);
  });
}
