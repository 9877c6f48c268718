import { Hono } from "hono";
import type { Jarvis } from "../jarvis.ts";
import { healthRoutes } from "./routes/health.ts";

/**
 * What a `--role worker` process serves on its port: the health route only (for a container
 * health check or a load balancer), no API, UI or MCP, so it needs no token and exposes nothing.
 */
export function createWorkerApp(jarvis: Jarvis) {
  const app = new Hono();
  app.route("/healthz", healthRoutes(jarvis));
  app.notFound((c) =>
    c.json(
      {
        error: { code: "not_found", message: "A worker serves only /healthz; the API is on an api process" },
      },
      404,
    ),
  );
  return app;
}
